import { describe, expect, it } from "vitest";
import type { Count } from "../bindings/Count";
import type { User } from "../bindings/User";
import type { UserRows } from "../bindings/UserRows";
import { FIRST_COUNT_UP_TO, NO_FILTERS, PAGE_SIZE, UserPageLoader, userAt, type ListParams } from "./pageLoader";

/** A request the test answers when it chooses, as a slow directory would. */
interface Pending<T> {
  readonly params: ListParams;
  readonly offset: number;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

function user(n: number): User {
  return { id: n, username: `user${n}` } as unknown as User;
}

function rows(offset: number, count: number, total: number | null): UserRows {
  return { users: Array.from({ length: count }, (_, i) => user(offset + i)), offset, total };
}

function params(search: string): ListParams {
  return { search, sort: { field: "last_name", direction: "asc" }, sortAttribute: null, filters: NO_FILTERS };
}

/** A loader whose page and count requests wait in lists until the test answers them. */
function harness() {
  const pages: (Pending<UserRows> & { readonly after: number | null })[] = [];
  const counts: (Pending<Count> & { readonly upTo: number })[] = [];
  const loader = new UserPageLoader(
    (p, offset, _limit, after) =>
      new Promise<UserRows>((resolve, reject) => {
        pages.push({ params: p, offset, after, resolve, reject });
      }),
    (p, upTo) =>
      new Promise<Count>((resolve, reject) => {
        counts.push({ params: p, offset: 0, upTo, resolve, reject });
      }),
  );
  return { loader, pages, counts };
}

function present<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error("expected a value");
  return value;
}

function nth<T>(list: readonly T[], index: number): T {
  return present(list[index]);
}

/** Lets answered promises run their callbacks. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A searched list whose first page came back full and whose count stopped at its cap. */
async function cappedList() {
  const harnessed = harness();
  harnessed.loader.setQuery(params("a"));
  nth(harnessed.pages, 0).resolve(rows(0, PAGE_SIZE, null));
  await settle();
  nth(harnessed.counts, 0).resolve({ n: FIRST_COUNT_UP_TO, more: true });
  await settle();
  return harnessed;
}

describe("UserPageLoader", () => {
  it("sends only the newest query for letters typed while the first page is on its way", async () => {
    const { loader, pages } = harness();
    loader.setQuery(params("a"));
    loader.setQuery(params("ab"));
    loader.setQuery(params("abc"));
    expect(pages.map((p) => p.params.search)).toEqual(["a"]);
    expect(loader.getSnapshot().pending).toBe(true);

    nth(pages, 0).resolve(rows(0, 3, 3));
    await settle();
    expect(pages.map((p) => p.params.search)).toEqual(["a", "abc"]);
    // The stale answer for "a" is not shown as if it answered "abc".
    expect(loader.getSnapshot().data).toBeNull();

    nth(pages, 1).resolve(rows(0, 1, 1));
    await settle();
    const { data, pending } = loader.getSnapshot();
    expect(pending).toBe(false);
    expect(data?.params.search).toBe("abc");
    expect(data?.total).toBe(1);
  });

  it("shows the rows first and their count when it arrives", async () => {
    const { loader, pages, counts } = harness();
    loader.setQuery(params("lov"));
    nth(pages, 0).resolve(rows(0, PAGE_SIZE, null));
    await settle();
    expect(loader.getSnapshot().data?.counting).toBe(true);
    expect(loader.getSnapshot().data?.total).toBe(PAGE_SIZE);
    expect(counts).toHaveLength(1);

    nth(counts, 0).resolve({ n: 5_000, more: false });
    await settle();
    const data = present(loader.getSnapshot().data);
    expect(data.counting).toBe(false);
    expect(data.more).toBe(false);
    expect(data.total).toBe(5_000);
    expect(userAt(data, 0)?.id).toBe(0);
  });

  it("counts no further than its cap, and ten times further when scrolled near the end", async () => {
    const { loader, pages, counts } = harness();
    loader.setQuery(params("a"));
    nth(pages, 0).resolve(rows(0, PAGE_SIZE, null));
    await settle();
    expect(nth(counts, 0).upTo).toBe(FIRST_COUNT_UP_TO);
    nth(counts, 0).resolve({ n: FIRST_COUNT_UP_TO, more: true });
    await settle();
    let data = present(loader.getSnapshot().data);
    expect([data.total, data.more, data.counting]).toEqual([FIRST_COUNT_UP_TO, true, false]);

    // Scrolling in the middle asks for rows, not for a bigger count.
    loader.requestRange(FIRST_COUNT_UP_TO / 2, FIRST_COUNT_UP_TO / 2 + 20);
    expect(counts).toHaveLength(1);
    // Near the last row counted, the count goes ten times further, once.
    loader.requestRange(FIRST_COUNT_UP_TO - 50, FIRST_COUNT_UP_TO - 1);
    loader.requestRange(FIRST_COUNT_UP_TO - 40, FIRST_COUNT_UP_TO - 1);
    expect(counts.map((c) => c.upTo)).toEqual([FIRST_COUNT_UP_TO, FIRST_COUNT_UP_TO * 10]);
    expect(present(loader.getSnapshot().data).counting).toBe(true);
    nth(counts, 1).resolve({ n: 23_456, more: false });
    await settle();
    data = present(loader.getSnapshot().data);
    expect([data.total, data.more, data.counting]).toEqual([23_456, false, false]);
  });

  it("a failed count is not asked again by scrolling, only by retry", async () => {
    const { loader, counts } = await cappedList();
    loader.requestRange(FIRST_COUNT_UP_TO - 20, FIRST_COUNT_UP_TO - 1);
    nth(counts, 1).reject({ code: "storage", message: "the server went away", fields: [] });
    await settle();
    loader.requestRange(FIRST_COUNT_UP_TO - 21, FIRST_COUNT_UP_TO - 1);
    expect(counts).toHaveLength(2);
    expect(present(loader.getSnapshot().data).more).toBe(true);
    loader.retry();
    expect(counts).toHaveLength(3);
  });

  it("a page that ends the list wins over a count still on its way", async () => {
    const { loader, pages, counts } = await cappedList();
    const near = FIRST_COUNT_UP_TO - PAGE_SIZE;
    loader.requestRange(near + 100, FIRST_COUNT_UP_TO - 1);
    expect(counts).toHaveLength(2);
    // Users were deleted meanwhile: the page there ends the list.
    present(pages.find((p) => p.offset === near)).resolve(rows(near, 50, near + 50));
    await settle();
    nth(counts, 1).resolve({ n: 123_456, more: false });
    await settle();
    const data = present(loader.getSnapshot().data);
    expect([data.total, data.more, data.counting]).toEqual([near + 50, false, false]);
  });

  it("continues after the last row it holds when scrolling down; a jump asks by offset", async () => {
    const { loader, pages } = harness();
    loader.setQuery(params(""));
    nth(pages, 0).resolve(rows(0, PAGE_SIZE, 100_000));
    await settle();
    loader.requestRange(PAGE_SIZE - 20, PAGE_SIZE + 20);
    const next = present(pages.find((p) => p.offset === PAGE_SIZE));
    expect(next.after).toBe(PAGE_SIZE - 1);

    loader.requestRange(50_000, 50_020);
    const jumped = present(pages.find((p) => p.offset === 50_000));
    expect(jumped.after).toBeNull();
    jumped.resolve(rows(50_000, PAGE_SIZE, null));
    await settle();
    loader.requestRange(50_000 + PAGE_SIZE - 10, 50_000 + PAGE_SIZE + 10);
    expect(present(pages.find((p) => p.offset === 50_000 + PAGE_SIZE)).after).toBe(50_000 + PAGE_SIZE - 1);
  });

  it("does not ask again for a page that failed until told to retry", async () => {
    const { loader, pages } = harness();
    loader.setQuery(params(""));
    nth(pages, 0).resolve(rows(0, PAGE_SIZE, 1_000));
    await settle();
    loader.requestRange(250, 260);
    const failing = present(pages.find((p) => p.offset === 200));
    failing.reject({ code: "storage", message: "the disk is gone", fields: [] });
    await settle();
    expect(loader.getSnapshot().error).toEqual({
      error: { code: "storage", message: "the disk is gone", fields: [] },
      fatal: false,
    });
    const asked = pages.filter((p) => p.offset === 200).length;
    loader.requestRange(251, 261);
    expect(pages.filter((p) => p.offset === 200)).toHaveLength(asked);

    loader.retry();
    expect(pages.filter((p) => p.offset === 200)).toHaveLength(asked + 1);
    expect(loader.getSnapshot().error).toBeNull();
  });

  it("a first page that fails is fatal and retry asks for it again", async () => {
    const { loader, pages } = harness();
    loader.setQuery(params("x"));
    nth(pages, 0).reject("connection refused");
    await settle();
    expect(loader.getSnapshot().error?.fatal).toBe(true);
    expect(loader.getSnapshot().error?.error.message).toBe("connection refused");
    loader.retry();
    expect(pages).toHaveLength(2);
    expect(nth(pages, 1).params.search).toBe("x");
  });

  it("keeps a bounded number of pages while someone drags through a long list", async () => {
    const { loader, pages } = harness();
    const total = 200 * PAGE_SIZE;
    loader.setQuery(params(""));
    nth(pages, 0).resolve(rows(0, PAGE_SIZE, total));
    await settle();
    for (let start = 0; start < total; start += PAGE_SIZE) {
      loader.requestRange(start, start + 20);
      for (const page of pages.splice(0)) page.resolve(rows(page.offset, PAGE_SIZE, null));
      await settle();
    }
    const cached = present(loader.getSnapshot().data).pages;
    expect(cached.size).toBeLessThanOrEqual(60);
    // The pages kept are the ones around where the person is now.
    expect(cached.has(total - PAGE_SIZE)).toBe(true);
    expect(cached.has(0)).toBe(false);
  });
});
