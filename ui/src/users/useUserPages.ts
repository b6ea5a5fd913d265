import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import type { SortDirection } from "../bindings/SortDirection";
import type { SortField } from "../bindings/SortField";
import { UserPageLoader, type PagesSnapshot } from "./pageLoader";

export interface UserPages extends PagesSnapshot {
  requestRange: (start: number, end: number) => void;
  retry: () => void;
}

export function useUserPages(search: string, field: SortField, direction: SortDirection): UserPages {
  const [loader] = useState(() => new UserPageLoader());
  const snapshot = useSyncExternalStore(loader.subscribe, loader.getSnapshot);

  useEffect(() => {
    loader.setQuery({ search, sort: { field, direction } });
  }, [loader, search, field, direction]);

  const requestRange = useCallback((start: number, end: number) => {
    loader.requestRange(start, end);
  }, [loader]);
  const retry = useCallback(() => {
    loader.retry();
  }, [loader]);

  return { ...snapshot, requestRange, retry };
}
