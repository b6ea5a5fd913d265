import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { paramsKey, UserPageLoader, type ListParams, type PagesSnapshot } from "./pageLoader";

export interface UserPages extends PagesSnapshot {
  requestRange: (start: number, end: number) => void;
  retry: () => void;
}

/** The pages of the list for these parameters; `version` changes reload them in place. */
export function useUserPages(params: ListParams, version: number): UserPages {
  const [loader] = useState(() => new UserPageLoader());
  const snapshot = useSyncExternalStore(loader.subscribe, loader.getSnapshot);
  const key = paramsKey(params);

  useEffect(() => {
    loader.setQuery(params);
    // The key stands for the params' content; a new object with the same content is no new query.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loader, key]);

  useEffect(() => {
    if (version > 0) loader.reload();
  }, [loader, version]);

  const requestRange = useCallback((start: number, end: number) => {
    loader.requestRange(start, end);
  }, [loader]);
  const retry = useCallback(() => {
    loader.retry();
  }, [loader]);

  return { ...snapshot, requestRange, retry };
}
