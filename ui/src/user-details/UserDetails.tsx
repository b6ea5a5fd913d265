import { useCallback, useEffect, useState } from "react";
import { getUser } from "../api";
import { useCan } from "../session/SessionContext";
import { Administers } from "./Administers";
import { CredentialActions } from "./CredentialActions";
import type { User } from "../bindings/User";
import type { UserId } from "../bindings/UserId";
import { STATUS_LABELS } from "../users/format";
import "./details.css";
import { useLoad } from "../components/useLoad";
import { ErrorBanner } from "../components/ErrorBanner";
import { InfoTab } from "./InfoTab";
import { Reporting } from "./Reporting";
import { GroupsTab } from "./GroupsTab";
import { DevicesTab } from "./DevicesTab";
import { TokensTab } from "./TokensTab";
import { ActivityTab } from "./ActivityTab";
import { t } from "../i18n";

export interface UserDetailsProps {
  userId: UserId;
  onClose: () => void;
  /** Call after any change, so lists reload. */
  onChanged: () => void;
  /** Bumped when the directory changed (here or elsewhere): the user is read again. */
  dataVersion: number;
  /** Shows another user's details (a manager, a direct report). */
  onOpenUser: (id: UserId) => void;
}

type Tab = "info" | "groups" | "tokens" | "devices" | "activity";

const TABS: { id: Tab; label: string }[] = [
  { id: "info", label: t("details-tab-info") },
  { id: "groups", label: t("details-tab-groups") },
  { id: "tokens", label: t("details-tab-tokens") },
  { id: "devices", label: t("details-tab-devices") },
  { id: "activity", label: t("details-tab-activity") },
];

export function UserDetails({ userId, onClose, onChanged, dataVersion, onOpenUser }: UserDetailsProps) {
  const can = useCan();
  const [user, setUser] = useState<User | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>("info");
  const [version, setVersion] = useState(0);

  const reload = useCallback(() => {
    setVersion((v) => v + 1);
  }, []);
  // Reads the user again without starting the form over (a reload does that).
  const [reread, setReread] = useState(0);
  const readAgain = useCallback(() => {
    setReread((n) => n + 1);
  }, []);

  useLoad(
    () => getUser(userId),
    [userId, version, dataVersion, reread],
    (u) => {
      setUser(u);
      setLoadError(null);
    },
    (e) => {
      setLoadError(e.message);
    },
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !document.querySelector("dialog[open]")) onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
    };
  }, [onClose]);

  const name = user ? `${user.first_name} ${user.last_name}` : t("details-title-loading");
  return (
    <div className="details" role="dialog" aria-label={name} data-testid="user-details">
      <header className="details-header">
        <div>
          <h2>{name}</h2>
          {user ? (
            <p className="details-sub">
              <span>{user.username}</span>
              <span className={`badge badge--${user.status}`}>{STATUS_LABELS[user.status]}</span>
              <span>{t("details-user-id", { id: String(user.id) })}</span>
            </p>
          ) : null}
        </div>
        <button type="button" className="icon-button" aria-label={t("common-close")} data-testid="close-details" onClick={onClose}>
          ×
        </button>
      </header>
      {user && can("reset_credentials") ? (
        <CredentialActions
          user={user}
          onChanged={() => {
            reload();
            onChanged();
          }}
        />
      ) : null}
      <div className="tabs" role="tablist">
        {TABS.filter((entry) => entry.id !== "activity" || can("view_audit")).map((entry) => (
          <button
            key={entry.id}
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab === entry.id}
            data-testid={`tab-${entry.id}`}
            onClick={() => {
              setTab(entry.id);
            }}
          >
            {entry.label}
          </button>
        ))}
      </div>
      <div className="details-body" role="tabpanel">
        {loadError ? (
          <ErrorBanner message={loadError} />
        ) : !user ? (
          <p className="muted">{t("common-loading")}</p>
        ) : tab === "info" ? (
          <>
          <InfoTab
            key={`${user.id}-${version}`}
            user={user}
            onSaved={(saved) => {
              setUser(saved);
              onChanged();
            }}
            onReload={reload}
            onReadAgain={readAgain}
          />
          <Reporting user={user} onOpenUser={onOpenUser} />
          {user.role !== "user" ? <Administers user={user} onSaved={onChanged} /> : null}
          </>
        ) : tab === "groups" ? (
          <GroupsTab
            user={user}
            onChanged={() => {
              reload();
              onChanged();
            }}
          />
        ) : tab === "tokens" ? (
          <TokensTab user={user} canIssue={can("manage_tokens")} canView={can("view_tokens")} />
        ) : tab === "devices" ? (
          <DevicesTab
            user={user}
            canView={can("view_tokens")}
            canManage={can("manage_tokens")}
            onChanged={() => {
              reload();
              onChanged();
            }}
          />
        ) : (
          <ActivityTab userId={user.id} version={user.version} />
        )}
      </div>
    </div>
  );
}
