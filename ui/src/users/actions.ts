import type { Session } from "../bindings/Session";
import type { Status } from "../bindings/Status";
import type { StatusAction } from "../bindings/StatusAction";

/** A status action the list offers: what the menus say, and (from Rust, through the
 * session) the statuses it is legal from for this role. */
export interface StatusActionInfo {
  action: StatusAction;
  label: string;
  /** Past tense for the result: "3 users locked". */
  done: string;
  /** Asked before acting; null = no confirmation needed (the action is easily undone). */
  confirm: ((count: number) => string) | null;
  from: readonly Status[];
}

export function users(count: number): string {
  return count === 1 ? "1 user" : `${count.toLocaleString()} users`;
}

type Words = Pick<StatusActionInfo, "label" | "done" | "confirm">;

/** The words only; which actions a role may take, and from where, come from roster-core. */
const WORDS: Partial<Record<StatusAction, Words>> = {
  activate: { label: "Activate", done: "activated", confirm: null },
  suspend: {
    label: "Suspend",
    done: "suspended",
    confirm: (n) => `Suspend ${users(n)}? They cannot sign in until unsuspended.`,
  },
  unsuspend: { label: "Unsuspend", done: "unsuspended", confirm: null },
  lock: {
    label: "Lock",
    done: "locked",
    confirm: (n) => `Lock ${users(n)}? They cannot sign in until unlocked.`,
  },
  unlock: { label: "Unlock", done: "unlocked", confirm: null },
};

/** The status actions this session's role may take, in the order roster-core gives them. */
export function statusActions(session: Session): StatusActionInfo[] {
  return session.status_actions.flatMap((rule) => {
    const words = WORDS[rule.action];
    return words ? [{ action: rule.action, from: rule.from, ...words }] : [];
  });
}
