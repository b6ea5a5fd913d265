import { useState } from "react";
import { overview as loadOverview } from "../api";
import type { Organization } from "../bindings/Organization";
import type { Overview } from "../bindings/Overview";
import type { UserId } from "../bindings/UserId";
import { formatDateTime, STATUS_LABELS, TWO_FACTOR_LABELS } from "../users/format";
import "./overview.css";
import { useLoad } from "../components/useLoad";
import { Button } from "../components/Button";

export interface OverviewPageProps {
  dataVersion: number;
  onOpenUser: (id: UserId) => void;
  /** The organization chosen in the switcher; `null`: all the account may see. */
  organization: Organization | null;
}

function Bars<S extends string>({
  title,
  rows,
  labels,
  testId,
  total,
}: {
  title: string;
  rows: readonly { state: S; count: number }[];
  labels: Record<S, string>;
  testId: string;
  total: number;
}) {
  return (
    <section className="card">
      <h2>{title}</h2>
      <ul className="bars">
        {rows.map(({ state, count }) => (
          <li key={state} data-testid={`${testId}-${state}`}>
            <span className="bar-label">{labels[state]}</span>
            <span className="bar-track" aria-hidden="true">
              <span className={`bar bar--${state}`} style={{ width: `${total ? (100 * count) / total : 0}%` }} />
            </span>
            <span className="bar-count">{count.toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function OverviewPage({ dataVersion, onOpenUser, organization }: OverviewPageProps) {
  const [data, setData] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);

  useLoad(
    () => loadOverview(organization?.id ?? null),
    [dataVersion, organization],
    setData,
    (e) => {
      setError(e.message);
    },
  );

  return (
    <section className="page overview" data-testid="overview-page" aria-labelledby="overview-title">
      <header className="page-header">
        <h1 id="overview-title">{organization ? `Overview of ${organization.name}` : "Overview"}</h1>
      </header>
      {error ? (
        <div className="state state--error" role="alert">
          <h2 className="state-title">Couldn’t load the overview</h2>
          <p className="state-message">{error}</p>
        </div>
      ) : !data ? (
        <p className="muted">Loading…</p>
      ) : data.total === 0 ? (
        <div className="state">
          <h2 className="state-title">No users yet</h2>
          <p className="state-hint">
            Add users with <code>roster user add</code> or the Users screen.
          </p>
        </div>
      ) : (
        <div className="overview-grid">
          <section className="card card--total">
            <h2>Users</h2>
            <p className="big-number" data-testid="overview-total">{data.total.toLocaleString()}</p>
          </section>
          <Bars title="Users by status" rows={data.by_status} labels={STATUS_LABELS} testId="status-bar" total={data.total} />
          <Bars title="Users by 2FA state" rows={data.by_two_factor} labels={TWO_FACTOR_LABELS} testId="two-factor-bar" total={data.total} />
          {data.recent_changes === null ? null : (
            <section className="card card--wide">
              <h2>Recent changes</h2>
              <ul className="recent">
                {data.recent_changes.map((entry) => {
                  const openable = entry.target.kind === "user" && !entry.target.name.startsWith("Deleted User");
                  return (
                    <li key={entry.id} data-testid="recent-change">
                      <span className="muted">{formatDateTime(entry.at)}</span>
                      <span>
                        {entry.actor} · {entry.label} ·{" "}
                        {openable ? (
                          <Button look="link" onClick={() => { onOpenUser(entry.target.id); }}>{entry.target.name}</Button>
                        ) : (
                          entry.target.name
                        )}
                      </span>
                    </li>
                  );
                })}
              </ul>
            </section>
          )}
        </div>
      )}
    </section>
  );
}
