import { useCallback, useEffect, useState } from "react";
import { listen } from "@tauri-apps/api/event";
import { databaseInfo, type AppError } from "./api";
import type { AvailableUpdate } from "./bindings/AvailableUpdate";
import type { ConnectionState } from "./bindings/ConnectionState";
import type { DatabaseInfo } from "./bindings/DatabaseInfo";
import type { UserId } from "./bindings/UserId";
import { AboutDialog } from "./about/AboutDialog";
import { AccountPage } from "./account/AccountPage";
import { AuditPage } from "./audit/AuditPage";
import { OutboxPage } from "./admin/OutboxPage";
import { RolesPage } from "./admin/RolesPage";
import { SettingsPage } from "./admin/SettingsPage";
import { AttributesPage } from "./attributes/AttributesPage";
import type { Permission } from "./bindings/Permission";
import { DevicesPage } from "./devices/DevicesPage";
import { GroupsPage } from "./groups/GroupsPage";
import { OrganizationsPage } from "./organizations/OrganizationsPage";
import { OrganizationSwitcher } from "./organizations/OrganizationSwitcher";
import type { Organization } from "./bindings/Organization";
import { useCan, useSession } from "./session/SessionContext";
import { useDocumentTitle } from "./session/useDocumentTitle";
import { TokensPage } from "./tokens/TokensPage";
import { OverviewPage } from "./overview/OverviewPage";
import { CreateUserDialog } from "./user-details/CreateUserDialog";
import { UserDetails } from "./user-details/UserDetails";
import { formatBackend } from "./users/format";
import { UsersPage } from "./users/UsersPage";
import { useLoad } from "./components/useLoad";
import { Button } from "./components/Button";
import { t } from "./i18n";

type DatabaseState = { kind: "loading" } | { kind: "ready"; info: DatabaseInfo } | { kind: "error"; error: AppError };

type Screen = "overview" | "users" | "groups" | "organizations" | "devices" | "tokens" | "audit" | "roles" | "outbox" | "settings" | "attributes" | "account";

/** Each screen and the permission it needs (`null`: every signed-in person). */
const SCREENS: { id: Screen; label: string; needs: Permission | null }[] = [
  { id: "overview", label: t("nav-overview"), needs: "view_users" },
  { id: "users", label: t("nav-users"), needs: "view_users" },
  { id: "groups", label: t("nav-groups"), needs: "view_users" },
  { id: "organizations", label: t("nav-organizations"), needs: "view_users" },
  { id: "devices", label: t("nav-devices"), needs: "view_tokens" },
  { id: "tokens", label: t("nav-tokens"), needs: "view_tokens" },
  { id: "audit", label: t("nav-audit"), needs: "view_audit" },
  { id: "roles", label: t("nav-roles"), needs: "manage_roles" },
  { id: "outbox", label: t("nav-outbox"), needs: "view_outbox" },
  { id: "settings", label: t("nav-settings"), needs: "manage_settings" },
  { id: "attributes", label: t("nav-attributes"), needs: "manage_settings" },
  { id: "account", label: t("nav-account"), needs: null },
];

export function App() {
  const can = useCan();
  const { session, signOut } = useSession();
  const screens = SCREENS.filter((s) => s.needs === null || can(s.needs));
  const [screen, setScreen] = useState<Screen>(can("view_users") ? "users" : "account");
  const [openUser, setOpenUser] = useState<UserId | null>(null);
  const [creating, setCreating] = useState(false);
  const [about, setAbout] = useState(false);
  const [organization, setOrganization] = useState<Organization | null>(null);
  // Bumped after every change made in a dialog, so visible lists reload in place.
  const [dataVersion, setDataVersion] = useState(0);
  const changed = useCallback(() => {
    setDataVersion((v) => v + 1);
  }, []);
  // Changes made elsewhere (another workstation, the CLI) reload what is shown, in place.
  useTauriEvent("directory-changed", changed);
  // A newer version found by the workstation's own daily check: a notice, never an install.
  const [update, setUpdate] = useState<AvailableUpdate | null>(null);
  useTauriEvent("update-available", setUpdate);

  return (
    <div className="app">
      <nav className="sidebar" aria-label={t("nav-main")}>
        <div className="brand">Roster</div>
        {can("view_users") ? (
          <OrganizationSwitcher chosen={organization} onChoose={setOrganization} dataVersion={dataVersion} />
        ) : null}
        <ul className="nav">
          {screens.map(({ id, label }) => (
            <li key={id}>
              <a
                className={screen === id ? "nav-item nav-item--active" : "nav-item"}
                href={`#${id}`}
                aria-current={screen === id ? "page" : undefined}
                data-testid={`nav-${id}`}
                onClick={(event) => {
                  event.preventDefault();
                  setScreen(id);
                }}
              >
                {label}
              </a>
            </li>
          ))}
        </ul>
        <div className="signed-in" data-testid="signed-in">
          <span title={`${session.username} · ${session.role}`}>
            {session.display_name}
            <span className="muted"> · {session.role}</span>
          </span>
          <Button look="link" testId="sign-out" onClick={signOut}>{t("shell-sign-out")}</Button>
          <Button look="link" testId="about" onClick={() => { setAbout(true); }}>{t("shell-help")}</Button>
          {update ? (
            <Button look="link" testId="update-notice" onClick={() => { setAbout(true); }}>
              {t("shell-update-available", { version: update.version })}
            </Button>
          ) : null}
        </div>
      </nav>
      <main className="main">
        {screen === "overview" ? <OverviewPage dataVersion={dataVersion} onOpenUser={setOpenUser} organization={organization} /> : null}
        {screen === "users" ? (
          <UsersPage
            organization={organization?.name ?? null}
            dataVersion={dataVersion}
            onChanged={changed}
            onOpenUser={setOpenUser}
            onCreateUser={
              can("manage_users")
                ? () => {
                    setCreating(true);
                  }
                : undefined
            }
          />
        ) : null}
        {screen === "organizations" ? <OrganizationsPage dataVersion={dataVersion} onChanged={changed} /> : null}
        {screen === "devices" ? <DevicesPage organization={organization?.name ?? null} dataVersion={dataVersion} onOpenUser={setOpenUser} /> : null}
        {screen === "tokens" ? <TokensPage dataVersion={dataVersion} organization={organization?.name ?? null} /> : null}
        {screen === "audit" ? <AuditPage dataVersion={dataVersion} organization={organization?.name ?? null} /> : null}
        {screen === "roles" ? <RolesPage /> : null}
        {screen === "outbox" ? <OutboxPage dataVersion={dataVersion} /> : null}
        {screen === "settings" ? <SettingsPage onSaved={changed} /> : null}
        {screen === "attributes" ? <AttributesPage onChanged={changed} /> : null}
        {screen === "account" ? <AccountPage /> : null}
        {screen === "groups" ? <GroupsPage dataVersion={dataVersion} onChanged={changed} onOpenUser={setOpenUser} organization={organization?.name ?? null} /> : null}
        <StatusBar />
      </main>
      {openUser !== null ? (
        <UserDetails
          userId={openUser}
          onClose={() => {
            setOpenUser(null);
          }}
          onChanged={changed}
          dataVersion={dataVersion}
          onOpenUser={setOpenUser}
        />
      ) : null}
      <AboutDialog
        open={about}
        onClose={() => {
          setAbout(false);
        }}
      />
      <CreateUserDialog
        open={creating}
        onClose={() => {
          setCreating(false);
        }}
        onCreated={(user) => {
          setCreating(false);
          changed();
          setOpenUser(user.id);
        }}
      />
    </div>
  );
}

/** The backend's events and what each carries (src-tauri/src/connection.rs, updates.rs). */
interface BackendEvents {
  "directory-changed": null;
  connection: ConnectionState;
  "update-available": AvailableUpdate;
}

/** Calls `handle` with the payload of each of the backend's `event`s while mounted. */
function useTauriEvent<K extends keyof BackendEvents>(event: K, handle: (payload: BackendEvents[K]) => void) {
  useEffect(() => {
    let stop: (() => void) | null = null;
    let gone = false;
    void listen<BackendEvents[K]>(event, (e) => {
      handle(e.payload);
    }).then((unlisten) => {
      if (gone) unlisten();
      else stop = unlisten;
    });
    return () => {
      gone = true;
      stop?.();
    };
  }, [event, handle]);
}

function StatusBar() {
  const { changeDirectory } = useSession();
  const [database, setDatabase] = useState<DatabaseState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [connection, setConnection] = useState<ConnectionState>({ state: "connected" });
  useTauriEvent("connection", setConnection);
  useDocumentTitle(database.kind === "ready" ? database.info : null);

  useLoad(
    () => databaseInfo(),
    [attempt],
    (info) => {
      setDatabase({ kind: "ready", info });
    },
    (error) => {
      setDatabase({ kind: "error", error });
    },
  );

  const retry = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);

  return (
    <footer className="status-bar">
      {connection.state === "reconnecting" ? (
        <span data-testid="database" className="status-bar-error" role="status" title={connection.message}>
          {t("statusbar-reconnecting", { seconds: connection.retry_in_seconds })}
        </span>
      ) : database.kind === "ready" ? (
        <span data-testid="database" title={database.info.location}>
          {formatBackend(database.info.backend)} · {database.info.location}{" "}
          <Button look="link" testId="change-directory" onClick={changeDirectory}>
            {t("statusbar-change-directory")}
          </Button>
        </span>
      ) : database.kind === "error" ? (
        <span data-testid="database" className="status-bar-error" title={database.error.message}>
          {t("statusbar-database-unavailable", { reason: database.error.message })}{" "}
          <Button look="link" onClick={retry}>{t("statusbar-retry")}</Button>
        </span>
      ) : (
        <span data-testid="database" className="muted">
          {t("statusbar-connecting")}
        </span>
      )}
    </footer>
  );
}
