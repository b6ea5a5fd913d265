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
import { t } from "../i18n";

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
      title={device ? t("devices-edit-named", { name: device.name }) : t("devices-add-title")}
      testId="device-dialog"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t("common-cancel")}</Button>
          <Button look="primary" testId="save-device" onClick={save}>
            {device ? t("common-save") : t("devices-add-device")}
          </Button>
        </>
      }
    >
      <ErrorBanner message={banner} />
      <div className="form-grid">
        {field("name", t("devices-name"))}
        <div className="form-field">
          <label htmlFor="device-os">{t("devices-operating-system")}</label>
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
        {field("model", t("devices-model"))}
        {field("serial", t("devices-serial"))}
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
      title={t("devices-reassign-title", { name: device.name })}
      testId="reassign-dialog"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t("common-cancel")}</Button>
          <Button look="primary" testId="save-reassign" disabled={to.trim() === ""} onClick={save}>
            {t("devices-reassign-save")}
          </Button>
        </>
      }
    >
      <ErrorBanner message={error} />
      <div className="form-field">
        <label htmlFor="reassign-to">{t("devices-reassign-to")}</label>
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
      <p className="muted">{t("devices-reassign-hint")}</p>
    </Dialog>
  );
}
