import { Button } from "./Button";
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

interface ConflictProps {
  /** What the core said: who changed what, when. */
  message: string;
  onReload: () => void;
  /** Absent while their version is still being read. */
  onKeepMine?: (() => void) | undefined;
}

/** A save refused because another admin saved first: reload theirs, or keep the fields changed here. */
export function Conflict({ message, onReload, onKeepMine }: ConflictProps) {
  return (
    <div className="conflict" role="alert" data-testid="conflict">
      <span>{message}</span>
      <span className="conflict-actions">
        <Button testId="conflict-reload" onClick={onReload}>Reload</Button>
        {onKeepMine ? (
          <Button testId="keep-mine" onClick={onKeepMine}>
            Keep my changes
          </Button>
        ) : null}
      </span>
    </div>
  );
}
