import { useState } from "react";
import { listUsers } from "../api";
import type { User } from "../bindings/User";
import type { UserId } from "../bindings/UserId";
import { useLoad } from "../components/useLoad";
import { NO_FILTERS } from "../users/pageLoader";
import { FIELD_LABELS } from "../fieldLabels";
import { t } from "../i18n";

/** Direct reports shown by name; the rest are counted. */
const SHOWN_REPORTS = 50;

/** Whom the user reports to and who reports to them, each a link to their details. */
export function Reporting({ user, onOpenUser }: { user: User; onOpenUser: (id: UserId) => void }) {
  const [reports, setReports] = useState<{ users: User[]; total: number } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useLoad(
    () =>
      listUsers({
        ...NO_FILTERS,
        managers: [user.id],
        search: "",
        ids: [],
        sort: { field: "last_name", direction: "asc" },
        sort_attribute: null,
        limit: SHOWN_REPORTS,
        offset: 0,
        after: null,
      }),
    [user.id, user.version],
    (page) => {
      setReports({ users: page.users, total: page.total });
      setFailed(null);
    },
    (error) => {
      setFailed(error.message);
    },
  );
  const link = (person: { id: UserId; name: string }, testId: string) => (
    <button
      type="button"
      className="link-button"
      data-testid={testId}
      onClick={() => {
        onOpenUser(person.id);
      }}
    >
      {person.name}
    </button>
  );
  return (
    <section className="reporting" aria-label={t("details-reporting-line")}>
      <dl className="facts">
        <dt>{FIELD_LABELS.manager}</dt>
        <dd>{user.manager ? link(user.manager, "open-manager") : <span className="muted">{t("details-no-manager")}</span>}</dd>
        <dt>{t("details-direct-reports")}</dt>
        <dd data-testid="direct-reports">
          {failed ? (
            <span className="muted">{t("details-reports-unreadable", { reason: failed })}</span>
          ) : reports === null ? (
            <span className="muted">{t("common-loading")}</span>
          ) : reports.users.length === 0 ? (
            <span className="muted">{t("common-none")}</span>
          ) : (
            <ul className="plain-list">
              {reports.users.map((r) => (
                <li key={r.id}>{link({ id: r.id, name: `${r.first_name} ${r.last_name}` }, `report-${String(r.id)}`)}</li>
              ))}
              {reports.total > reports.users.length ? <li className="muted">{t("details-reports-more", { count: reports.total - reports.users.length })}</li> : null}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}
