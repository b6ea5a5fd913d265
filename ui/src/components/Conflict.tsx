import { toCommandError, type AppError } from "../api";
import { Button } from "./Button";
import { t } from "../i18n";
import "./conflict.css";

/**
 * A record as another admin saved it (`theirs`) with the fields changed here laid over it:
 * each field of `mine` that differs from `base`, what this form opened with. A field both
 * changed takes this form's value; every other change of theirs is kept.
 */
export function keepMine<T extends object>(base: T, mine: T, theirs: T): T {
  const merged = { ...theirs };
  for (const key of Object.keys(mine) as (keyof T)[]) {
    if (JSON.stringify(mine[key]) !== JSON.stringify(base[key])) merged[key] = mine[key];
  }
  return merged;
}

/** The names of the fields of `mine` that differ from `base`. */
export function changedFields<T extends object>(base: T, mine: T): (keyof T)[] {
  return (Object.keys(mine) as (keyof T)[]).filter((key) => JSON.stringify(mine[key]) !== JSON.stringify(base[key]));
}

/** A save refused over another admin's change: what the core said, and their version once read. */
export interface ConflictState<T> {
  message: string;
  theirs: T | null;
}

/**
 * Shows a refused save at once, then with their version once `readTheirs` has it; `gone`
 * is what to say if the record has been deleted meanwhile. Failures go to `onError`.
 */
export function followConflict<T>(
  message: string,
  readTheirs: () => Promise<T | undefined>,
  gone: string,
  setConflict: (conflict: ConflictState<T>) => void,
  onError: (error: AppError) => void,
) {
  setConflict({ message, theirs: null });
  readTheirs().then(
    (theirs) => {
      if (theirs === undefined) onError({ code: "not_found", message: gone, fields: [] });
      else setConflict({ message, theirs });
    },
    (reason: unknown) => {
      onError(toCommandError(reason));
    },
  );
}

interface ConflictProps<T> {
  conflict: ConflictState<T>;
  /** Shows their version in the form, dropping the edits made here. */
  onReload: (theirs: T) => void;
  /** Saves the fields changed here over their version. */
  onKeepMine: (theirs: T) => void;
}

/**
 * A save refused because another admin saved first: who changed what, and once their version
 * is read, Reload or "Keep my changes".
 */
export function Conflict<T>({ conflict, onReload, onKeepMine }: ConflictProps<T>) {
  const { message, theirs } = conflict;
  return (
    <div className="conflict" role="alert" data-testid="conflict">
      <span>{message}</span>
      {theirs === null ? null : (
        <span className="conflict-actions">
          <Button testId="conflict-reload" onClick={() => { onReload(theirs); }}>{t("ui-conflict-reload")}</Button>
          <Button testId="keep-mine" onClick={() => { onKeepMine(theirs); }}>
            {t("ui-conflict-keep-mine")}
          </Button>
        </span>
      )}
    </div>
  );
}
