import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState } from "react";
import { auditEntries, exportAuditToFile, toCommandError, verifyAudit, type AppError } from "../api";
import type { AuditEntry } from "../bindings/AuditEntry";
import type { AuditQuery } from "../bindings/AuditQuery";
import type { ChainReport } from "../bindings/ChainReport";
import type { Origin } from "../bindings/Origin";
import { Button } from "../components/Button";
import { Chips } from "../components/Chips";
import { CHECK_DELAY_MS } from "../components/useLoad";
import { actionLabel, compareText, formatDateTime, formatShortDateTime, t } from "../i18n";
import { ORIGINS, originLabel } from "./origins";
import "./audit.css";
import { ErrorBanner } from "../components/ErrorBanner";

/** Entries per request: a screenful many times over, and cheap at any log size. */
const PAGE = 200;
const ROW_HEIGHT = 52;

const TARGET_KINDS = ["user", "group", "organization", "role", "token", "device", "settings", "import", "audit", "mail", "backup"];

/** A record type in words; an unknown kind (from a newer version) shows as its code. */
function kindLabel(kind: string): string {
  return t("audit-target-kind", { kind });
}

type Period = "any" | "today" | "week" | "custom";

interface Filters {
  text: string;
  actor: string;
  action: string;
  targetKind: string;
  target: { kind: string; id: number; name: string } | null;
  origin: Origin | "";
  workstation: string;
  period: Period;
  /** YYYY-MM-DD, local time, for a custom period. */
  from: string;
  to: string;
}

const NO_FILTERS: Filters = {
  text: "",
  actor: "",
  action: "",
  targetKind: "",
  target: null,
  origin: "",
  workstation: "",
  period: "any",
  from: "",
  to: "",
};

function localMidnight(day: string, plusDays = 0): string | null {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return null;
  return new Date(y, m - 1, d + plusDays).toISOString();
}

function startOfToday(plusDays = 0): string {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + plusDays).toISOString();
}

/** The query for the filters; `organization` is the switcher's choice (`null`: all). */
function toQuery(f: Filters, before: number | null, organization: string | null): AuditQuery {
  const blank = (v: string) => (v.trim() === "" ? null : v.trim());
  let from: string | null = null;
  let until: string | null = null;
  if (f.period === "today") from = startOfToday();
  if (f.period === "week") from = startOfToday(-6);
  if (f.period === "custom") {
    from = f.from ? localMidnight(f.from) : null;
    until = f.to ? localMidnight(f.to, 1) : null;
  }
  return {
    user: null,
    actor: blank(f.actor),
    action: blank(f.action),
    target_kind: f.target ? f.target.kind : blank(f.targetKind),
    target_id: f.target ? f.target.id : null,
    origin: f.origin === "" ? null : f.origin,
    workstation: blank(f.workstation),
    from,
    until,
    text: blank(f.text),
    organization,
    before,
    limit: PAGE,
  };
}

interface Chip {
  key: string;
  label: string;
  clear: Partial<Filters>;
}

function chipsOf(f: Filters): Chip[] {
  const chips: Chip[] = [];
  if (f.actor.trim()) chips.push({ key: "actor", label: t("audit-chip-actor", { actor: f.actor.trim() }), clear: { actor: "" } });
  if (f.action) chips.push({ key: "action", label: t("audit-chip-action", { action: f.action }), clear: { action: "" } });
  if (f.targetKind && !f.target) chips.push({ key: "kind", label: t("audit-chip-target-kind", { kind: kindLabel(f.targetKind) }), clear: { targetKind: "" } });
  if (f.target) chips.push({ key: "target", label: t("audit-chip-target", { target: f.target.name }), clear: { target: null } });
  if (f.origin) chips.push({ key: "origin", label: t("audit-chip-origin", { origin: originLabel(f.origin) }), clear: { origin: "" } });
  if (f.workstation.trim()) chips.push({ key: "ws", label: t("audit-chip-workstation", { workstation: f.workstation.trim() }), clear: { workstation: "" } });
  if (f.period === "today") chips.push({ key: "period", label: t("audit-chip-date-today"), clear: { period: "any" } });
  if (f.period === "week") chips.push({ key: "period", label: t("audit-chip-date-week"), clear: { period: "any" } });
  if (f.period === "custom" && (f.from || f.to))
    chips.push({ key: "period", label: t("audit-chip-date-range", { from: f.from || "…", to: f.to || "…" }), clear: { period: "any", from: "", to: "" } });
  return chips;
}

type List = { entries: AuditEntry[]; more: boolean; loading: boolean; error: AppError | null };

/**
 * Loads the entries the filters match, newest first, a page at a time as the list is
 * scrolled: no total is counted, so a log of millions opens as fast as a short one.
 * A change of filters starts over, and an answer to an older filter is dropped.
 */
function useAuditList(filters: Filters, dataVersion: number, organization: string | null) {
  const [list, setList] = useState<List>({ entries: [], more: true, loading: true, error: null });
  const generation = useRef(0);
  const loading = useRef(false);

  const load = useCallback(
    (before: number | null, replace: boolean) => {
      const mine = generation.current;
      loading.current = true;
      setList((l) => ({ ...l, loading: true }));
      auditEntries(toQuery(filters, before, organization)).then(
        (page) => {
          if (mine !== generation.current) return;
          loading.current = false;
          setList((l) => ({
            entries: replace ? page : [...l.entries, ...page],
            more: page.length === PAGE,
            loading: false,
            error: null,
          }));
        },
        (reason: unknown) => {
          if (mine !== generation.current) return;
          loading.current = false;
          setList((l) => ({ ...l, loading: false, more: false, error: toCommandError(reason) }));
        },
      );
    },
    [filters, organization],
  );

  useEffect(() => {
    generation.current += 1;
    const timer = window.setTimeout(() => {
      load(null, true);
    }, CHECK_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [load, dataVersion]);

  const loadMore = useCallback(() => {
    const last = list.entries[list.entries.length - 1];
    if (loading.current || !list.more || !last) return;
    load(last.id, false);
  }, [list, load]);

  return { list, loadMore };
}

function value(v: string | null): string {
  return v ?? "—";
}

function EntryDetails({ entry, onTarget, onActor }: { entry: AuditEntry; onTarget: () => void; onActor: () => void }) {
  return (
    <article className="audit-details" data-testid="audit-details" aria-labelledby="audit-details-title">
      <h2 id="audit-details-title">
        {actionLabel(entry)}: {entry.target.name}
      </h2>
      <dl className="audit-facts">
        <dt>{t("audit-details-when")}</dt>
        <dd>
          <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
        </dd>
        <dt>{t("audit-details-who")}</dt>
        <dd>{entry.actor}</dd>
        <dt>{t("audit-details-workstation")}</dt>
        <dd>{entry.workstation}</dd>
        <dt>{t("audit-details-through")}</dt>
        <dd>{originLabel(entry.origin)}</dd>
        <dt>{t("audit-details-action")}</dt>
        <dd>
          <code>{entry.action}</code> {t("audit-details-action-target", { kind: kindLabel(entry.target.kind), id: String(entry.target.id) })}
        </dd>
        <dt>{t("audit-details-entry")}</dt>
        <dd>#{entry.id}</dd>
      </dl>
      {entry.changes.length === 0 ? (
        <p className="muted">{t("audit-details-no-fields")}</p>
      ) : (
        <table className="audit-changes" data-testid="audit-changes">
          <caption className="visually-hidden">{t("audit-changes-caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("audit-changes-field")}</th>
              <th scope="col">{t("audit-changes-before")}</th>
              <th scope="col">{t("audit-changes-after")}</th>
            </tr>
          </thead>
          <tbody>
            {entry.changes.map((c) => (
              <tr key={c.field}>
                <th scope="row">{c.field.replaceAll("_", " ")}</th>
                <td className="audit-before">{value(c.before)}</td>
                <td className="audit-after">{value(c.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="details-actions">
        <Button testId="audit-about-target" onClick={onTarget}>
          {t("audit-details-about-target", { kind: entry.target.kind })}
        </Button>
        <Button testId="audit-by-actor" onClick={onActor}>
          {t("audit-details-by-actor", { actor: entry.actor })}
        </Button>
      </div>
    </article>
  );
}

function VerifyResult({ report }: { report: ChainReport }) {
  const [copied, setCopied] = useState(false);
  const tampered = report.problem !== null || report.anchor_check === "rewritten";
  // An anchor whose entry was purged proves nothing either way: never "intact".
  const unchecked = !tampered && report.anchor_check === "purged";
  return (
    <div className={tampered || unchecked ? "audit-verdict audit-verdict--bad" : "audit-verdict audit-verdict--ok"} role="status" data-testid="verify-result">
      <strong>
        {tampered ? t("audit-verdict-tampered") : unchecked ? t("audit-verdict-unchecked") : t("audit-verdict-intact")}
      </strong>
      <span>{summary(report)}</span>
      {report.anchor_check === "confirmed" ? <span>{t("audit-anchor-confirmed")}</span> : null}
      {report.anchor_check === "rewritten" ? <span>{t("audit-anchor-rewritten")}</span> : null}
      {report.anchor_check === "purged" ? <span>{t("audit-anchor-purged")}</span> : null}
      {report.anchor && report.problem === null ? (
        <span className="audit-anchor">
          <span>{t("audit-anchor-keep")}</span>
          <code data-testid="audit-anchor">{report.anchor}</code>
          <Button
            look="link"
            onClick={() => {
              void navigator.clipboard.writeText(report.anchor ?? "").then(() => {
                setCopied(true);
              });
            }}
          >
            {copied ? t("common-copied") : t("audit-anchor-copy")}
          </Button>
        </span>
      ) : null}
    </div>
  );
}

function summary(report: ChainReport): string {
  if (report.problem) return describeProblem(report);
  if (report.entries === 0 || report.through === null) return t("audit-no-entries");
  const sentences = [t("audit-verify-checked", { count: report.entries, through: formatDateTime(report.through) })];
  if (report.purged_through) sentences.push(t("audit-verify-purged", { until: formatDateTime(report.purged_through) }));
  if (report.pending > 0) sentences.push(t("audit-verify-pending", { count: report.pending }));
  return sentences.join(" ");
}

function describeProblem(report: ChainReport): string {
  const p = report.problem;
  if (!p) return "";
  switch (p.kind) {
    case "unsealed":
      return t("audit-problem-unsealed", { entry: String(p.entry) });
    case "changed":
      return t("audit-problem-changed", { entry: String(p.entry) });
    case "inserted":
      return t("audit-problem-inserted", { entry: String(p.entry) });
    case "broken":
      return p.after === null
        ? t("audit-problem-broken-start", { entry: String(p.entry) })
        : t("audit-problem-broken", { after: String(p.after), entry: String(p.entry) });
    case "truncated":
      return p.after === null ? t("audit-problem-truncated-all") : t("audit-problem-truncated", { after: String(p.after) });
    case "appended":
      return t("audit-problem-appended", { after: String(p.after) });
    case "unvouched_purge":
      return t("audit-problem-unvouched-purge");
    case "head_missing":
      return t("audit-problem-head-missing");
  }
}

/** Every change anyone made, newest first: filter, open one to see before and after, export, verify. */
export function AuditPage({ dataVersion, organization }: { dataVersion: number; organization: string | null }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const { list, loadMore } = useAuditList(filters, dataVersion, organization);
  const [openId, setOpenId] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [report, setReport] = useState<ChainReport | null>(null);
  const [anchor, setAnchor] = useState("");
  const [actions, setActions] = useState<Map<string, string>>(new Map());
  const scrollRef = useRef<HTMLDivElement>(null);

  // The actions seen so far fill the Action filter; a log names only what was done.
  useEffect(() => {
    setActions((known) => {
      const missing = list.entries.filter((e) => !known.has(e.action));
      if (missing.length === 0) return known;
      const next = new Map(known);
      for (const e of missing) next.set(e.action, actionLabel(e));
      return next;
    });
  }, [list.entries]);

  const change = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setOpenId(null);
    scrollRef.current?.scrollTo({ top: 0 });
  };

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders this component itself; nothing here is memoised on it
  const virtualizer = useVirtualizer<HTMLDivElement, HTMLDivElement>({
    count: list.entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (lastShown >= list.entries.length - PAGE / 4) loadMore();
  }, [lastShown, list.entries.length, loadMore]);

  const open = list.entries.find((e) => e.id === openId) ?? null;
  const chips = chipsOf(filters);

  const exportAs = (format: "csv" | "jsonl") => {
    setNotice(null);
    exportAuditToFile(toQuery(filters, null, organization), format).then(
      (done) => {
        if (done) setNotice(t("audit-exported", { count: done.rows, file: done.file }));
      },
      (reason: unknown) => {
        setNotice(toCommandError(reason).message);
      },
    );
  };

  const verify = () => {
    setVerifying(true);
    setReport(null);
    setNotice(null);
    verifyAudit(anchor.trim() === "" ? null : anchor).then(
      (r) => {
        setVerifying(false);
        setReport(r);
      },
      (reason: unknown) => {
        setVerifying(false);
        setNotice(toCommandError(reason).message);
      },
    );
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <div className="page-title-row">
          <h1 id="page-title">{t("audit-title")}</h1>
          <div className="page-actions">
            <Button testId="audit-export-csv" onClick={() => { exportAs("csv"); }}>
              {t("audit-export-csv")}
            </Button>
            <Button testId="audit-export-jsonl" onClick={() => { exportAs("jsonl"); }}>
              {t("audit-export-jsonl")}
            </Button>
          </div>
        </div>
        <div className="toolbar audit-toolbar">
          <label className="filter-field audit-search">
            <span>{t("audit-search-label")}</span>
            <input
              data-testid="audit-search"
              type="search"
              placeholder={t("audit-search-placeholder")}
              value={filters.text}
              onChange={(e) => { change({ text: e.target.value }); }}
            />
          </label>
          <label className="filter-field">
            <span>{t("audit-filter-actor")}</span>
            <input data-testid="audit-actor" value={filters.actor} onChange={(e) => { change({ actor: e.target.value }); }} />
          </label>
          <label className="filter-field">
            <span>{t("audit-filter-action")}</span>
            <select data-testid="audit-action" value={filters.action} onChange={(e) => { change({ action: e.target.value }); }}>
              <option value="">{t("audit-filter-any")}</option>
              {[...actions.entries()]
                .sort((a, b) => compareText(a[1], b[1]))
                .map(([action, label]) => (
                  <option key={action} value={action}>
                    {label}
                  </option>
                ))}
            </select>
          </label>
          <label className="filter-field">
            <span>{t("audit-filter-target")}</span>
            <select data-testid="audit-kind" value={filters.targetKind} onChange={(e) => { change({ targetKind: e.target.value, target: null }); }}>
              <option value="">{t("audit-filter-any")}</option>
              {TARGET_KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(k)}
                </option>
              ))}
            </select>
          </label>
          <label className="filter-field">
            <span>{t("audit-filter-origin")}</span>
            <select data-testid="audit-origin" value={filters.origin} onChange={(e) => { change({ origin: e.target.value as Origin | "" }); }}>
              <option value="">{t("audit-filter-any")}</option>
              {ORIGINS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label className="filter-field">
            <span>{t("audit-filter-workstation")}</span>
            <input data-testid="audit-workstation" value={filters.workstation} onChange={(e) => { change({ workstation: e.target.value }); }} />
          </label>
          <label className="filter-field">
            <span>{t("audit-filter-date")}</span>
            <select data-testid="audit-period" value={filters.period} onChange={(e) => { change({ period: e.target.value as Period }); }}>
              <option value="any">{t("audit-period-any")}</option>
              <option value="today">{t("audit-period-today")}</option>
              <option value="week">{t("audit-period-week")}</option>
              <option value="custom">{t("audit-period-custom")}</option>
            </select>
          </label>
          {filters.period === "custom" ? (
            <>
              <label className="filter-field">
                <span>{t("audit-filter-from")}</span>
                <input type="date" data-testid="audit-from" value={filters.from} onChange={(e) => { change({ from: e.target.value }); }} />
              </label>
              <label className="filter-field">
                <span>{t("audit-filter-to")}</span>
                <input type="date" data-testid="audit-to" value={filters.to} onChange={(e) => { change({ to: e.target.value }); }} />
              </label>
            </>
          ) : null}
        </div>
        <Chips
          chips={chips.map((chip) => ({
            key: chip.key,
            label: chip.label,
            onRemove: () => {
              change(chip.clear);
            },
          }))}
          onClear={() => {
            change(NO_FILTERS);
          }}
        />
      </header>
      <div className="audit page-pad">
        <div className="audit-verify">
          <Button testId="audit-verify" onClick={verify} disabled={verifying}>
            {verifying ? t("audit-verifying") : t("audit-verify")}
          </Button>
          <label className="audit-anchor-input">
            <span>{t("audit-anchor-input-label")}</span>
            <input data-testid="audit-anchor-input" value={anchor} translate="no" placeholder="roster-audit-anchor-v1 entry=… sha256=…" onChange={(e) => { setAnchor(e.target.value); }} />
          </label>
          {notice ? (
            <span className="saved" role="status" data-testid="audit-notice">
              {notice}
            </span>
          ) : null}
        </div>
        {report ? <VerifyResult report={report} /> : null}
        <ErrorBanner message={list.error?.message} />
        <div className="audit-body">
          <div ref={scrollRef} className="audit-scroll" role="list" aria-label={t("audit-entries-label")} aria-busy={list.loading} tabIndex={0} data-testid="audit-list">
            {list.entries.length === 0 && !list.loading && !list.error ? (
              <p className="empty-tab" data-testid="audit-empty">
                {chips.length > 0 || filters.text ? t("audit-no-matches") : t("audit-no-entries")}
              </p>
            ) : null}
            <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
              {items.map((item) => {
                const e = list.entries[item.index];
                if (!e) return null;
                return (
                  <div key={e.id} role="listitem" className="audit-row-slot" style={{ transform: `translateY(${String(item.start)}px)`, height: ROW_HEIGHT }}>
                    <button
                      type="button"
                      className={openId === e.id ? "audit-row audit-row--open" : "audit-row"}
                      data-testid="audit-row"
                      aria-pressed={openId === e.id}
                      onClick={() => { setOpenId(e.id); }}
                    >
                      <span className="audit-when">
                        <time dateTime={e.at}>{formatShortDateTime(e.at)}</time>
                      </span>
                      <span className="audit-what">
                        <strong>{actionLabel(e)}</strong> {e.target.name}
                      </span>
                      <span className="audit-who muted">
                        {e.actor} · {e.workstation} · {originLabel(e.origin)}
                      </span>
                    </button>
                  </div>
                );
              })}
            </div>
            {list.loading ? <p className="muted audit-loading">{t("common-loading")}</p> : null}
          </div>
          {open ? (
            <EntryDetails
              entry={open}
              onTarget={() => { change({ target: { kind: open.target.kind, id: open.target.id, name: open.target.name } }); }}
              onActor={() => { change({ actor: open.actor }); }}
            />
          ) : (
            <p className="muted audit-hint">{t("audit-choose-entry")}</p>
          )}
        </div>
      </div>
    </section>
  );
}
