import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import type { CommandError } from "../bindings/CommandError";
import type { Sort } from "../bindings/Sort";
import type { SortField } from "../bindings/SortField";
import { formatCount } from "./format";
import type { LoadedUsers } from "./pageLoader";
import { useDebouncedValue } from "./useDebouncedValue";
import { useUserPages } from "./useUserPages";
import { UserTable, type VisibleRange } from "./UserTable";

const SEARCH_DEBOUNCE_MS = 150;
const DEFAULT_SORT: Sort = { field: "last_name", direction: "asc" };

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

function countText(data: LoadedUsers, range: VisibleRange): string {
  const { total, params } = data;
  if (total === 0) return params.search ? `No users match “${params.search}”` : "No users yet";
  const noun = total === 1 ? "user" : "users";
  const allVisible = range.first <= 0 && range.last >= total - 1;
  if (allVisible) return `${formatCount(total)} ${noun}`;
  const first = Math.max(0, range.first) + 1;
  const last = Math.max(first, Math.min(total, range.last + 1));
  return `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} ${noun}`;
}

export function UsersPage() {
  const [input, setInput] = useState("");
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const [range, setRange] = useState<VisibleRange>({ first: 0, last: -1 });
  const searchRef = useRef<HTMLInputElement>(null);

  const search = useDebouncedValue(input.trim(), SEARCH_DEBOUNCE_MS);
  const pages = useUserPages(search, sort.field, sort.direction);
  const { data, pending, error, retry, requestRange } = pages;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const find = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "f";
      const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTextEntry(event.target);
      if (!find && !slash) return;
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
    };
  }, []);

  const onSort = useCallback((field: SortField) => {
    setSort((current) =>
      current.field === field ? { field, direction: current.direction === "asc" ? "desc" : "asc" } : { field, direction: "asc" },
    );
  }, []);

  const onVisibleRangeChange = useCallback((next: VisibleRange) => {
    setRange((current) => (current.first === next.first && current.last === next.last ? current : next));
  }, []);

  // Typing has moved on from what the table shows (debounce or request still running).
  const searching = pending || (data !== null && data.params.search !== input.trim());
  const fatal = error?.fatal ? error.error : null;

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Users</h1>
        <div className="toolbar">
          <label className="search">
            <span className="visually-hidden">Search users</span>
            <svg className="search-icon" viewBox="0 0 16 16" aria-hidden="true">
              <circle cx="7" cy="7" r="4.5" />
              <path d="M10.5 10.5 14 14" />
            </svg>
            <input
              ref={searchRef}
              data-testid="search"
              type="search"
              placeholder="Search name, username or email"
              autoFocus
              spellCheck={false}
              autoComplete="off"
              value={input}
              onChange={(event) => {
                setInput(event.target.value);
              }}
              onKeyDown={(event) => {
                if (event.key === "Escape" && input) {
                  event.preventDefault();
                  setInput("");
                }
              }}
            />
            <kbd className="search-hint" aria-hidden="true">/</kbd>
          </label>
          <p className="count" data-testid="count" aria-live="polite">
            {data && !fatal ? countText(data, range) : ""}
            {searching && !fatal ? <span className="spinner" role="status" aria-label="Searching" /> : null}
          </p>
        </div>
      </header>
      {error && !error.fatal ? <PageErrorBanner error={error.error} onRetry={retry} /> : null}
      <div className="page-body">
        {fatal ? (
          <ErrorState error={fatal} onRetry={retry} />
        ) : !data ? (
          <LoadingState />
        ) : data.total === 0 && !data.params.search ? (
          <EmptyState title="No users yet">
            Add users with <code>roster user add</code> or import a CSV.
          </EmptyState>
        ) : data.total === 0 ? (
          <EmptyState title={`No users match “${data.params.search}”`}>
            Check the spelling, or search by part of a name, username or email.
          </EmptyState>
        ) : (
          <UserTable
            data={data}
            sort={sort}
            busy={searching}
            onSort={onSort}
            requestRange={requestRange}
            onVisibleRangeChange={onVisibleRangeChange}
          />
        )}
      </div>
    </section>
  );
}

function LoadingState() {
  return (
    <div className="state" role="status">
      <span className="spinner spinner--large" aria-hidden="true" />
      <p className="state-hint">Loading users…</p>
    </div>
  );
}

function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="state">
      <h2 className="state-title">{title}</h2>
      <p className="state-hint">{children}</p>
    </div>
  );
}

function ErrorState({ error, onRetry }: { error: CommandError; onRetry: () => void }) {
  return (
    <div className="state state--error" role="alert">
      <h2 className="state-title">Couldn’t load users</h2>
      <p className="state-message">{error.message}</p>
      <p className="state-hint">Check that the database is reachable, then try again.</p>
      <button type="button" className="button button--primary" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

function PageErrorBanner({ error, onRetry }: { error: CommandError; onRetry: () => void }) {
  return (
    <div className="banner" role="alert">
      <span>Some rows couldn’t be loaded: {error.message}</span>
      <button type="button" className="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
