import { elementScroll, observeElementOffset, useVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import type { Sort } from "../bindings/Sort";
import type { SortField } from "../bindings/SortField";
import { COLUMNS } from "./columns";
import { userAt, type LoadedUsers } from "./pageLoader";

export const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 36;
/**
 * Browsers cap element heights (WebKit ~33.5M px, Firefox ~17.9M px); a million
 * 36 px rows is 36M px. Past this height the scrollbar is scaled: the spacer
 * stays at this size and scroll offsets are mapped onto the full list.
 */
const MAX_BODY_HEIGHT = 15_000_000;

type Scroller = Virtualizer<HTMLDivElement, HTMLDivElement>;

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
  sort: Sort;
  busy: boolean;
  onSort: (field: SortField) => void;
  requestRange: (start: number, end: number) => void;
  onVisibleRangeChange: (range: VisibleRange) => void;
}

export function UserTable({ data, sort, busy, onSort, requestRange, onVisibleRangeChange }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
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

  // A new search or sort is a new list: start it from the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [generation]);

  return (
    <div
      ref={scrollRef}
      className="table-scroll"
      role="table"
      aria-label="Users"
      aria-rowcount={total + 1}
      aria-busy={busy}
      tabIndex={-1}
    >
      <div className="row row--header" role="row" aria-rowindex={1} style={{ height: HEADER_HEIGHT }}>
        {COLUMNS.map((column) => {
          const active = sort.field === column.id;
          const ariaSort = active ? (sort.direction === "asc" ? "ascending" : "descending") : "none";
          return (
            <div key={column.id} role="columnheader" aria-sort={ariaSort} data-col={column.id} className="cell cell--header">
              <button
                type="button"
                className={active ? "sort-button sort-button--active" : "sort-button"}
                onClick={() => {
                  onSort(column.id);
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
      </div>
      <div className="table-body" style={{ height: Math.min(total * ROW_HEIGHT, MAX_BODY_HEIGHT) }}>
        {items.map((item) => {
          const user = userAt(data, item.index);
          const style = { height: ROW_HEIGHT, transform: `translateY(${item.start - shift}px)` };
          if (!user) {
            return (
              <div key={item.key} className="row row--placeholder" role="row" aria-rowindex={item.index + 2} data-testid="user-row-placeholder" style={style}>
                {COLUMNS.map((column) => (
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
              className="row"
              role="row"
              aria-rowindex={item.index + 2}
              data-testid="user-row"
              data-user-id={user.id}
              style={style}
            >
              {COLUMNS.map((column) => (
                <div key={column.id} role="cell" className="cell" data-col={column.id} title={column.title?.(user)}>
                  {column.render(user)}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
