import { useState } from "react";
import { deleteDevices, retireDevices, toCommandError } from "../api";
import type { Device } from "../bindings/Device";
import type { UserId } from "../bindings/UserId";
import { DeviceFormDialog, ReassignDialog } from "./DeviceDialogs";
import { ConfirmDialog } from "../components/Dialog";
import { Button } from "../components/Button";
import { formatDate, formatDateTime, t } from "../i18n";
import { tElements } from "../i18n/elements";
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
        {t("devices-add")}
      </Button>
    </div>
  ) : null;
  if (devices.length === 0)
    return (
      <>
        {add}
        <div className="empty-tab" data-testid="no-devices">
          <h3>{t("devices-none-yet")}</h3>
          {tElements("devices-enrolled-with-tokens", { command: <span className="mono" translate="no">roster device enroll --token …</span> })}
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
        empty={t("devices-empty")}
        columns={[
          { header: t("devices-os"), cell: (d) => OS_LABELS[d.os] },
          { header: t("devices-name"), cell: (d) => <span title={d.model}>{d.name}</span> },
          { header: t("devices-serial"), cell: (d) => (d.serial ? <span className="mono">{d.serial}</span> : <span className="muted">—</span>) },
          { header: t("devices-organization"), cell: (d) => d.organization ?? <span className="muted">{t("common-none")}</span> },
          {
            header: t("devices-last-activity"),
            cell: (d) =>
              d.last_activity_at ? (
                <time dateTime={d.last_activity_at} title={formatDateTime(d.last_activity_at)}>
                  {formatDate(d.last_activity_at)}
                </time>
              ) : (
                <span className="muted">{t("devices-never-active")}</span>
              ),
          },
          { header: t("devices-state"), cell: (d) => <span className={`badge badge--device-${d.state}`}>{STATE_LABELS[d.state]}</span> },
          onChanged && {
            header: t("devices-actions"),
            hideHeader: true,
            align: "actions",
            cell: (d) => (
              <div className="device-actions">
                <Button testId="edit-device" aria-label={t("devices-edit-named", { name: d.name })} onClick={() => { setEditing(d); }}>
                  {t("common-edit")}
                </Button>
                <Button testId="reassign-device" aria-label={t("devices-reassign-title", { name: d.name })} onClick={() => { setGiving(d); }}>
                  {t("devices-give")}
                </Button>
                {d.state === "active" ? (
                  <Button testId="retire-device" aria-label={t("devices-retire-named", { name: d.name })} onClick={() => { setPending({ device: d, action: "retire" }); }}>
                    {t("devices-retire")}
                  </Button>
                ) : null}
                <Button look="danger" testId="remove-device" aria-label={t("devices-remove-named", { name: d.name })} onClick={() => { setPending({ device: d, action: "delete" }); }}>
                  {t("common-remove")}
                </Button>
              </div>
            ),
          },
        ]}
      />
      <ConfirmDialog
        open={pending !== null}
        title={pending?.action === "retire" ? t("devices-retire-title") : t("devices-remove-title")}
        message={
          pending?.action === "retire"
            ? t("devices-retire-confirm", { name: pending.device.name })
            : t("devices-remove-confirm", { name: pending?.device.name ?? "" })
        }
        confirmLabel={pending?.action === "retire" ? t("devices-retire") : t("common-remove")}
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
