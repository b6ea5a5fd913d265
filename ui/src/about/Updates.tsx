import { useState } from "react";
import { checkForUpdate, installUpdate, restartRoster, setAutomaticUpdateChecks, toCommandError, updateStatus } from "../api";
import type { UpdateStatus } from "../bindings/UpdateStatus";
import { Button } from "../components/Button";
import { ErrorBanner } from "../components/ErrorBanner";
import { useLoad } from "../components/useLoad";
import { formatDateTime } from "../users/format";
import "./about.css";

type Busy = null | "checking" | "installing" | "saving";

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
      <h3 id="updates-heading">Updates</h3>
      {status === null ? (
        <ErrorBanner message={error} testId="updates-error" />
      ) : !status.channel ? (
        <p className="muted" data-testid="updates-no-channel">
          This copy of Roster {status.current_version} was built without an update channel (from source, or packaged by
          your system). Whoever built or packaged it provides new versions.
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
            Look for new versions by itself: when Roster opens, then once a day. It only tells you; nothing is installed
            until you ask.
          </label>
          <p className="muted" data-testid="update-last-checked">
            This is Roster {status.current_version}.{" "}
            {status.last_checked ? `Last looked for updates ${formatDateTime(status.last_checked)}.` : "Not looked for updates yet."}
          </p>
          <ErrorBanner message={error} testId="updates-error" />
          {status.installed !== null ? (
            <div role="status" data-testid="update-installed">
              <p>Roster {status.installed} is installed. Restart Roster to use it; until then this version keeps running.</p>
              <p>
                <Button testId="restart-roster" onClick={() => void restartRoster()}>
                  Restart now
                </Button>
              </p>
            </div>
          ) : status.available !== null ? (
            <div className="update-available" data-testid="update-available">
              <p role="status">
                <strong>Roster {status.available.version} is available</strong>
                {status.available.published ? ` (published ${formatDateTime(status.available.published)})` : ""}.
              </p>
              {status.available.notes ? (
                <details open className="about-section">
                  <summary>What's new in {status.available.version}</summary>
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
                  {busy === "installing" ? "Downloading and checking its signature…" : `Install ${status.available.version}`}
                </Button>
              </p>
            </div>
          ) : checked ? (
            <p role="status" data-testid="update-none">
              Roster {status.current_version} is the newest version.
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
              {busy === "checking" ? "Looking…" : "Look for updates now"}
            </Button>
          </p>
        </>
      )}
    </section>
  );
}
