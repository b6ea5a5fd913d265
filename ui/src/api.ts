// The only module that talks to the Rust backend. Everything else imports these
// typed wrappers, so a mock or a changed command name touches one file.
import { invoke } from "@tauri-apps/api/core";
import type { AuditEntry } from "./bindings/AuditEntry";
import type { BulkEdit } from "./bindings/BulkEdit";
import type { CommandError } from "./bindings/CommandError";
import type { DatabaseInfo } from "./bindings/DatabaseInfo";
import type { Facets } from "./bindings/Facets";
import type { FieldError } from "./bindings/FieldError";
import type { Group } from "./bindings/Group";
import type { GroupId } from "./bindings/GroupId";
import type { GroupPatch } from "./bindings/GroupPatch";
import type { NewGroup } from "./bindings/NewGroup";
import type { NewUser } from "./bindings/NewUser";
import type { Overview } from "./bindings/Overview";
import type { StatusAction } from "./bindings/StatusAction";
import type { User } from "./bindings/User";
import type { UserId } from "./bindings/UserId";
import type { UserPage } from "./bindings/UserPage";
import type { UserPatch } from "./bindings/UserPatch";
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

/** Ids of every user the query matches, in its order (for "select all matching"). */
export function matchingUserIds(query: UserQuery): Promise<UserId[]> {
  return call<UserId[]>("matching_user_ids", { query });
}

export function getUser(id: UserId): Promise<User> {
  return call<User>("get_user", { id });
}

/** Field problems of a new user, from the same Rust validators that guard saving. */
export function checkNewUser(input: NewUser): Promise<FieldError[]> {
  return call<FieldError[]>("check_new_user", { input });
}

export function checkUserPatch(patch: UserPatch): Promise<FieldError[]> {
  return call<FieldError[]>("check_user_patch", { patch });
}

export function createUser(input: NewUser): Promise<User> {
  return call<User>("create_user", { input });
}

/** Rejects with code `version_conflict` when someone else saved the user since `expectedVersion`. */
export function updateUser(id: UserId, patch: UserPatch, expectedVersion: number): Promise<User> {
  return call<User>("update_user", { id, patch, expectedVersion });
}

/** One transaction: every user changes, or (code `illegal_transition`) none. */
export function changeStatus(ids: UserId[], action: StatusAction): Promise<User[]> {
  return call<User[]>("change_status", { ids, action });
}

export function editUsers(ids: UserId[], edit: BulkEdit): Promise<User[]> {
  return call<User[]>("edit_users", { ids, edit });
}

/** Returns how many users were deleted. */
export function deleteUsers(ids: UserId[]): Promise<number> {
  return call<number>("delete_users", { ids });
}

/** The user's audit entries, newest first. */
export function userActivity(id: UserId): Promise<AuditEntry[]> {
  return call<AuditEntry[]>("user_activity", { id });
}

export function userGroups(id: UserId): Promise<Group[]> {
  return call<Group[]>("user_groups", { id });
}

export function listGroups(): Promise<Group[]> {
  return call<Group[]>("list_groups");
}

export function createGroup(input: NewGroup): Promise<Group> {
  return call<Group>("create_group", { input });
}

export function updateGroup(id: GroupId, patch: GroupPatch): Promise<Group> {
  return call<Group>("update_group", { id, patch });
}

export function deleteGroup(id: GroupId): Promise<void> {
  return call<undefined>("delete_group", { id });
}

/** Returns how many of the users were not members yet. */
export function addGroupMembers(id: GroupId, users: UserId[]): Promise<number> {
  return call<number>("add_group_members", { id, users });
}

/** Returns how many of the users were members. */
export function removeGroupMembers(id: GroupId, users: UserId[]): Promise<number> {
  return call<number>("remove_group_members", { id, users });
}

export function overview(): Promise<Overview> {
  return call<Overview>("overview");
}

/** The organizations, teams, roles and groups the list's filters offer. */
export function facets(): Promise<Facets> {
  return call<Facets>("facets");
}
