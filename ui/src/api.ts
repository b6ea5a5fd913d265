// The only module that talks to the Rust backend. Everything else imports these
// typed wrappers, so a mock or a changed command name touches one file.
import { invoke } from "@tauri-apps/api/core";
import type { CommandError } from "./bindings/CommandError";
import type { DatabaseInfo } from "./bindings/DatabaseInfo";
import type { UserPage } from "./bindings/UserPage";
import type { UserQuery } from "./bindings/UserQuery";

/** The backend caps `limit` at this many rows per call. */
export const MAX_PAGE_LIMIT = 500;

export function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && typeof v.message === "string";
}

/**
 * Commands reject with a CommandError, but the IPC layer itself can reject with
 * a string or an Error (e.g. when the page runs outside Tauri), so normalise
 * every rejection into one shape the UI knows how to show.
 */
export function toCommandError(reason: unknown): CommandError {
  if (isCommandError(reason)) {
    return { code: reason.code, message: reason.message, fields: Array.isArray(reason.fields) ? reason.fields : [] };
  }
  if (reason instanceof Error) return { code: "ipc", message: reason.message, fields: [] };
  if (typeof reason === "string") return { code: "ipc", message: reason, fields: [] };
  return { code: "unknown", message: "The app's backend returned an unexpected error.", fields: [] };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason: unknown) {
    // Rejections are re-thrown as CommandError so callers can rely on the shape.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw toCommandError(reason);
  }
}

export function listUsers(query: UserQuery): Promise<UserPage> {
  return call<UserPage>("list_users", { query: { ...query, limit: Math.min(query.limit, MAX_PAGE_LIMIT) } });
}

export function databaseInfo(): Promise<DatabaseInfo> {
  return call<DatabaseInfo>("database_info");
}
