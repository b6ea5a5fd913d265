import { countUsers, listUserRows, toCommandError, type AppError } from "../api";
import type { Count } from "../bindings/Count";
import type { Sort } from "../bindings/Sort";
import type { User } from "../bindings/User";
import type { UserId } from "../bindings/UserId";
import type { UserQuery } from "../bindings/UserQuery";
import type { UserRows } from "../bindings/UserRows";

export const PAGE_SIZE = 200;
/** ~12k rows; keeps memory flat when someone drags through a million users. */
const MAX_CACHED_PAGES = 60;
/** Dragging the scrollbar passes over many pages; only the latest viewport matters. */
const MAX_IN_FLIGHT = 3;
/**
 * The count stops here at first ("1,000+"): counting every match of a short search takes a
 * server seconds at a million users, a thousand of them about 10 ms. Scrolling near the end
 * counts ten times further.
 */
export const FIRST_COUNT_UP_TO = 1_000;

/** The list's filters: everything in a UserQuery but the search, the sort and the page. */
export type Filters = Omit<UserQuery, "search" | "sort" | "sort_attribute" | "limit" | "offset" | "after" | "ids">;

export const NO_FILTERS: Filters = {
  statuses: [],
  two_factor: [],
  organization: null,
  team: null,
  group: null,
  role: null,
  devices: null,
  department: null,
  employee_id: null,
  managers: [],
  ending_within_days: null,
  attributes: {},
};

export interface ListParams {
  search: string;
  sort: Sort;
  /** Sorts by this attribute (in `sort.direction`) instead of `sort.field`. */
  sortAttribute: string | null;
  filters: Filters;
}

/** `after`: the last user of the page before, where the database starts reading. */
export type FetchPage = (params: ListParams, offset: number, limit: number, after: UserId | null) => Promise<UserRows>;
export type FetchCount = (params: ListParams, upTo: number) => Promise<Count>;

export interface LoadedUsers {
  /** Bumps whenever the rows were fetched anew (another query, or a reload). */
  readonly generation: number;
  /** Changes only when the query itself changes (not on a reload): the table then starts from the top. */
  readonly queryKey: string;
  readonly params: ListParams;
  /** How many match; while `counting`, only the rows known so far; with `more`, at least this many. */
  readonly total: number;
  /** The rows came first; their count is still on its way. */
  readonly counting: boolean;
  /** Counting stopped at `total` ("1,000+"); more match. */
  readonly more: boolean;
  readonly pages: ReadonlyMap<number, readonly User[]>;
}

export interface PagesSnapshot {
  /** Rows of the last query that answered; kept while a newer query is in flight. */
  readonly data: LoadedUsers | null;
  /** True while the latest query's first page has not arrived yet. */
  readonly pending: boolean;
  /** `fatal`: the latest query failed outright; otherwise only some page did. */
  readonly error: { readonly error: AppError; readonly fatal: boolean } | null;
}

export function userAt(data: LoadedUsers, index: number): User | undefined {
  const offset = Math.floor(index / PAGE_SIZE) * PAGE_SIZE;
  return data.pages.get(offset)?.[index - offset];
}

export function paramsKey(p: ListParams): string {
  return JSON.stringify([p.search, p.sort, p.sortAttribute, p.filters]);
}

export function queryOf(params: ListParams, offset: number, limit: number, after: UserId | null = null): UserQuery {
  return { ...params.filters, ids: [], search: params.search, sort: params.sort, sort_attribute: params.sortAttribute, limit, offset, after };
}

export const fetchUserRows: FetchPage = (params, offset, limit, after) => listUserRows(queryOf(params, offset, limit, after));
export const fetchUserCount: FetchCount = (params, upTo) => countUsers(queryOf(params, 0, 1), upTo);

interface Loaded {
  seq: number;
  params: ListParams;
  total: number;
  counting: boolean;
  more: boolean;
  /** The cap of the count asked last. */
  upTo: number;
}

/**
 * Owns the paged cache outside React so scroll events never cause re-renders
 * by themselves; React reads immutable snapshots via useSyncExternalStore.
 *
 * Every query gets a sequence number; a response carrying an older number is
 * dropped, so a slow answer to "ab" can never overwrite the answer to "abc".
 * Typing faster than the directory answers sends no queries for the letters in
 * between: while a first page is on its way, only the newest query waits, and it
 * goes out the moment that page is back.
 *
 * Rows come first, their count after (a page that ends the list proves its own),
 * and pages further down never count again. The count stops at FIRST_COUNT_UP_TO; when
 * the viewport nears the last row counted, it counts ten times further, so the list
 * grows as someone scrolls through it.
 */
export class UserPageLoader {
  private seq = 0;
  private requested: ListParams | null = null;
  private pages = new Map<number, readonly User[]>();
  private loaded: Loaded | null = null;
  /** A first page is on its way; a newer query waits for it instead of queueing up. */
  private firstPageInFlight = false;
  private queued = false;
  private inFlight = new Set<number>();
  private failed = new Set<number>();
  /** A count failed: scrolling does not ask again until Retry. */
  private countFailed = false;
  private range = { start: 0, end: 0 };
  private snapshot: PagesSnapshot = { data: null, pending: false, error: null };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly fetchPage: FetchPage = fetchUserRows,
    private readonly fetchCount: FetchCount = fetchUserCount,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): PagesSnapshot => this.snapshot;

  setQuery(params: ListParams): void {
    if (this.requested && paramsKey(this.requested) === paramsKey(params)) return;
    this.requested = params;
    this.loadFirstPage();
  }

  /** Rows the user can see now; pages covering them (plus a margin) get fetched. */
  requestRange(start: number, end: number): void {
    this.range = { start, end };
    this.pump();
  }

  /**
   * Fetches the rows around the current position again (after a change), keeping the
   * position: the table does not jump back to the top.
   */
  reload(): void {
    const params = this.requested;
    if (!params || !this.loaded) return;
    const seq = ++this.seq;
    const offset = Math.floor(this.range.start / PAGE_SIZE) * PAGE_SIZE;
    this.inFlight = new Set([offset]);
    this.failed = new Set();
    this.countFailed = false;
    const { total: known, upTo } = this.loaded;
    this.fetchPage(params, offset, PAGE_SIZE, null).then(
      (page) => {
        if (seq !== this.seq) return;
        this.inFlight.delete(offset);
        this.pages = new Map([[offset, page.users]]);
        // Until the new count arrives, the old one keeps the scroll position in place.
        const total = page.total ?? Math.max(known, offset + page.users.length);
        this.loaded = { seq, params, total, counting: page.total === null, more: false, upTo };
        this.publish({ error: null });
        if (page.total === null) this.count(seq, params, upTo);
        this.pump();
      },
      (reason: unknown) => {
        if (seq !== this.seq) return;
        this.inFlight.delete(offset);
        this.publish({ error: { error: toCommandError(reason), fatal: false } });
      },
    );
  }

  retry(): void {
    if (this.snapshot.error?.fatal) {
      this.loadFirstPage();
      return;
    }
    this.failed.clear();
    this.countFailed = false;
    this.publish({ error: null });
    this.pump();
  }

  private loadFirstPage(): void {
    const params = this.requested;
    if (!params) return;
    const seq = ++this.seq;
    // A fresh set: in-flight requests of older queries must not block this one's pages.
    this.inFlight = new Set([0]);
    this.failed = new Set();
    this.countFailed = false;
    this.publish({ pending: true, error: null });
    if (this.firstPageInFlight) {
      this.queued = true;
      return;
    }
    this.firstPageInFlight = true;
    const settled = (): boolean => {
      this.firstPageInFlight = false;
      if (!this.queued) return seq === this.seq;
      this.queued = false;
      // A newer query arrived meanwhile: this answer is stale, the newest one goes out now.
      this.loadFirstPage();
      return false;
    };
    this.fetchPage(params, 0, PAGE_SIZE, null).then(
      (page) => {
        if (!settled()) return;
        this.inFlight.delete(0);
        this.pages = new Map([[0, page.users]]);
        const upTo = FIRST_COUNT_UP_TO;
        this.loaded = { seq, params, total: page.total ?? page.users.length, counting: page.total === null, more: false, upTo };
        this.range = { start: 0, end: 0 };
        this.publish({ pending: false });
        if (page.total === null) this.count(seq, params, upTo);
        this.pump();
      },
      (reason: unknown) => {
        if (!settled()) return;
        this.inFlight.delete(0);
        this.publish({ pending: false, error: { error: toCommandError(reason), fatal: true } });
      },
    );
  }

  private count(seq: number, params: ListParams, upTo: number): void {
    this.fetchCount(params, upTo).then(
      (count) => {
        if (seq !== this.seq || !this.loaded) return;
        // A page that ended the list meanwhile knows better than a count that stopped early.
        if (!this.loaded.counting && !this.loaded.more) return;
        this.loaded = { ...this.loaded, total: count.n, more: count.more, counting: false };
        this.publish({});
        this.pump();
      },
      (reason: unknown) => {
        if (seq !== this.seq || !this.loaded) return;
        this.loaded = { ...this.loaded, counting: false };
        this.countFailed = true;
        this.publish({ error: { error: toCommandError(reason), fatal: false } });
      },
    );
  }

  private pump(): void {
    const loaded = this.loaded;
    if (!loaded || loaded.seq !== this.seq) return;
    const margin = PAGE_SIZE / 2;
    if (loaded.more && !loaded.counting && !this.countFailed && this.range.end + PAGE_SIZE >= loaded.total) {
      const upTo = loaded.upTo * 10;
      this.loaded = { ...loaded, counting: true, upTo };
      this.count(loaded.seq, loaded.params, upTo);
      this.publish({});
    }
    const visible = this.pageOffsets(this.range.start, this.range.end, loaded.total);
    const nearby = this.pageOffsets(this.range.start - margin, this.range.end + margin, loaded.total);
    for (const offset of [...visible, ...nearby]) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) return;
      if (this.pages.has(offset) || this.inFlight.has(offset) || this.failed.has(offset)) continue;
      this.loadPage(loaded.seq, loaded.params, offset);
    }
  }

  private pageOffsets(start: number, end: number, total: number): number[] {
    const offsets: number[] = [];
    const first = Math.max(0, Math.floor(start / PAGE_SIZE) * PAGE_SIZE);
    const last = Math.min(end, total - 1);
    for (let offset = first; offset <= last; offset += PAGE_SIZE) offsets.push(offset);
    return offsets;
  }

  private loadPage(seq: number, params: ListParams, offset: number): void {
    this.inFlight.add(offset);
    this.fetchPage(params, offset, PAGE_SIZE, this.anchorBefore(offset)).then(
      (page) => {
        if (seq !== this.seq || !this.loaded) return;
        this.inFlight.delete(offset);
        this.pages = new Map(this.pages).set(offset, page.users);
        this.evictFarPages();
        // A page that ends the list proves where the list ends now.
        if (page.total !== null) this.loaded = { ...this.loaded, total: page.total, counting: false, more: false };
        this.publish({});
        this.pump();
      },
      (reason: unknown) => {
        if (seq !== this.seq) return;
        this.inFlight.delete(offset);
        // Remember the failure so scrolling does not hammer a broken backend.
        this.failed.add(offset);
        this.publish({ error: { error: toCommandError(reason), fatal: false } });
        this.pump();
      },
    );
  }

  /**
   * The last user of the full page just before `offset`, where scrolling down continues:
   * the database starts there instead of counting its way past every row above.
   */
  private anchorBefore(offset: number): UserId | null {
    const before = this.pages.get(offset - PAGE_SIZE);
    return before?.length === PAGE_SIZE ? (before[PAGE_SIZE - 1]?.id ?? null) : null;
  }

  private evictFarPages(): void {
    if (this.pages.size <= MAX_CACHED_PAGES) return;
    const centre = (this.range.start + this.range.end) / 2;
    const byDistance = [...this.pages.keys()].sort(
      (a, b) => Math.abs(b + PAGE_SIZE / 2 - centre) - Math.abs(a + PAGE_SIZE / 2 - centre),
    );
    for (const offset of byDistance.slice(0, this.pages.size - MAX_CACHED_PAGES)) this.pages.delete(offset);
  }

  private publish(change: Partial<Omit<PagesSnapshot, "data">>): void {
    const loaded = this.loaded;
    const data: LoadedUsers | null = loaded
      ? {
          generation: loaded.seq,
          queryKey: paramsKey(loaded.params),
          params: loaded.params,
          total: loaded.total,
          counting: loaded.counting,
          more: loaded.more,
          pages: this.pages,
        }
      : null;
    this.snapshot = { ...this.snapshot, ...change, data };
    for (const listener of this.listeners) listener();
  }
}
