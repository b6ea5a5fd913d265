import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState, type CSSProperties } from "react";
import { deleteDevices, exportDevicesToFile, listDevices, retireDevices, toCommandError } from "../api";
import type { Device } from "../bindings/Device";
import type { DeviceId } from "../bindings/DeviceId";
import type { DeviceOs } from "../bindings/DeviceOs";
import type { DeviceQuery } from "../bindings/DeviceQuery";
import type { DeviceSort } from "../bindings/DeviceSort";
import type { DeviceState } from "../bindings/DeviceState";
import type { UserId } from "../bindings/UserId";
import { Button } from "../components/Button";
import { ConfirmDialog } from "../components/Dialog";
import { DEVICES, SheetImportDialog } from "../transfer/SheetImportDialog";
import { useCan } from "../session/SessionContext";
import { formatDateTime, formatShortDateTime, t } from "../i18n";
import { tElements } from "../i18n/elements";
import { OPERATING_SYSTEMS, OS_LABELS, STATE_LABELS } from "./labels";
import "../users/users.css";
import "./devices.css";
import { ErrorBanner } from "../components/ErrorBanner";
import { SearchBox } from "../components/SearchBox";

const PAGE = 200;
const ROW_HEIGHT = 36;
const SEARCH_DELAY_MS = 200;
const COLUMNS = "36px minmax(140px, 1.3fr) 96px minmax(110px, 1fr) minmax(110px, 1fr) minmax(110px, 1fr) 170px 96px";

interface Params {
  search: string;
  os: DeviceOs | null;
  state: DeviceState | null;
  organization: string | null;
  sort: DeviceSort;
  descending: boolean;
}

/** The loaded pages of one query, by page number, and how many devices match. */
interface Loaded {
  key: string;
  total: number;
  pages: Map<number, Device[]>;
}

function queryOf(params: Params, page: number): DeviceQuery {
  return {
    search: params.search,
    os: params.os ? [params.os] : [],
    state: params.state,
    owner: null,
    organization: params.organization,
    sort: params.sort,
    descending: params.descending,
    limit: PAGE,
    offset: page * PAGE,
  };
}

export interface DevicesPageProps {
  /** The organization chosen in the switcher; `null`: every organization the account sees. */
  organization: string | null;
  dataVersion: number;
  onOpenUser: (id: UserId) => void;
}

/** Every device in one virtualised list: search, filters, and bulk retire and delete. */
export function DevicesPage({ organization, dataVersion, onOpenUser }: DevicesPageProps) {
  const manage = useCan()("manage_tokens");
  const [input, setInput] = useState("");
  const [search, setSearch] = useState("");
  const [os, setOs] = useState<DeviceOs | null>(null);
  const [state, setState] = useState<DeviceState | null>(null);
  const [sort, setSort] = useState<{ field: DeviceSort; descending: boolean }>({ field: "name", descending: false });
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<DeviceId>>(new Set());
  const [pending, setPending] = useState<"retire" | "delete" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const [importing, setImporting] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const asked = useRef(new Set<string>());

  useEffect(() => {
    const timer = window.setTimeout(() => {
      setSearch(input.trim());
    }, SEARCH_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [input]);

  const params: Params = { search, os, state, organization, sort: sort.field, descending: sort.descending };
  const key = JSON.stringify(params);

  // A new query (or a change anywhere) starts from its first page.
  useEffect(() => {
    let current = true;
    asked.current = new Set([`${key}:0`]);
    const query: Params = JSON.parse(key) as Params;
    listDevices(queryOf(query, 0)).then(
      (page) => {
        if (!current) return;
        setLoaded({ key, total: page.total, pages: new Map([[0, page.devices]]) });
        setError(null);
      },
      (reason: unknown) => {
        if (current) setError(toCommandError(reason).message);
      },
    );
    return () => {
      current = false;
    };
  }, [key, dataVersion, reloads]);

  useEffect(() => {
    setSelected(new Set());
    scrollRef.current?.scrollTo({ top: 0 });
  }, [key]);

  const total = loaded?.key === key ? loaded.total : 0;
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders this component itself; nothing here is memoised on it
  const virtualizer = useVirtualizer<HTMLDivElement, HTMLDivElement>({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  const fetchPage = useCallback(
    (page: number) => {
      const id = `${key}:${page}`;
      if (asked.current.has(id)) return;
      asked.current.add(id);
      listDevices(queryOf(JSON.parse(key) as Params, page)).then(
        (answer) => {
          setLoaded((before) => (before?.key === key ? { ...before, pages: new Map(before.pages).set(page, answer.devices) } : before));
        },
        (reason: unknown) => {
          asked.current.delete(id);
          setError(toCommandError(reason).message);
        },
      );
    },
    [key],
  );

  useEffect(() => {
    if (last < first) return;
    for (let page = Math.floor(first / PAGE); page <= Math.floor(last / PAGE); page++) fetchPage(page);
  }, [first, last, fetchPage]);

  const deviceAt = (index: number): Device | undefined => loaded?.pages.get(Math.floor(index / PAGE))?.[index % PAGE];

  const toggle = (id: DeviceId) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const loadedIds = [...(loaded?.pages.values() ?? [])].flat().map((d) => d.id);

  const run = () => {
    const action = pending;
    const ids = [...selected];
    setPending(null);
    const work =
      action === "retire"
        ? retireDevices(ids).then((d) => t("devices-retired-notice", { count: d.length }))
        : deleteDevices(ids).then((n) => t("devices-deleted-notice", { count: n }));
    work.then(
      (text) => {
        setNotice(text);
        setSelected(new Set());
        setReloads((n) => n + 1);
      },
      (reason: unknown) => {
        setError(toCommandError(reason).message);
      },
    );
  };

  const header = (field: DeviceSort, label: string) => {
    const active = sort.field === field;
    return (
      <div role="columnheader" className="cell cell--header" aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}>
        <button
          type="button"
          data-testid={`device-sort-${field}`}
          className={active ? "sort-button sort-button--active" : "sort-button"}
          onClick={() => {
            setSort({ field, descending: active ? !sort.descending : false });
          }}
        >
          <span>{label}</span>
          <span className="sort-indicator" aria-hidden="true">
            {active ? (sort.descending ? "▼" : "▲") : ""}
          </span>
        </button>
      </div>
    );
  };
  const plain = (label: string) => (
    <div role="columnheader" className="cell cell--header cell--plain-header">
      {label}
    </div>
  );

  return (
    <section className="page" aria-labelledby="devices-title" data-testid="devices-page">
      <header className="page-header">
        <div className="page-title-row">
          <h1 id="devices-title">{t("devices-title")}</h1>
          <span className="page-actions">
            {manage ? (
              <Button
                testId="import-devices"
                onClick={() => {
                  setImporting(true);
                }}
              >
                {t("devices-import")}
              </Button>
            ) : null}
            <Button
              testId="export-devices"
              disabled={total === 0}
              onClick={() => {
                setNotice(null);
                exportDevicesToFile(queryOf(params, 0)).then(
                  (done) => {
                    if (done) setNotice(t("devices-exported", { count: done.rows, file: done.file }));
                  },
                  (reason: unknown) => {
                    setError(toCommandError(reason).message);
                  },
                );
              }}
            >
              {t("devices-export")}
            </Button>
          </span>
        </div>
        <div className="toolbar">
          <SearchBox
            label={t("devices-search-label")}
            placeholder={t("devices-search-placeholder")}
            value={input}
            onChange={setInput}
            testId="device-search"
          />
          <label className="filter-field filter-field--inline">
            <span>{t("devices-os")}</span>
            <select
              data-testid="device-filter-os"
              value={os ?? ""}
              onChange={(event) => {
                setOs((event.target.value || null) as DeviceOs | null);
              }}
            >
              <option value="">{t("devices-filter-any")}</option>
              {OPERATING_SYSTEMS.map((o) => (
                <option key={o} value={o}>
                  {OS_LABELS[o]}
                </option>
              ))}
            </select>
          </label>
          <label className="filter-field filter-field--inline">
            <span>{t("devices-state")}</span>
            <select
              data-testid="device-filter-state"
              value={state ?? ""}
              onChange={(event) => {
                setState((event.target.value || null) as DeviceState | null);
              }}
            >
              <option value="">{t("devices-filter-any")}</option>
              <option value="active">{STATE_LABELS.active}</option>
              <option value="retired">{STATE_LABELS.retired}</option>
            </select>
          </label>
          <p className="count" data-testid="device-count" aria-live="polite">
            {loaded ? (organization ? t("devices-count-in-organization", { count: total, organization }) : t("devices-count", { count: total })) : ""}
          </p>
        </div>
        {selected.size > 0 ? (
          <div className="bulk-bar" data-testid="device-bulk-bar" role="toolbar" aria-label={t("devices-bulk-actions")}>
            <span data-testid="device-selection-count">{t("devices-selection-count", { count: selected.size })}</span>
            <Button look="link" onClick={() => { setSelected(new Set()); }}>{t("devices-clear-selection")}</Button>
            {manage ? (
              <span className="bulk-actions">
                <Button testId="bulk-retire-devices" onClick={() => { setPending("retire"); }}>{t("devices-bulk-retire")}</Button>
                <Button look="danger" testId="bulk-delete-devices" onClick={() => { setPending("delete"); }}>{t("devices-bulk-delete")}</Button>
              </span>
            ) : null}
          </div>
        ) : null}
      </header>
      <ErrorBanner message={error} />
      {notice ? (
        <p className="muted page-pad" role="status" data-testid="device-notice">
          {notice}
        </p>
      ) : null}
      <div className="page-body">
        {loaded && total === 0 ? (
          <div className="state">
            <h2 className="state-title">{search || os || state ? t("devices-none-match") : t("devices-none-yet")}</h2>
            <p className="state-hint">
              {tElements("devices-enroll-hint", { command: <code>roster device enroll --token … --name … --os …</code> })}
            </p>
          </div>
        ) : (
          <div
            ref={scrollRef}
            className="table-scroll devices-table"
            role="table"
            aria-label={t("devices-title")}
            aria-rowcount={total + 1}
            tabIndex={0}
            style={{ "--columns": COLUMNS } as CSSProperties}
          >
            <div className="row row--header" role="row" aria-rowindex={1} style={{ height: ROW_HEIGHT }}>
              <div role="columnheader" className="cell cell--select">
                <input
                  type="checkbox"
                  data-testid="device-select-page"
                  aria-label={t("devices-select-loaded")}
                  checked={loadedIds.length > 0 && loadedIds.every((id) => selected.has(id))}
                  onChange={() => {
                    setSelected(loadedIds.every((id) => selected.has(id)) ? new Set() : new Set(loadedIds));
                  }}
                />
              </div>
              {header("name", t("devices-name"))}
              {plain(t("devices-os"))}
              {plain(t("devices-serial"))}
              {plain(t("devices-owner"))}
              {plain(t("devices-organization"))}
              {header("last_activity_at", t("devices-last-activity"))}
              {plain(t("devices-state"))}
            </div>
            <div className="table-body" style={{ height: total * ROW_HEIGHT }}>
              {items.map((item) => {
                const device = deviceAt(item.index);
                const style = { height: ROW_HEIGHT, transform: `translateY(${item.start}px)` };
                if (!device) {
                  return (
                    <div key={item.key} className="row row--placeholder" role="row" aria-rowindex={item.index + 2} style={style}>
                      <div role="cell" className="cell cell--select" />
                      <div role="cell" className="cell">
                        <span className="placeholder-bar" />
                      </div>
                    </div>
                  );
                }
                return (
                  <div
                    key={item.key}
                    className={selected.has(device.id) ? "row row--selected" : "row"}
                    role="row"
                    aria-rowindex={item.index + 2}
                    aria-selected={selected.has(device.id)}
                    data-testid="device-list-row"
                    data-device-name={device.name}
                    style={style}
                    onDoubleClick={() => {
                      if (device.owner_id !== null) onOpenUser(device.owner_id);
                    }}
                  >
                    <div role="cell" className="cell cell--select">
                      <input
                        type="checkbox"
                        data-testid="device-select"
                        aria-label={t("devices-select", { name: device.name })}
                        checked={selected.has(device.id)}
                        onChange={() => {
                          toggle(device.id);
                        }}
                      />
                    </div>
                    <div role="cell" className="cell" title={device.model}>
                      {device.name}
                    </div>
                    <div role="cell" className="cell">
                      {OS_LABELS[device.os]}
                    </div>
                    <div role="cell" className="cell mono">
                      {device.serial || <span className="muted">—</span>}
                    </div>
                    <div role="cell" className="cell">
                      {device.owner ?? <span className="muted">{t("devices-no-owner")}</span>}
                    </div>
                    <div role="cell" className="cell">
                      {device.organization ?? <span className="muted">{t("common-none")}</span>}
                    </div>
                    <div role="cell" className="cell">
                      {device.last_activity_at ? (
                        <time dateTime={device.last_activity_at} title={formatDateTime(device.last_activity_at)}>
                          {formatShortDateTime(device.last_activity_at)}
                        </time>
                      ) : (
                        <span className="muted">{t("devices-never-active")}</span>
                      )}
                    </div>
                    <div role="cell" className="cell">
                      <span className={`badge badge--device-${device.state}`}>{STATE_LABELS[device.state]}</span>
                    </div>
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
      <SheetImportDialog
        kind={DEVICES}
        open={importing}
        onClose={() => {
          setImporting(false);
        }}
        onImported={() => {
          setReloads((n) => n + 1);
        }}
      />
      <ConfirmDialog
        open={pending !== null}
        title={pending === "retire" ? t("devices-bulk-retire-title") : t("devices-bulk-delete-title")}
        message={
          pending === "retire"
            ? t("devices-bulk-retire-confirm", { count: selected.size })
            : t("devices-bulk-delete-confirm", { count: selected.size })
        }
        confirmLabel={pending === "retire" ? t("devices-retire") : t("common-delete")}
        destructive
        onCancel={() => {
          setPending(null);
        }}
        onConfirm={run}
      />
    </section>
  );
}
