import { useState } from "react";
import { checkForUpdate, installUpdate, restartRoster, setAutomaticUpdateChecks, toCommandError, updateStatus } from "../api";
import type { UpdateStatus } from "../bindings/UpdateStatus";
import { Button } from "../components/Button";
import { ErrorBanner } from "../components/ErrorBanner";
import { useLoad } from "../components/useLoad";
import { formatDateTime, t } from "../i18n";
import { tElements } from "../i18n/elements";
import "./about.css";

type Busy = null | "checking" | "installing" | "saving";

/** A date and time in a sentence of this section. */
function at(rfc3339: string) {
  return <time dateTime={rfc3339}>{formatDateTime(rfc3339)}</time>;
}

/**
 * Help → Updates: whether this workstation looks for new versions by itself, a check on
 * demand, and what a newer version changes. Nothing is installed until the admin asks;
 * then the download is checked against the key built into this copy before it replaces it.
 */
export function Updates({ open }: { open: boolean }) {
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [checked, setChecked] = useState(false);

  useLoad(() => (open ? updateStatus() : null), [open], setStatus, (e) => {
    setError(e.message);
  });

  const run = (what: Busy, action: () => Promise<UpdateStatus>) => {
    setBusy(what);
    setError(null);
    action()
      .then((next) => {
        setStatus(next);
        if (what === "checking") setChecked(true);
      })
      .catch((reason: unknown) => {
        setError(toCommandError(reason).message);
      })
      .finally(() => {
        setBusy(null);
      });
  };

  return (
    <section className="updates" aria-labelledby="updates-heading" data-testid="updates">
      <h3 id="updates-heading">{t("updates-title")}</h3>
      {status === null ? (
        <ErrorBanner message={error} testId="updates-error" />
      ) : !status.channel ? (
        <p className="muted" data-testid="updates-no-channel">
          {t("updates-no-channel", { version: status.current_version })}
        </p>
      ) : (
        <>
          <label className="check">
            <input
              type="checkbox"
              data-testid="automatic-update-checks"
              checked={status.automatic_checks}
              disabled={busy !== null}
              onChange={(event) => {
                const on = event.target.checked;
                run("saving", () => setAutomaticUpdateChecks(on));
              }}
            />
            {t("updates-automatic-checks")}
          </label>
          <p className="muted" data-testid="update-last-checked">
            {t("updates-this-version", { version: status.current_version })}{" "}
            {status.last_checked ? tElements("updates-last-checked", { at: at(status.last_checked) }) : t("updates-never-checked")}
          </p>
          <ErrorBanner message={error} testId="updates-error" />
          {status.installed !== null ? (
            <div role="status" data-testid="update-installed">
              <p>{t("updates-installed", { version: status.installed })}</p>
              <p>
                <Button testId="restart-roster" onClick={() => void restartRoster()}>
                  {t("updates-restart-now")}
                </Button>
              </p>
            </div>
          ) : status.available !== null ? (
            <div className="update-available" data-testid="update-available">
              <p role="status">
                {tElements(status.available.published ? "updates-available-published" : "updates-available-sentence", {
                  available: <strong>{t("updates-available", { version: status.available.version })}</strong>,
                  published: status.available.published ? at(status.available.published) : null,
                })}
              </p>
              {status.available.notes ? (
                <details open className="about-section">
                  <summary>{t("updates-whats-new", { version: status.available.version })}</summary>
                  <pre className="update-notes" data-testid="update-notes">
                    {status.available.notes}
                  </pre>
                </details>
              ) : null}
              <p>
                <Button
                  testId="install-update"
                  look="primary"
                  disabled={busy !== null}
                  onClick={() => {
                    run("installing", installUpdate);
                  }}
                >
                  {busy === "installing" ? t("updates-installing") : t("updates-install", { version: status.available.version })}
                </Button>
              </p>
            </div>
          ) : checked ? (
            <p role="status" data-testid="update-none">
              {t("updates-newest", { version: status.current_version })}
            </p>
          ) : null}
          <p>
            <Button
              testId="check-for-update"
              disabled={busy !== null}
              onClick={() => {
                run("checking", checkForUpdate);
              }}
            >
              {busy === "checking" ? t("updates-checking") : t("updates-check-now")}
            </Button>
          </p>
        </>
      )}
    </section>
  );
}
