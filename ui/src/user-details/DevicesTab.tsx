import { useState } from "react";
import { listDevices } from "../api";
import type { Device } from "../bindings/Device";
import { DeviceList } from "../devices/DeviceList";
import type { User } from "../bindings/User";
import { useLoad } from "../components/useLoad";
import { ErrorBanner } from "../components/ErrorBanner";
import { t } from "../i18n";

export function DevicesTab({ user, canView, canManage, onChanged }: { user: User; canView: boolean; canManage: boolean; onChanged: () => void }) {
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped by a change made here that leaves the user's count as it was (an edit).
  const [version, setVersion] = useState(0);

  useLoad(
    () => listDevices({ search: "", os: [], state: null, owner: user.id, organization: null, sort: "name", descending: false, limit: 1000, offset: 0 }),
    // The count changes with every device added, retired or removed, here or elsewhere.
    [user.id, user.device_count, user.version, version],
    (page) => {
      setDevices(page.devices);
      setError(null);
    },
    (e) => {
      setError(e.message);
    },
  );

  if (!canView) return <p className="empty-tab">{t("details-devices-hidden")}</p>;
  return (
    <div data-testid="devices-tab">
      <p className="muted" data-testid="device-count-line">
        {t("details-active-devices", { count: user.device_count })}
      </p>
      <ErrorBanner message={error} />
      {devices ? <DeviceList
          owner={user.id}
          devices={devices}
          onChanged={
            canManage
              ? () => {
                  setVersion((v) => v + 1);
                  onChanged();
                }
              : undefined
          }
        /> : <p className="muted">{t("common-loading")}</p>}
    </div>
  );
}
