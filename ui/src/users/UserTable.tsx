import { elementScroll, observeElementOffset, useVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from "react";
import type { Sort } from "../bindings/Sort";
import type { User } from "../bindings/User";
import type { UserId } from "../bindings/UserId";
import { attributeOf, isSortable, type Column, type ColumnId } from "./columns";
import { userAt, type LoadedUsers } from "./pageLoader";
import { t } from "../i18n";

export const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 36;
/**
 * Browsers cap element heights (WebKit ~33.5M px, Firefox ~17.9M px); a million
 * 36 px rows is 36M px. Past this height the scrollbar is scaled: the spacer
 * stays at this size and scroll offsets are mapped onto the full list.
 */
const MAX_BODY_HEIGHT = 15_000_000;

type Scroller = Virtualizer<HTMLDivElement, HTMLDivElement>;

/** A header's padding, its sort button's and the sort arrow's room, beside its words. */
const HEADER_ROOM = 36;

/**
 * Each column's track, at least as wide as its header's words in `font` (the header's, once
 * drawn): a language with longer words widens the column instead of cutting its name off.
 */
function fitHeaders(columns: readonly Column[], font: string | null): string[] {
  const context = font ? document.createElement("canvas").getContext("2d") : null;
  return columns.map(({ label, width }) => {
    if (!context || !font) return width;
    context.font = font;
    const needed = `${Math.ceil(context.measureText(label).width) + HEADER_ROOM}px`;
    return width.startsWith("minmax(") ? width.replace(/^minmax\(([^,]+),/, `minmax(max($1, ${needed}),`) : `max(${width}, ${needed})`;
  });
}

/** Virtual pixels per real scrolled pixel (1 unless the list is too tall to lay out). */
function scrollScale(count: number, viewportHeight: number): number {
  const full = count * ROW_HEIGHT;
  const real = Math.min(full, MAX_BODY_HEIGHT);
  const body = Math.max(0, viewportHeight - HEADER_HEIGHT);
  return real >= full || real <= body ? 1 : (full - body) / (real - body);
}

function scaleOf(instance: Scroller): number {
  return scrollScale(instance.options.count, instance.scrollElement?.clientHeight ?? 0);
}

const observeScaledOffset = (instance: Scroller, cb: (offset: number, isScrolling: boolean) => void) =>
  observeElementOffset(instance, (offset, isScrolling) => {
    const scale = scaleOf(instance);
    // When scaled, the virtual offset exceeds the element's real max scroll; reporting
    // "not scrolling" keeps the virtualizer from treating that as overscroll.
    cb(offset * scale, scale === 1 ? isScrolling : false);
  });

const scaledScroll = (
  offset: number,
  options: { adjustments?: number; behavior?: ScrollBehavior },
  instance: Scroller,
) => {
  const scale = scaleOf(instance);
  const scaled: { adjustments?: number; behavior?: ScrollBehavior } = {};
  if (options.adjustments !== undefined) scaled.adjustments = options.adjustments / scale;
  if (options.behavior !== undefined) scaled.behavior = options.behavior;
  elementScroll(offset / scale, scaled, instance);
};

export interface VisibleRange {
  first: number;
  last: number;
}

interface Props {
  data: LoadedUsers;
  columns: readonly Column[];
  sort: Sort;
  /** The attribute the list is sorted by, if any (`sort.direction` its direction). */
  sortAttribute: string | null;
  busy: boolean;
  onSort: (column: ColumnId) => void;
  requestRange: (start: number, end: number) => void;
  onVisibleRangeChange: (range: VisibleRange) => void;
  selected: ReadonlySet<UserId>;
  /** `range`: shift-click, select everything from the last clicked row to this one. */
  onToggle: (index: number, range: boolean) => void;
  onTogglePage: () => void;
  onOpen: (user: User) => void;
  rowMenu: (user: User) => ReactNode;
  /** The row the keyboard is on: arrows move it, Enter opens it, Space selects it. */
  active: number | null;
  onActiveChange: (index: number) => void;
}

export function UserTable({
  data,
  columns,
  sort,
  sortAttribute,
  busy,
  onSort,
  requestRange,
  onVisibleRangeChange,
  selected,
  onToggle,
  onTogglePage,
  onOpen,
  rowMenu,
  active,
  onActiveChange,
}: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [headerFont, setHeaderFont] = useState<string | null>(null);
  useLayoutEffect(() => {
    const header = scrollRef.current?.querySelector(".row--header");
    if (!header) return;
    const style = getComputedStyle(header);
    setHeaderFont(`${style.fontWeight} ${style.fontSize} ${style.fontFamily}`);
  }, []);
  // Measured once per column set, not on every render while the list scrolls.
  const tracks = useMemo(() => `36px ${fitHeaders(columns, headerFont).join(" ")} 44px`, [columns, headerFont]);
  const { total, generation } = data;

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders this component itself; nothing here is memoised on it
  const virtualizer = useVirtualizer<HTMLDivElement, HTMLDivElement>({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    observeElementOffset: observeScaledOffset,
    scrollToFn: scaledScroll,
  });

  const viewportHeight = virtualizer.scrollRect?.height ?? 0;
  const scale = scrollScale(total, viewportHeight);
  const virtualOffset = virtualizer.scrollOffset ?? 0;
  // Rows live in real (scaled-down) pixels; shift them so they line up with the viewport.
  const shift = virtualOffset - virtualOffset / scale;
  const items = virtualizer.getVirtualItems();
  const firstItem = items[0]?.index ?? 0;
  const lastItem = items[items.length - 1]?.index ?? -1;

  const bodyHeight = Math.max(0, viewportHeight - HEADER_HEIGHT);
  const firstVisible = Math.min(total - 1, Math.floor(virtualOffset / ROW_HEIGHT));
  const lastVisible = Math.min(total - 1, Math.max(firstVisible, Math.ceil((virtualOffset + bodyHeight) / ROW_HEIGHT) - 1));

  useEffect(() => {
    if (lastItem >= firstItem) requestRange(firstItem, lastItem);
  }, [firstItem, lastItem, generation, requestRange]);

  useEffect(() => {
    onVisibleRangeChange({ first: firstVisible, last: lastVisible });
  }, [firstVisible, lastVisible, onVisibleRangeChange]);

  // A new search, sort or filter is a new list: start it from the top (a reload is not).
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [data.queryKey]);

  return (
    <div
      ref={scrollRef}
      className="table-scroll"
      role="table"
      aria-label={t("users-table")}
      aria-rowcount={total + 1}
      aria-busy={busy}
      tabIndex={0}
      onKeyDown={(event) => {
        if (event.target instanceof HTMLInputElement || event.target instanceof HTMLButtonElement) return;
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          const step = event.key === "ArrowDown" ? 1 : -1;
          const next = Math.max(0, Math.min(total - 1, (active ?? firstVisible - step) + step));
          onActiveChange(next);
          virtualizer.scrollToIndex(next, { align: "auto" });
        } else if (event.key === "Enter" && active !== null) {
          const user = userAt(data, active);
          if (user) onOpen(user);
        } else if (event.key === " " && active !== null) {
          event.preventDefault();
          onToggle(active, event.shiftKey);
        }
      }}
      style={{ "--columns": tracks } as CSSProperties}
    >
      <div className="row row--header" role="row" aria-rowindex={1} style={{ height: HEADER_HEIGHT }}>
        <div role="columnheader" className="cell cell--select">
          <input
            type="checkbox"
            data-testid="select-page"
            aria-label={t("users-select-loaded")}
            checked={selected.size > 0 && loadedIds(data).every((id) => selected.has(id))}
            onChange={onTogglePage}
          />
        </div>
        {columns.map((column) => {
          const id = column.id;
          if (!isSortable(id)) {
            return (
              <div key={id} role="columnheader" data-col={id} className="cell cell--header cell--plain-header">
                {column.label}
              </div>
            );
          }
          const active = sortAttribute === null ? sort.field === id : attributeOf(id) === sortAttribute;
          const ariaSort = active ? (sort.direction === "asc" ? "ascending" : "descending") : "none";
          return (
            <div key={id} role="columnheader" aria-sort={ariaSort} data-col={id} className="cell cell--header">
              <button
                type="button"
                data-testid={`sort-${column.id}`}
                className={active ? "sort-button sort-button--active" : "sort-button"}
                onClick={() => {
                  onSort(id);
                }}
              >
                <span>{column.label}</span>
                <span className="sort-indicator" aria-hidden="true">
                  {active ? (sort.direction === "asc" ? "▲" : "▼") : ""}
                </span>
              </button>
            </div>
          );
        })}
        <div role="columnheader" className="cell cell--menu">
          <span className="visually-hidden">{t("users-actions-column")}</span>
        </div>
      </div>
      <div className="table-body" style={{ height: Math.min(total * ROW_HEIGHT, MAX_BODY_HEIGHT) }}>
        {items.map((item) => {
          const user = userAt(data, item.index);
          const style = { height: ROW_HEIGHT, transform: `translateY(${item.start - shift}px)` };
          if (!user) {
            return (
              <div key={item.key} className="row row--placeholder" role="row" aria-rowindex={item.index + 2} data-testid="user-row-placeholder" style={style}>
                <div role="cell" className="cell cell--select" />
                {columns.map((column) => (
                  <div key={column.id} role="cell" className="cell" data-col={column.id}>
                    <span className="placeholder-bar" />
                  </div>
                ))}
              </div>
            );
          }
          return (
            <div
              key={item.key}
              className={["row", selected.has(user.id) ? "row--selected" : "", item.index === active ? "row--active" : ""].join(" ").trim()}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={selected.has(user.id)}
              data-testid="user-row"
              data-user-id={user.id}
              style={style}
              onDoubleClick={() => {
                onOpen(user);
              }}
            >
              <div role="cell" className="cell cell--select">
                <input
                  type="checkbox"
                  data-testid="row-select"
                  aria-label={t("users-row-select", { name: `${user.first_name} ${user.last_name}` })}
                  checked={selected.has(user.id)}
                  onChange={() => undefined}
                  onClick={(event) => {
                    onToggle(item.index, event.shiftKey);
                  }}
                />
              </div>
              {columns.map((column) => (
                <div key={column.id} role="cell" className="cell" data-col={column.id} title={column.title?.(user)}>
                  {column.render(user)}
                </div>
              ))}
              <div role="cell" className="cell cell--menu">
                {rowMenu(user)}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** The ids of every row loaded so far, in list order. */
export function loadedIds(data: LoadedUsers): UserId[] {
  return [...data.pages.entries()].sort(([a], [b]) => a - b).flatMap(([, users]) => users.map((u) => u.id));
}
