import { useEffect, useState, type ReactNode } from "react";
import { exportMail, outbox, revealMail, sessionState, toCommandError } from "../api";
import type { MailMessage } from "../bindings/MailMessage";
import { formatDateTime, t } from "../i18n";
import "../tokens/tokens.css";
import "./admin.css";
import { Button } from "../components/Button";
import { ErrorBanner } from "../components/ErrorBanner";
import { tElements } from "../i18n/elements";

/** A date and time in a sentence of this page. */
function at(rfc3339: string) {
  return <time dateTime={rfc3339}>{formatDateTime(rfc3339)}</time>;
}

function statusText(mail: MailMessage, smtp: boolean): ReactNode {
  if (mail.status === "sent") return mail.sent_at ? tElements("outbox-status-sent-at", { at: at(mail.sent_at) }) : t("outbox-status-sent");
  if (mail.status === "failed") return t("outbox-status-failed", { attempts: mail.attempts });
  if (!smtp) return t("outbox-status-not-sent");
  return mail.attempts > 0 ? t("outbox-status-retrying", { failed: mail.attempts }) : t("outbox-status-queued");
}

/** Every message Roster wrote: read it, copy it, or save it as an .eml file. */
export function OutboxPage({ dataVersion }: { dataVersion: number }) {
  const [smtpConfigured, setSmtpConfigured] = useState(true);
  const [messages, setMessages] = useState<MailMessage[] | null>(null);
  const [open, setOpen] = useState<MailMessage | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The message whose one-time code was revealed, as revealed (each reveal is an audit
  // entry). Kept apart from the list: that entry reloads the list, which hides codes.
  const [revealed, setRevealed] = useState<MailMessage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void sessionState().then((s) => {
      setSmtpConfigured(s.welcome.smtp_configured);
    });
    outbox().then(
      (m) => {
        setMessages(m);
        setOpen((current) => m.find((x) => x.id === current?.id) ?? m[0] ?? null);
      },
      (reason: unknown) => {
        setError(toCommandError(reason).message);
      },
    );
  }, [dataVersion]);

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <div className="page-title-row">
          <h1 id="page-title">{t("outbox-title")}</h1>
        </div>
        {!smtpConfigured ? <p className="gate-notice">{t("outbox-no-smtp")}</p> : null}
      </header>
      <div className="outbox page-pad">
        <ErrorBanner message={error} />
        {messages && messages.length === 0 ? <p className="empty-tab">{t("outbox-empty")}</p> : null}
        <ul className="outbox-list" data-testid="outbox-list">
          {(messages ?? []).map((m) => (
            <li key={m.id}>
              <button
                type="button"
                className={open?.id === m.id ? "outbox-item outbox-item--open" : "outbox-item"}
                data-testid="outbox-item"
                onClick={() => {
                  setOpen(m);
                  setNotice(null);
                }}
              >
                <strong>{m.subject}</strong>
                <span className="muted">
                  {m.to_name ? `${m.to_name} <${m.to_address}>` : m.to_address}
                </span>
                <span className={`outbox-status outbox-status--${m.status}`}>{statusText(m, smtpConfigured)}</span>
              </button>
            </li>
          ))}
        </ul>
        {open ? (
          <OpenMessage
            open={revealed?.id === open.id ? revealed : open}
            canReveal={open.has_code && revealed?.id !== open.id}
            notice={notice}
            onReveal={(whole) => {
              setRevealed(whole);
              setNotice(t("outbox-code-revealed"));
            }}
            onNotice={setNotice}
          />
        ) : null}
      </div>
    </section>
  );
}

/** The open message: its text, and what can be done with it. */
function OpenMessage({
  open,
  canReveal,
  notice,
  onReveal,
  onNotice,
}: {
  open: MailMessage;
  canReveal: boolean;
  notice: string | null;
  onReveal: (whole: MailMessage) => void;
  onNotice: (notice: string) => void;
}) {
  return (
    <article className="outbox-message" data-testid="outbox-message">
      <h2>{open.subject}</h2>
      <p className="muted">
        {tElements("outbox-message-to", { written: at(open.created_at) }, { recipient: open.to_name ? `${open.to_name} <${open.to_address}>` : open.to_address })}
      </p>
      {open.last_error ? <p className="form-banner">{t("outbox-last-attempt", { error: open.last_error })}</p> : null}
      <pre className="outbox-body" data-testid="outbox-body">
        {open.body}
      </pre>
      <div className="details-actions">
        {canReveal ? (
          <Button
            testId="reveal-code"
            onClick={() => {
              revealMail(open.id).then(onReveal, (reason: unknown) => {
                onNotice(toCommandError(reason).message);
              });
            }}
          >
            {t("outbox-show-code")}
          </Button>
        ) : null}
        <Button
          onClick={() => {
            void navigator.clipboard.writeText(open.body).then(() => {
              onNotice(t("outbox-copied"));
            });
          }}
        >
          {t("outbox-copy-text")}
        </Button>
        <button
          type="button"
          className="button"
          data-testid="export-eml"
          onClick={() => {
            exportMail(open.id).then(
              (path) => {
                onNotice(t("outbox-saved-to", { path }));
              },
              (reason: unknown) => {
                onNotice(toCommandError(reason).message);
              },
            );
          }}
        >
          {t("outbox-save-eml")}
        </button>
        {notice ? (
          <span className="saved" role="status" data-testid="outbox-notice">
            {notice}
          </span>
        ) : null}
      </div>
    </article>
  );
}
