import { useEffect, useRef, useState } from "react";
import { changeStatus, deleteUsers, removeGroupMembers, resetTwoFactor, startRecovery, toCommandError } from "../api";
import type { Group } from "../bindings/Group";
import type { UserId } from "../bindings/UserId";
import { t } from "../i18n";
import type { StatusActionInfo } from "./actions";

/** How long a result stays on screen. */
const TOAST_MS = 6000;

/** An action waiting for the admin's confirmation. */
export interface Pending {
  title: string;
  message: string;
  confirmLabel: string;
  destructive: boolean;
  /** The users' devices go somewhere: ask whether to retire them or give them to someone. */
  devices?: boolean;
  run: () => Promise<string>;
}

export interface Toast {
  text: string;
  error: boolean;
}

export interface BulkActions {
  pending: Pending | null;
  busy: boolean;
  toast: Toast | null;
  showError: (text: string) => void;
  /** Says what finished elsewhere (an export), as the actions' results are said. */
  showDone: (text: string) => void;
  /** Runs an action, reports its result and calls `onDone`. */
  execute: (run: () => Promise<string>) => void;
  confirm: () => void;
  cancel: () => void;
  /** Who takes a deleted user's devices (username or email); empty: they are retired. */
  heir: string;
  setHeir: (heir: string) => void;
  status: (info: StatusActionInfo, ids: UserId[]) => void;
  remove: (ids: UserId[]) => void;
  resetTwoFactor: (ids: UserId[]) => void;
  recover: (ids: UserId[]) => void;
  removeFromGroup: (group: Group, ids: UserId[]) => void;
}

/**
 * The actions on one or many users: each asks first where it cannot be undone, runs as one
 * call (one transaction for all the users), and says what it did. `onDone` reloads the
 * rows; `forget` drops deleted or removed users from the selection.
 */
export function useBulkActions(onDone: () => void, forget: (ids: readonly UserId[]) => void): BulkActions {
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [toast, setToast] = useState<Toast | null>(null);
  const [heir, setHeirState] = useState("");
  // Read when the confirmed delete runs, which its closure was made before.
  const heirRef = useRef("");

  useEffect(() => {
    if (!toast) return;
    const timer = window.setTimeout(() => {
      setToast(null);
    }, TOAST_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [toast]);

  const execute = (run: () => Promise<string>) => {
    setBusy(true);
    run().then(
      (result) => {
        setToast({ text: result, error: false });
        setPending(null);
        setBusy(false);
        onDone();
      },
      (reason: unknown) => {
        setToast({ text: toCommandError(reason).message, error: true });
        setPending(null);
        setBusy(false);
      },
    );
  };

  const act = (action: Pending, ask: boolean) => {
    if (ask) setPending(action);
    else execute(action.run);
  };

  return {
    pending,
    busy,
    toast,
    showError: (text) => {
      setToast({ text, error: true });
    },
    showDone: (text) => {
      setToast({ text, error: false });
    },
    execute,
    confirm: () => {
      if (pending) execute(pending.run);
    },
    cancel: () => {
      setPending(null);
    },
    heir,
    setHeir: (next) => {
      heirRef.current = next;
      setHeirState(next);
    },
    status: (info, ids) => {
      act(
        {
          title: info.title(ids.length),
          message: info.confirm?.(ids.length) ?? "",
          confirmLabel: info.label,
          destructive: false,
          run: async () => {
            const changed = await changeStatus(ids, info.action);
            return info.done(changed.length);
          },
        },
        info.confirm !== null,
      );
    },
    remove: (ids) => {
      heirRef.current = "";
      setHeirState("");
      act(
        {
          title: t("users-delete-title", { count: ids.length }),
          message: t("users-delete-confirm", { count: ids.length }),
          confirmLabel: t("common-delete"),
          destructive: true,
          devices: true,
          run: async () => {
            const n = await deleteUsers(ids, heirRef.current.trim() || null);
            forget(ids);
            return t("users-delete-done", { count: n });
          },
        },
        true,
      );
    },
    resetTwoFactor: (ids) => {
      act(
        {
          title: t("users-reset-two-factor-title", { count: ids.length }),
          message: t("users-reset-two-factor-confirm", { count: ids.length }),
          confirmLabel: t("users-reset-two-factor-confirm-button"),
          destructive: true,
          run: async () => t("users-reset-two-factor-done", { count: await resetTwoFactor(ids) }),
        },
        true,
      );
    },
    recover: (ids) => {
      act(
        {
          title: t("users-reset-password-title", { count: ids.length }),
          message: t("users-reset-password-confirm", { count: ids.length }),
          confirmLabel: t("users-reset-password-confirm-button"),
          destructive: false,
          run: async () => t("users-reset-password-done", { count: (await startRecovery(ids)).length }),
        },
        true,
      );
    },
    removeFromGroup: (group, ids) => {
      act(
        {
          title: t("users-remove-from-group"),
          message: t("users-remove-from-group-confirm", { count: ids.length, group: group.name }),
          confirmLabel: t("common-remove"),
          destructive: true,
          run: async () => {
            const n = await removeGroupMembers(group.id, ids);
            forget(ids);
            return t("users-remove-from-group-done", { count: n, group: group.name });
          },
        },
        true,
      );
    },
  };
}
