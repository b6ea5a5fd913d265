import { useEffect, useState } from "react";
import { applyAuditRetention, databaseInfo, getSettings, saveSettings, sendTestMail, toCommandError, type AppError } from "../api";
import { Button } from "../components/Button";
import type { Settings } from "../bindings/Settings";
import type { SmtpSecurity } from "../bindings/SmtpSecurity";
import type { SmtpSettings } from "../bindings/SmtpSettings";
import { Field } from "../session/Field";
import { Conflict, followConflict, keepMine, type ConflictState } from "../components/Conflict";
import "./admin.css";
import { ErrorBanner, formMessage } from "../components/ErrorBanner";
import { useLoad } from "../components/useLoad";
import { BackupsPanel } from "./BackupsPanel";
import { languages, t } from "../i18n";

const DEFAULT_PORTS: Record<SmtpSecurity, number> = { tls: 465, start_tls: 587, none: 25 };

/** How many backups of each period are kept, as the fields are labelled. */
const KEEP_LABELS = {
  daily: t("settings-backups-keep-daily"),
  weekly: t("settings-backups-keep-weekly"),
  monthly: t("settings-backups-keep-monthly"),
};

/**
 * Whether `after` signs in to another server than `before`: a password is kept on each
 * workstation for one host, port, security and username, and sent to no other, so the
 * new server's must be entered.
 */
function needsNewPassword(before: SmtpSettings | null, after: SmtpSettings | null): boolean {
  if (after === null || after.username.trim() === "") return false;
  if (before === null) return true;
  return (
    before.host.trim() !== after.host.trim() || before.port !== after.port || before.security !== after.security || before.username.trim() !== after.username.trim()
  );
}

/** Organization name, password and sign-in policy, the mail server, and backups. */
export function SettingsPage({ onSaved }: { onSaved: (settings: Settings) => void }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  /** The settings as last read: only the fields changed since are saved over another version. */
  const [opened, setOpened] = useState<Settings | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  /** A save refused over another admin's change, and their version once read. */
  const [conflict, setConflict] = useState<ConflictState<Settings> | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [testTo, setTestTo] = useState("");
  const [smtpPassword, setSmtpPassword] = useState("");
  /** Where the directory is kept: backups are a file's, a server's are the server's. */
  const [backend, setBackend] = useState<string | null>(null);
  useLoad(
    () => databaseInfo(),
    [],
    (info) => {
      setBackend(info.backend);
    },
    setError,
  );

  const show = (current: Settings) => {
    setSettings(current);
    setOpened(current);
    setConflict(null);
  };

  useEffect(() => {
    getSettings().then((current) => {
      setSettings(current);
      setOpened(current);
    }, (reason: unknown) => {
      setError(toCommandError(reason));
    });
  }, []);

  if (!settings) return <section className="page"><ErrorBanner message={error?.message} /></section>;
  const smtp = settings.smtp;
  const number = (text: string) => Math.max(0, Math.floor(Number(text) || 0));
  const newServer = needsNewPassword(opened?.smtp ?? null, smtp);

  /** Saves over `over`, the version the changes are laid on. */
  const save = (over: Settings | null = opened) => {
    const merged = opened && over ? keepMine(opened, settings, over) : settings;
    const askPassword = newServer && smtpPassword === "";
    saveSettings(merged, smtpPassword || null).then(
      (saved) => {
        show(saved);
        setSmtpPassword("");
        setError(null);
        setNotice(askPassword ? t("settings-saved-enter-password") : t("settings-saved"));
        onSaved(saved);
      },
      (reason: unknown) => {
        const refused = toCommandError(reason);
        setNotice(null);
        if (refused.code !== "version_conflict") {
          setError(refused);
          return;
        }
        setError(null);
        // The settings always exist: `gone` is never said.
        followConflict(refused.message, getSettings, t("settings-gone"), setConflict, setError);
      },
    );
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <div className="page-title-row">
          <h1 id="page-title">{t("settings-title")}</h1>
        </div>
      </header>
      <div className="page-pad">
        <form
          className="settings"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          {conflict ? <Conflict conflict={conflict} onReload={show} onKeepMine={save} /> : null}
          <fieldset>
            <legend>{t("settings-organization")}</legend>
            <Field
              id="organization_name"
              label={t("settings-organization-name")}
              value={settings.organization_name}
              onChange={(v) => {
                setSettings({ ...settings, organization_name: v });
              }}
              errors={error?.fields}
              hint={t("settings-organization-name-hint")}
            />
            <div className="form-field">
              <label htmlFor="mail_language">{t("settings-mail-language")}</label>
              <select
                id="mail_language"
                data-testid="mail_language"
                value={settings.mail_language}
                onChange={(event) => {
                  setSettings({ ...settings, mail_language: event.target.value });
                }}
              >
                {languages().map((l) => (
                  <option key={l.code} value={l.code} lang={l.code}>
                    {l.name}
                  </option>
                ))}
              </select>
              <p className="form-note">{t("settings-mail-language-hint")}</p>
            </div>
          </fieldset>
          <fieldset>
            <legend>{t("settings-passwords")}</legend>
            <div className="row-2">
              <Field
                id="min_password_chars"
                label={t("settings-min-password-chars")}
                value={String(settings.min_password_chars)}
                inputMode="numeric"
                onChange={(v) => {
                  setSettings({ ...settings, min_password_chars: number(v) });
                }}
                errors={error?.fields}
                hint={t("settings-min-password-chars-hint")}
              />
              <Field
                id="max_failed_sign_ins"
                label={t("settings-max-failed-sign-ins")}
                value={String(settings.max_failed_sign_ins)}
                inputMode="numeric"
                onChange={(v) => {
                  setSettings({ ...settings, max_failed_sign_ins: number(v) });
                }}
                errors={error?.fields}
              />
              <Field
                id="session_idle_minutes"
                label={t("settings-session-idle-minutes")}
                value={String(settings.session_idle_minutes)}
                inputMode="numeric"
                onChange={(v) => {
                  setSettings({ ...settings, session_idle_minutes: number(v) });
                }}
                errors={error?.fields}
              />
            </div>
          </fieldset>
          <fieldset>
            <legend>{t("settings-audit-log")}</legend>
            <div className="row-2">
              <Field
                id="audit_retention_days"
                label={t("settings-audit-retention-days")}
                value={String(settings.audit_retention_days)}
                inputMode="numeric"
                onChange={(v) => {
                  setSettings({ ...settings, audit_retention_days: number(v) });
                }}
                errors={error?.fields}
                hint={t("settings-audit-retention-days-hint")}
              />
              <div className="retention-now">
                <Button
                  testId="purge-audit"
                  onClick={() => {
                    applyAuditRetention().then(
                      (purged) => {
                        setNotice(
                          purged === null
                            ? t("settings-purge-kept-forever")
                            : t("settings-purged", { entries: purged.entries, signIns: purged.sign_ins }),
                        );
                      },
                      (reason: unknown) => {
                        setError(toCommandError(reason));
                      },
                    );
                  }}
                >
                  {t("settings-purge-now")}
                </Button>
              </div>
            </div>
          </fieldset>
          <fieldset>
            <legend>{t("settings-smtp")}</legend>
            <label className="check">
              <input
                type="checkbox"
                data-testid="smtp-enabled"
                checked={smtp !== null}
                onChange={(event) => {
                  setSettings({
                    ...settings,
                    smtp: event.target.checked ? { host: "", port: 587, security: "start_tls", username: "", from_address: "" } : null,
                  });
                }}
              />
              {t("settings-smtp-enabled")}
            </label>
            {smtp ? (
              <div className="row-2">
                <Field
                  id="smtp.host"
                  label={t("settings-smtp-host")}
                  value={smtp.host}
                  onChange={(v) => {
                    setSettings({ ...settings, smtp: { ...smtp, host: v } });
                  }}
                  errors={error?.fields}
                />
                <div className="form-field">
                  <label htmlFor="smtp-security">{t("settings-smtp-security")}</label>
                  <select
                    id="smtp-security"
                    value={smtp.security}
                    onChange={(event) => {
                      const security = event.target.value as SmtpSecurity;
                      setSettings({ ...settings, smtp: { ...smtp, security, port: DEFAULT_PORTS[security] } });
                    }}
                  >
                    <option value="start_tls">STARTTLS</option>
                    <option value="tls">TLS</option>
                    <option value="none">{t("settings-smtp-security-none")}</option>
                  </select>
                </div>
                <Field
                  id="smtp.port"
                  label={t("settings-smtp-port")}
                  value={String(smtp.port)}
                  inputMode="numeric"
                  onChange={(v) => {
                    setSettings({ ...settings, smtp: { ...smtp, port: Math.min(65535, number(v)) } });
                  }}
                  errors={error?.fields}
                />
                <Field
                  id="smtp.username"
                  label={t("settings-smtp-username")}
                  value={smtp.username}
                  onChange={(v) => {
                    setSettings({ ...settings, smtp: { ...smtp, username: v } });
                  }}
                  errors={error?.fields}
                  hint={t("settings-smtp-username-hint")}
                />
                <Field
                  id="smtp_password"
                  label={t("settings-smtp-password")}
                  type="password"
                  value={smtpPassword}
                  onChange={setSmtpPassword}
                  autoComplete="new-password"
                  errors={error?.fields}
                  hint={
                    newServer
                      ? t("settings-smtp-password-hint-new-server")
                      : t("settings-smtp-password-hint")
                  }
                />
                <Field
                  id="smtp.from_address"
                  label={t("settings-smtp-from-address")}
                  type="email"
                  value={smtp.from_address}
                  onChange={(v) => {
                    setSettings({ ...settings, smtp: { ...smtp, from_address: v } });
                  }}
                  errors={error?.fields}
                />
              </div>
            ) : null}
          </fieldset>
          {backend === "sqlite" ? (
            <fieldset>
              <legend>{t("settings-backups")}</legend>
              <label className="check">
                <input
                  type="checkbox"
                  data-testid="automatic-backups"
                  checked={settings.backups.automatic}
                  onChange={(event) => {
                    setSettings({ ...settings, backups: { ...settings.backups, automatic: event.target.checked } });
                  }}
                />
                {t("settings-backups-automatic")}
              </label>
              <Field
                id="backups.folder"
                label={t("settings-backups-folder")}
                value={settings.backups.folder}
                onChange={(v) => {
                  setSettings({ ...settings, backups: { ...settings.backups, folder: v } });
                }}
                errors={error?.fields}
                hint={t("settings-backups-folder-hint")}
              />
              <div className="row-3">
                {(["daily", "weekly", "monthly"] as const).map((period) => (
                  <Field
                    key={period}
                    id={`backups.keep.${period}`}
                    label={KEEP_LABELS[period]}
                    value={String(settings.backups.keep[period])}
                    inputMode="numeric"
                    onChange={(v) => {
                      setSettings({ ...settings, backups: { ...settings.backups, keep: { ...settings.backups.keep, [period]: number(v) } } });
                    }}
                    errors={error?.fields}
                  />
                ))}
              </div>
              <p className="section-hint">{t("settings-backups-keep-hint")}</p>
            </fieldset>
          ) : null}
          <ErrorBanner message={formMessage(error)} />
          <div className="details-actions">
            <button type="submit" className="button button--primary" data-testid="save-settings">
              {t("common-save")}
            </button>
            {notice ? (
              <span className="saved" role="status">
                {notice}
              </span>
            ) : null}
          </div>
          <fieldset>
            <legend>{t("settings-test-message")}</legend>
            <div className="inline-form">
              <Field id="test_to" label={t("settings-test-message-to")} type="email" value={testTo} onChange={setTestTo} />
              <button
                type="button"
                className="button"
                onClick={() => {
                  sendTestMail(testTo).then(
                    () => {
                      setNotice(t("settings-test-message-queued", { to: testTo }));
                    },
                    (reason: unknown) => {
                      setNotice(toCommandError(reason).message);
                    },
                  );
                }}
              >
                {t("settings-test-message-send")}
              </button>
            </div>
          </fieldset>
        </form>
        {backend ? <BackupsPanel backend={backend} /> : null}
      </div>
    </section>
  );
}
