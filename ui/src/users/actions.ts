import type { Status } from "../bindings/Status";
import type { StatusAction } from "../bindings/StatusAction";

/** The status actions the list offers, with what the confirmation and the result say. */
export interface StatusActionInfo {
  action: StatusAction;
  label: string;
  /** Past tense for the result: "3 users locked". */
  done: string;
  /** Asked before acting; null = no confirmation needed (the action is easily undone). */
  confirm: ((count: number) => string) | null;
  /** Statuses the action is legal from (the backend enforces it anyway). */
  from: readonly Status[];
}

export function users(count: number): string {
  return count === 1 ? "1 user" : `${count.toLocaleString()} users`;
}

export const STATUS_ACTIONS: readonly StatusActionInfo[] = [
  {
    action: "suspend",
    label: "Suspend",
    done: "suspended",
    confirm: (n) => `Suspend ${users(n)}? They cannot sign in until unsuspended.`,
    from: ["staged", "active", "locked", "auto_locked", "awaiting_new_password", "recovery"],
  },
  { action: "unsuspend", label: "Unsuspend", done: "unsuspended", confirm: null, from: ["suspended"] },
  {
    action: "lock",
    label: "Lock",
    done: "locked",
    confirm: (n) => `Lock ${users(n)}? They cannot sign in until unlocked.`,
    from: ["staged", "active", "auto_locked", "awaiting_new_password", "recovery"],
  },
  { action: "unlock", label: "Unlock", done: "unlocked", confirm: null, from: ["locked", "auto_locked"] },
];
