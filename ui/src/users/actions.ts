import type { Session } from "../bindings/Session";
import type { Status } from "../bindings/Status";
import type { StatusAction } from "../bindings/StatusAction";
import { t } from "../i18n";

/** A status action the list offers: what the menus say, and (from Rust, through the
 * session) the statuses it is legal from for this role. */
export interface StatusActionInfo {
  action: StatusAction;
  label: string;
  /** The confirmation's title: "Lock 3 users". */
  title: (count: number) => string;
  /** The result: "3 users locked". */
  done: (count: number) => string;
  /** Asked before acting; null = no confirmation needed (the action is easily undone). */
  confirm: ((count: number) => string) | null;
  from: readonly Status[];
}

export function users(count: number): string {
  return t("users-count", { count });
}

type Words = Pick<StatusActionInfo, "label" | "title" | "done" | "confirm">;

/** The words only; which actions a role may take, and from where, come from roster-core. */
const WORDS: Partial<Record<StatusAction, Words>> = {
  activate: {
    label: t("users-activate"),
    title: (count) => t("users-activate-title", { count }),
    done: (count) => t("users-activate-done", { count }),
    confirm: null,
  },
  suspend: {
    label: t("users-suspend"),
    title: (count) => t("users-suspend-title", { count }),
    done: (count) => t("users-suspend-done", { count }),
    confirm: (count) => t("users-suspend-confirm", { count }),
  },
  unsuspend: {
    label: t("users-unsuspend"),
    title: (count) => t("users-unsuspend-title", { count }),
    done: (count) => t("users-unsuspend-done", { count }),
    confirm: null,
  },
  lock: {
    label: t("users-lock"),
    title: (count) => t("users-lock-title", { count }),
    done: (count) => t("users-lock-done", { count }),
    confirm: (count) => t("users-lock-confirm", { count }),
  },
  unlock: {
    label: t("users-unlock"),
    title: (count) => t("users-unlock-title", { count }),
    done: (count) => t("users-unlock-done", { count }),
    confirm: null,
  },
};

/** The status actions this session's role may take, in the order roster-core gives them. */
export function statusActions(session: Session): StatusActionInfo[] {
  return session.status_actions.flatMap((rule) => {
    const words = WORDS[rule.action];
    return words ? [{ action: rule.action, from: rule.from, ...words }] : [];
  });
}
