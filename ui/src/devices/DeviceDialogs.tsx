import { useState } from "react";
import { addDevice, editDevice, reassignDevices, toCommandError } from "../api";
import type { Device } from "../bindings/Device";
import type { DeviceDraft } from "../bindings/DeviceDraft";
import type { FieldError } from "../bindings/FieldError";
import type { UserId } from "../bindings/UserId";
import { Button } from "../components/Button";
import { Dialog } from "../components/Dialog";
import { OPERATING_SYSTEMS, OS_LABELS } from "./labels";
import { ErrorBanner } from "../components/ErrorBanner";

const EMPTY: DeviceDraft = { name: "", os: "windows", model: "", serial: "" };

/** A device added to `owner` by hand (`device` null), or one corrected. */
export function DeviceFormDialog({
  owner,
  device,
  onClose,
  onSaved,
}: {
  owner: UserId;
  device: Device | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState<DeviceDraft>(device ? { name: device.name, os: device.os, model: device.model, serial: device.serial } : EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [banner, setBanner] = useState<string | null>(null);
  const save = () => {
    const work = device ? editDevice(device.id, draft, device.version) : addDevice(owner, draft);
    work.then(onSaved, (reason: unknown) => {
      const error = toCommandError(reason);
      setErrors(error.fields);
      setBanner(error.fields.length > 0 ? null : error.message);
    });
  };
  const field = (name: "name" | "model" | "serial", label: string) => {
    const error = errors.find((e) => e.field === name);
    return (
      <div className="form-field">
        <label htmlFor={`device-${name}`}>{label}</label>
        <input
          id={`device-${name}`}
          data-testid={`device-${name}`}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error !== undefined}
          aria-describedby={error ? `device-${name}-error` : undefined}
          value={draft[name]}
          onChange={(event) => {
            setDraft({ ...draft, [name]: event.target.value });
          }}
        />
        {error ? (
          <p className="field-error" id={`device-${name}-error`} role="alert">
            {error.message}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <Dialog
      open
      title={device ? `Edit ${device.name}` : "Add a device"}
      testId="device-dialog"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button look="primary" testId="save-device" onClick={save}>
            {device ? "Save" : "Add device"}
          </Button>
        </>
      }
    >
      <ErrorBanner message={banner} />
      <div className="form-grid">
        {field("name", "Name")}
        <div className="form-field">
          <label htmlFor="device-os">Operating system</label>
          <select
            id="device-os"
            data-testid="device-os"
            value={draft.os}
            onChange={(event) => {
              setDraft({ ...draft, os: event.target.value as DeviceDraft["os"] });
            }}
          >
            {OPERATING_SYSTEMS.map((os) => (
              <option key={os} value={os}>
                {OS_LABELS[os]}
              </option>
            ))}
          </select>
        </div>
        {field("model", "Model")}
        {field("serial", "Serial number")}
      </div>
    </Dialog>
  );
}

/** Gives a device to another user, named by username or email. */
export function ReassignDialog({ device, onClose, onSaved }: { device: Device; onClose: () => void; onSaved: () => void }) {
  const [to, setTo] = useState("");
  const [error, setError] = useState<string | null>(null);
  const save = () => {
    reassignDevices([device.id], to.trim()).then(onSaved, (reason: unknown) => {
      setError(toCommandError(reason).message);
    });
  };
  return (
    <Dialog
      open
      title={`Give ${device.name} to another user`}
      testId="reassign-dialog"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button look="primary" testId="save-reassign" disabled={to.trim() === ""} onClick={save}>
            Give device
          </Button>
        </>
      }
    >
      <ErrorBanner message={error} />
      <div className="form-field">
        <label htmlFor="reassign-to">Username or email of the new owner</label>
        <input
          id="reassign-to"
          data-testid="reassign-to"
          autoComplete="off"
          spellCheck={false}
          value={to}
          onChange={(event) => {
            setTo(event.target.value);
          }}
        />
      </div>
      <p className="muted">The device moves to the new owner's organization.</p>
    </Dialog>
  );
}
