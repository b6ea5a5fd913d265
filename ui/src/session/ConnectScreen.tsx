import { useState, type SyntheticEvent } from "react";
import { connections, deleteConnection, openDirectory, saveConnection, testConnection, toCommandError, type AppError } from "../api";
import type { Connections } from "../bindings/Connections";
import type { Profile } from "../bindings/Profile";
import type { ServerAddress } from "../bindings/ServerAddress";
import type { ServerKind } from "../bindings/ServerKind";
import type { TlsMode } from "../bindings/TlsMode";
import { Button } from "../components/Button";
import { SaveDiagnostics } from "../about/SaveDiagnostics";
import { useLoad } from "../components/useLoad";
import { Field } from "./Field";
import { ErrorBanner } from "../components/ErrorBanner";
import { t } from "../i18n";

const KIND_LABELS: Record<ServerKind, string> = { postgres: "PostgreSQL", mysql: t("connect-kind-mysql") };
const DEFAULT_PORTS: Record<ServerKind, number> = { postgres: 5432, mysql: 3306 };
const TLS_LABELS: Record<TlsMode, string> = {
  verify_full: t("connect-tls-verify-full"),
  require: t("connect-tls-require"),
  prefer: t("connect-tls-prefer"),
  disable: t("connect-tls-disable"),
};

const NEW_PROFILE: Profile = {
  name: "",
  server: { kind: "postgres", host: "", port: 5432, database: "roster", user: "", tls: "prefer", ca_file: null },
};

/** Which entry is open for editing: a saved one (by name) or a new one. */
type Editing = { profile: Profile; replacing: string | null };

/**
 * Chooses the directory the window works on: the database file on this computer, or a saved
 * database server. Opening one signs the window out: accounts belong to a directory.
 */
export function ConnectScreen({ problem, onOpened, onBack }: { problem: string | null; onOpened: () => void; onBack: (() => void) | null }) {
  const [list, setList] = useState<Connections | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [opening, setOpening] = useState<string | null>(null);
  const [openError, setOpenError] = useState<{ name: string | null; message: string } | null>(null);
  const [password, setPassword] = useState("");

  useLoad(
    () => connections(),
    [],
    (c) => {
      setList(c);
      setLoadError(null);
    },
    (e) => {
      setLoadError(e.message);
    },
  );

  const open = (name: string | null) => {
    setOpening(name ?? "");
    setOpenError(null);
    openDirectory(name, openError?.name === name && password !== "" ? password : null).then(
      () => {
        setPassword("");
        onOpened();
      },
      (reason: unknown) => {
        setOpenError({ name, message: toCommandError(reason).message });
        setOpening(null);
      },
    );
  };

  if (editing) {
    return (
      <ProfileForm
        editing={editing}
        canSave={list?.can_save ?? false}
        onSaved={(saved) => {
          setList(saved);
          setEditing(null);
        }}
        onCancel={() => {
          setEditing(null);
        }}
      />
    );
  }

  const current = (name: string | null) => list !== null && list.open_error === null && list.open_profile === name && (name !== null || list.open_location.startsWith("sqlite:"));
  const entry = (name: string | null, title: string, location: string, profile: Profile | null) => (
    <li key={name ?? ""} className="connect-entry" data-testid={name === null ? "connection-this-computer" : `connection-${name}`}>
      <div className="connect-entry-text">
        <strong>{title}</strong>
        {current(name) ? <span className="badge badge--active">{t("connect-open-now")}</span> : null}
        <span className="muted connect-location" translate="no">{location}</span>
      </div>
      <div className="connect-entry-actions">
        {profile ? (
          <>
            <Button
              look="link"
              testId={`edit-connection-${profile.name}`}
              onClick={() => {
                setEditing({ profile, replacing: profile.name });
              }}
            >
              {t("common-edit")}
            </Button>
            <Button
              look="link"
              testId={`delete-connection-${profile.name}`}
              onClick={() => {
                if (!window.confirm(t("connect-remove-confirm", { name: profile.name }))) return;
                deleteConnection(profile.name).then(setList, (reason: unknown) => {
                  setLoadError(toCommandError(reason).message);
                });
              }}
            >
              {t("common-remove")}
            </Button>
          </>
        ) : null}
        <Button
          look="primary"
          testId={name === null ? "open-this-computer" : `open-connection-${name}`}
          disabled={opening !== null}
          onClick={() => {
            open(name);
          }}
        >
          {opening === (name ?? "") ? t("connect-opening") : t("connect-open")}
        </Button>
      </div>
      {openError && openError.name === name ? (
        <div className="connect-open-error">
          <ErrorBanner message={sentence(openError.message)} testId="open-error" />
          {name !== null ? (
            <Field
              id="open-password"
              label={t("connect-open-password")}
              type="password"
              value={password}
              onChange={setPassword}
              autoComplete="current-password"
              hint={t("connect-open-password-hint")}
            />
          ) : null}
        </div>
      ) : null}
    </li>
  );

  return (
    <div className="gate">
      <main className="gate-card connect-card" data-testid="connect-screen">
        <div className="gate-brand">Roster</div>
        <h1>{t("connect-title")}</h1>
        <p className="muted">{t("connect-intro")}</p>
        <ErrorBanner message={problem ? sentence(problem) : null} testId="connect-problem" />
        <ErrorBanner message={loadError ? sentence(loadError) : null} />
        {list ? (
          <ul className="connect-list" aria-label={t("connect-directories")}>
            {entry(null, t("connect-this-computer"), list.this_computer, null)}
            {list.saved.map(({ profile, location }) => entry(profile.name, profile.name, location, profile))}
          </ul>
        ) : (
          <p className="muted">{t("common-loading")}</p>
        )}
        <div className="connect-footer">
          <Button
            testId="add-server"
            disabled={list !== null && !list.can_save}
            onClick={() => {
              setEditing({ profile: NEW_PROFILE, replacing: null });
            }}
          >
            {t("connect-add-server")}
          </Button>
          {onBack ? (
            <Button look="link" testId="connect-back" onClick={onBack}>
              {t("common-back")}
            </Button>
          ) : null}
        </div>
        <SaveDiagnostics headingLevel={2} />
      </main>
    </div>
  );
}

function ProfileForm({ editing, canSave, onSaved, onCancel }: { editing: Editing; canSave: boolean; onSaved: (list: Connections) => void; onCancel: () => void }) {
  const [profile, setProfile] = useState<Profile>(editing.profile);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [tested, setTested] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const server = profile.server;
  /** The saved password is kept for the server exactly as saved: an edit of where or how it connects needs it again. */
  const serverChanged = editing.replacing !== null && JSON.stringify(server) !== JSON.stringify(editing.profile.server);
  const setServer = (change: Partial<ServerAddress>) => {
    setProfile({ ...profile, server: { ...server, ...change } });
    setTested(null);
  };

  const test = () => {
    setBusy(true);
    setTested(null);
    setError(null);
    testConnection(server, password === "" ? null : password)
      .then(
        (message) => {
          setTested({ ok: true, message });
        },
        (reason: unknown) => {
          const e = toCommandError(reason);
          if (e.fields.length > 0) setError(e);
          else setTested({ ok: false, message: e.message });
        },
      )
      .finally(() => {
        setBusy(false);
      });
  };

  const save = (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    saveConnection(profile, password === "" ? null : password, editing.replacing)
      .then(onSaved, (reason: unknown) => {
        setError(toCommandError(reason));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  const fieldErrors = error?.fields;
  return (
    <div className="gate">
      <main className="gate-card connect-card" data-testid="connection-form">
        <div className="gate-brand">Roster</div>
        <h1>{editing.replacing ? t("connect-form-title-edit", { name: editing.replacing }) : t("connect-form-title-add")}</h1>
        <form className="gate-form" onSubmit={save}>
          <Field
            id="name"
            label={t("connect-name")}
            value={profile.name}
            onChange={(name) => {
              setProfile({ ...profile, name });
            }}
            hint={t("connect-name-hint")}
            errors={fieldErrors}
            autoFocus
          />
          <div className="row-2">
            <div className="form-field">
              <label htmlFor="kind">{t("connect-server")}</label>
              <select
                id="kind"
                data-testid="kind"
                value={server.kind}
                onChange={(event) => {
                  const kind = event.target.value as ServerKind;
                  setServer({ kind, port: server.port === DEFAULT_PORTS[server.kind] ? DEFAULT_PORTS[kind] : server.port });
                }}
              >
                {Object.entries(KIND_LABELS).map(([kind, label]) => (
                  <option key={kind} value={kind}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <Field
              id="database"
              label={t("connect-database")}
              value={server.database}
              onChange={(database) => {
                setServer({ database });
              }}
              errors={fieldErrors}
            />
          </div>
          <div className="row-2">
            <Field
              id="host"
              label={t("connect-host")}
              value={server.host}
              onChange={(host) => {
                setServer({ host });
              }}
              hint={t("connect-host-hint")}
              errors={fieldErrors}
            />
            <Field
              id="port"
              label={t("connect-port")}
              value={server.port === 0 ? "" : String(server.port)}
              inputMode="numeric"
              onChange={(v) => {
                const digits = v.replace(/\D/g, "");
                setServer({ port: Math.min(65535, digits === "" ? 0 : Number(digits)) });
              }}
              errors={fieldErrors}
            />
          </div>
          <div className="row-2">
            <Field
              id="user"
              label={t("connect-user")}
              value={server.user}
              onChange={(user) => {
                setServer({ user });
              }}
              autoComplete="username"
              errors={fieldErrors}
            />
            <Field
              id="password"
              label={t("connect-password")}
              type="password"
              value={password}
              onChange={(v) => {
                setPassword(v);
                setTested(null);
              }}
              autoComplete="new-password"
              hint={
                serverChanged
                  ? t("connect-password-hint-again")
                  : editing.replacing
                    ? t("connect-password-hint-keep")
                    : t("connect-password-hint-new")
              }
              errors={fieldErrors}
            />
          </div>
          <div className="form-field">
            <label htmlFor="tls">{t("connect-tls")}</label>
            <select
              id="tls"
              data-testid="tls"
              value={server.tls}
              onChange={(event) => {
                const tls = event.target.value as TlsMode;
                setServer({ tls, ca_file: tls === "verify_full" ? server.ca_file : null });
              }}
            >
              {Object.entries(TLS_LABELS).map(([mode, label]) => (
                <option key={mode} value={mode}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          {server.tls === "verify_full" ? (
            <Field
              id="ca_file"
              label={t("connect-ca-file")}
              value={server.ca_file ?? ""}
              onChange={(file) => {
                setServer({ ca_file: file === "" ? null : file });
              }}
              hint={t("connect-ca-file-hint")}
              errors={fieldErrors}
            />
          ) : null}
          {tested ? (
            <p className={tested.ok ? "gate-notice connect-ok" : "form-banner"} role={tested.ok ? "status" : "alert"} data-testid="test-result">
              {sentence(tested.message)}
            </p>
          ) : null}
          <ErrorBanner message={error && error.fields.length === 0 ? sentence(error.message) : null} />
          {!canSave ? <p className="form-note">{t("connect-cannot-save")}</p> : null}
          <div className="connect-footer">
            <Button testId="test-connection" disabled={busy} onClick={test}>
              {t("connect-test")}
            </Button>
            <span className="connect-spacer" />
            <Button look="link" onClick={onCancel}>
              {t("common-cancel")}
            </Button>
            <button type="submit" className="button button--primary" data-testid="save-connection" disabled={busy || !canSave}>
              {t("common-save")}
            </button>
          </div>
        </form>
      </main>
    </div>
  );
}

/** The backend's messages are phrased to follow "roster: "; on screen they are sentences. */
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}
