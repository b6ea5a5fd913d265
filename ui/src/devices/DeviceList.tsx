import { useState } from "react";
import { deleteDevices, retireDevices, toCommandError } from "../api";
import type { Device } from "../bindings/Device";
import type { UserId } from "../bindings/UserId";
import { DeviceFormDialog, ReassignDialog } from "./DeviceDialogs";
import { ConfirmDialog } from "../components/Dialog";
import { Button } from "../components/Button";
import { formatDate, formatDateTime } from "../users/format";
import { OS_LABELS, STATE_LABELS } from "./labels";
import "../tokens/tokens.css";
import "./devices.css";
import { ErrorBanner } from "../components/ErrorBanner";
import { DataTable } from "../components/DataTable";

/** What the admin asked to do to one device, waiting for confirmation. */
interface Pending {
  device: Device;
  action: "retire" | "delete";
}

/**
 * A user's devices; with `onChanged`, devices can be added by hand, and each edited, given
 * to someone else, retired or removed (after confirmation).
 */
export function DeviceList({ owner, devices, onChanged }: { owner: UserId; devices: Device[]; onChanged?: (() => void) | undefined }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The device being edited; `"new"` while one is added. */
  const [editing, setEditing] = useState<Device | "new" | null>(null);
  const [giving, setGiving] = useState<Device | null>(null);
  const saved = () => {
    setEditing(null);
    setGiving(null);
    setError(null);
    onChanged?.();
  };
  const dialogs = (
    <>
      {editing !== null ? (
        <DeviceFormDialog
          owner={owner}
          device={editing === "new" ? null : editing}
          onClose={() => {
            setEditing(null);
          }}
          onSaved={saved}
        />
      ) : null}
      {giving ? (
        <ReassignDialog
          device={giving}
          onClose={() => {
            setGiving(null);
          }}
          onSaved={saved}
        />
      ) : null}
    </>
  );
  const add = onChanged ? (
    <div className="device-toolbar">
      <Button testId="add-device" onClick={() => { setEditing("new"); }}>
        Add device…
      </Button>
    </div>
  ) : null;
  if (devices.length === 0)
    return (
      <>
        {add}
        <div className="empty-tab" data-testid="no-devices">
          <h3>No devices yet</h3>
          Devices enrolled with this user’s tokens (<span className="mono">roster device enroll --token …</span>) are listed here.
        </div>
        {dialogs}
      </>
    );
  const run = () => {
    const chosen = pending;
    setPending(null);
    if (!chosen) return;
    const work = chosen.action === "retire" ? retireDevices([chosen.device.id]) : deleteDevices([chosen.device.id]);
    work.then(
      () => {
        setError(null);
        onChanged?.();
      },
      (reason: unknown) => {
        setError(toCommandError(reason).message);
      },
    );
  };
  return (
    <>
      {add}
      <ErrorBanner message={error} />
      <DataTable
        look="inline"
        testId="device-table"
        className="device-table"
        rows={devices}
        rowKey={(d) => d.id}
        rowTestId="device-row"
        rowData={(d) => ({ "data-device-name": d.name })}
        empty="No devices."
        columns={[
          { header: "OS", cell: (d) => OS_LABELS[d.os] },
          { header: "Name", cell: (d) => <span title={d.model}>{d.name}</span> },
          { header: "Serial number", cell: (d) => (d.serial ? <span className="mono">{d.serial}</span> : <span className="muted">—</span>) },
          { header: "Organization", cell: (d) => d.organization ?? <span className="muted">None</span> },
          {
            header: "Last activity",
            cell: (d) =>
              d.last_activity_at ? <span title={formatDateTime(d.last_activity_at)}>{formatDate(d.last_activity_at)}</span> : <span className="muted">Never</span>,
          },
          { header: "State", cell: (d) => <span className={`badge badge--device-${d.state}`}>{STATE_LABELS[d.state]}</span> },
          onChanged && {
            header: "Actions",
            hideHeader: true,
            align: "actions",
            cell: (d) => (
              <div className="device-actions">
                <Button testId="edit-device" aria-label={`Edit ${d.name}`} onClick={() => { setEditing(d); }}>
                  Edit
                </Button>
                <Button testId="reassign-device" aria-label={`Give ${d.name} to another user`} onClick={() => { setGiving(d); }}>
                  Give…
                </Button>
                {d.state === "active" ? (
                  <Button testId="retire-device" aria-label={`Retire ${d.name}`} onClick={() => { setPending({ device: d, action: "retire" }); }}>
                    Retire
                  </Button>
                ) : null}
                <Button look="danger" testId="remove-device" aria-label={`Remove ${d.name}`} onClick={() => { setPending({ device: d, action: "delete" }); }}>
                  Remove
                </Button>
              </div>
            ),
          },
        ]}
      />
      <ConfirmDialog
        open={pending !== null}
        title={pending?.action === "retire" ? "Retire device" : "Remove device"}
        message={
          pending?.action === "retire"
            ? `Retire ${pending.device.name}? It stays on record as retired and no longer counts as in use.`
            : `Remove ${pending?.device.name ?? ""} for good? Its record is deleted; the audit trail keeps what happened.`
        }
        confirmLabel={pending?.action === "retire" ? "Retire" : "Remove"}
        destructive
        onCancel={() => {
          setPending(null);
        }}
        onConfirm={run}
      />
      {dialogs}
    </>
  );
}
