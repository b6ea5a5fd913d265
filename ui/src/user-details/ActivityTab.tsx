import { useState } from "react";
import { userActivity, userSignIns } from "../api";
import type { SignInEntry } from "../bindings/SignInEntry";
import type { AuditEntry } from "../bindings/AuditEntry";
import type { UserId } from "../bindings/UserId";
import { actionLabel, formatDateTime, t } from "../i18n";
import { originLabel } from "../audit/origins";
import { useLoad } from "../components/useLoad";
import { ErrorBanner } from "../components/ErrorBanner";

export function ActivityTab({ userId, version }: { userId: UserId; version: number }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [signIns, setSignIns] = useState<SignInEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  useLoad(
    () => Promise.all([userActivity(userId), userSignIns(userId)]),
    [userId, version],
    ([e, s]) => {
      setEntries(e);
      setSignIns(s);
    },
    (e) => {
      setError(e.message);
    },
  );
  if (error) return <ErrorBanner message={error} />;
  if (!entries) return <p className="muted">{t("common-loading")}</p>;
  if (entries.length === 0 && signIns.length === 0) return <p className="empty-tab">{t("details-no-activity")}</p>;
  return (
    <>
      {signIns.length > 0 ? (
        <>
          <h3 className="section-title">{t("details-sign-in-attempts")}</h3>
          <ul className="list" data-testid="sign-in-list">
            {signIns.slice(0, 50).map((s) => (
              <li key={s.id} data-testid="sign-in-entry">
                <div>
                  <strong className={s.success ? "saved" : "field-error"}>{s.success ? t("details-sign-in-succeeded") : t("details-sign-in-failed")}</strong>
                  <span className="muted">
                    {" "}
                    · <time dateTime={s.at}>{formatDateTime(s.at)}</time> · {s.workstation} ({originLabel(s.origin)}) · {s.reason}
                  </span>
                </div>
              </li>
            ))}
          </ul>
          <h3 className="section-title">{t("details-changes")}</h3>
        </>
      ) : null}
      <AuditList entries={entries} />
    </>
  );
}

function AuditList({ entries }: { entries: AuditEntry[] }) {
  return (
    <ul className="list">
      {entries.map((entry) => (
        <li key={entry.id} data-testid="activity-entry">
          <div>
            <strong>{actionLabel(entry)}</strong>
            <span className="muted">
              {" "}
              · <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> · {entry.actor}@{entry.workstation} ({originLabel(entry.origin)})
            </span>
            <ul className="activity-changes">
              {entry.changes.map((c) => (
                <li key={c.field}>
                  {c.field}: {c.before ?? "∅"} → {c.after ?? "∅"}
                </li>
              ))}
            </ul>
          </div>
        </li>
      ))}
    </ul>
  );
}
