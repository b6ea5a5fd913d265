import { useState } from "react";
import { overview as loadOverview } from "../api";
import type { Organization } from "../bindings/Organization";
import type { Overview } from "../bindings/Overview";
import type { UserId } from "../bindings/UserId";
import { STATUS_LABELS, TWO_FACTOR_LABELS } from "../users/format";
import { actionLabel, formatCount, formatDateTime, t } from "../i18n";
import "./overview.css";
import { useLoad } from "../components/useLoad";
import { Button } from "../components/Button";

export interface OverviewPageProps {
  dataVersion: number;
  onOpenUser: (id: UserId) => void;
  /** The organization chosen in the switcher; `null`: all the account may see. */
  organization: Organization | null;
}

/** Stands for the command in the empty state's hint, so the sentence is translated whole around it. */
const COMMAND = "\uE000";

function EmptyHint() {
  const [before, after] = t("overview-empty-hint", { command: COMMAND }).split(COMMAND);
  return (
    <p className="state-hint">
      {before}
      <code>roster user add</code>
      {after}
    </p>
  );
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
            <span className="bar-count">{formatCount(count)}</span>
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
        <h1 id="overview-title">{organization ? t("overview-title-of", { name: organization.name }) : t("overview-title")}</h1>
      </header>
      {error ? (
        <div className="state state--error" role="alert">
          <h2 className="state-title">{t("overview-load-failed")}</h2>
          <p className="state-message">{error}</p>
        </div>
      ) : !data ? (
        <p className="muted">{t("common-loading")}</p>
      ) : data.total === 0 ? (
        <div className="state">
          <h2 className="state-title">{t("overview-empty-title")}</h2>
          <EmptyHint />
        </div>
      ) : (
        <div className="overview-grid">
          <section className="card card--total">
            <h2>{t("overview-users")}</h2>
            <p className="big-number" data-testid="overview-total">{formatCount(data.total)}</p>
          </section>
          <Bars title={t("overview-users-by-status")} rows={data.by_status} labels={STATUS_LABELS} testId="status-bar" total={data.total} />
          <Bars title={t("overview-users-by-two-factor")} rows={data.by_two_factor} labels={TWO_FACTOR_LABELS} testId="two-factor-bar" total={data.total} />
          {data.recent_changes === null ? null : (
            <section className="card card--wide">
              <h2>{t("overview-recent-changes")}</h2>
              <ul className="recent">
                {data.recent_changes.map((entry) => {
                  const openable = entry.target.kind === "user" && !entry.target.name.startsWith("Deleted User");
                  return (
                    <li key={entry.id} data-testid="recent-change">
                      <span className="muted">
                        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                      </span>
                      <span>
                        {entry.actor} · {actionLabel(entry)} ·{" "}
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
