import { useEffect, type DependencyList } from "react";
import { toCommandError, type AppError } from "../api";

/** How long typing must pause before a form is checked with the Rust rules. */
export const CHECK_DELAY_MS = 250;

/**
 * Loads when `deps` change (after `delayMs`, for loads that follow typing) and hands the
 * result to `onLoaded`, or the failure to `onFailed`, only while the component still wants
 * it: a slower, older answer never overwrites a newer one, and nothing is set after the
 * component is gone. `load` returns null when there is nothing to load right now. `deps`
 * are what `load` reads plus any counter that asks for a reload.
 */
export function useLoad<T>(
  load: () => Promise<T> | null,
  deps: DependencyList,
  onLoaded: (value: T) => void,
  onFailed: (error: AppError) => void,
  delayMs = 0,
): void {
  useEffect(() => {
    let current = true;
    const start = () => {
      load()?.then(
        (value) => {
          if (current) onLoaded(value);
        },
        (reason: unknown) => {
          if (current) onFailed(toCommandError(reason));
        },
      );
    };
    const timer = delayMs > 0 ? window.setTimeout(start, delayMs) : undefined;
    if (timer === undefined) start();
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
    // `deps` stand for `load` (and reload counters); the callbacks only set state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}
