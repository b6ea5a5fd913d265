import { describe, expect, it } from "vitest";
import type { User } from "../bindings/User";
import type { UserRows } from "../bindings/UserRows";
import { NO_FILTERS, PAGE_SIZE, UserPageLoader, userAt, type ListParams } from "./pageLoader";

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
  const pages: Pending<UserRows>[] = [];
  const counts: Pending<number>[] = [];
  const loader = new UserPageLoader(
    (p, offset) =>
      new Promise<UserRows>((resolve, reject) => {
        pages.push({ params: p, offset, resolve, reject });
      }),
    (p) =>
      new Promise<number>((resolve, reject) => {
        counts.push({ params: p, offset: 0, resolve, reject });
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

    nth(counts, 0).resolve(5_000);
    await settle();
    const data = present(loader.getSnapshot().data);
    expect(data.counting).toBe(false);
    expect(data.total).toBe(5_000);
    expect(userAt(data, 0)?.id).toBe(0);
  });

  it("fetches the pages the person scrolls to, and ignores answers to an older query", async () => {
    const { loader, pages } = harness();
    loader.setQuery(params(""));
    nth(pages, 0).resolve(rows(0, PAGE_SIZE, 1_000));
    await settle();
    loader.requestRange(450, 470);
    const wanted = pages.slice(1).map((p) => p.offset);
    expect(wanted).toContain(400);

    const older = pages.slice(1);
    loader.setQuery(params("x"));
    for (const page of older) page.resolve(rows(page.offset, PAGE_SIZE, null));
    await settle();
    // Late pages of the old query are dropped; the new query's first page is still awaited.
    expect(loader.getSnapshot().pending).toBe(true);
    expect([...present(loader.getSnapshot().data).pages.keys()]).toEqual([0]);

    nth(pages, pages.length - 1).resolve(rows(0, 2, 2));
    await settle();
    const data = present(loader.getSnapshot().data);
    expect(data.params.search).toBe("x");
    expect([...data.pages.keys()]).toEqual([0]);
    expect(data.total).toBe(2);
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
