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
import type { Enrollment } from "./bindings/Enrollment";
import type { FirstOwner } from "./bindings/FirstOwner";
import type { IssuedToken } from "./bindings/IssuedToken";
import type { MailMessage } from "./bindings/MailMessage";
import type { PasswordSet } from "./bindings/PasswordSet";
import type { RedeemCode } from "./bindings/RedeemCode";
import type { Role } from "./bindings/Role";
import type { RoleInput } from "./bindings/RoleInput";
import type { Session } from "./bindings/Session";
import type { SessionState } from "./bindings/SessionState";
import type { SetPassword } from "./bindings/SetPassword";
import type { Settings } from "./bindings/Settings";
import type { SignInEntry } from "./bindings/SignInEntry";
import type { SignInRequest } from "./bindings/SignInRequest";
import type { TokenQuery } from "./bindings/TokenQuery";
import type { TokenView } from "./bindings/TokenView";

export function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && typeof v.message === "string";
}

/** A command's error, or the IPC layer's own failure (`ipc`, `unknown`). */
export type AppError = Omit<CommandError, "code"> & { code: CommandError["code"] | "ipc" | "unknown" };

/**
 * Commands reject with a CommandError, but the IPC layer itself can reject with
 * a string or an Error (e.g. when the page runs outside Tauri), so normalise
 * every rejection into one shape the UI knows how to show.
 */
export function toCommandError(reason: unknown): AppError {
  if (isCommandError(reason)) {
    return { code: reason.code, message: reason.message, fields: Array.isArray(reason.fields) ? reason.fields : [] };
  }
  if (reason instanceof Error) return { code: "ipc", message: reason.message, fields: [] };
  if (typeof reason === "string") return { code: "ipc", message: reason, fields: [] };
  return { code: "unknown", message: "The app's backend returned an unexpected error.", fields: [] };
}

/** Fired when the backend says the session is over (signed out elsewhere, or idle too long). */
export const SIGNED_OUT_EVENT = "roster:signed-out";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason: unknown) {
    const error = toCommandError(reason);
    if (error.code === "sign_in_required") window.dispatchEvent(new CustomEvent(SIGNED_OUT_EVENT, { detail: error.message }));
    // Rejections are re-thrown as CommandError so callers can rely on the shape.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw error;
  }
}

export function listUsers(query: UserQuery): Promise<UserPage> {
  return call<UserPage>("list_users", { query });
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

/** With `invite`, the new user gets the invitation message with a one-time code. */
export function createUser(input: NewUser, invite: boolean): Promise<User> {
  return call<User>("create_user", { input, invite });
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

export function sessionState(): Promise<SessionState> {
  return call<SessionState>("session_state");
}

/** Rejects with `second_factor_required` when the password was right and a code is needed. */
export function signIn(request: SignInRequest): Promise<Session> {
  return call<Session>("sign_in", { request });
}

export function signOut(): Promise<void> {
  return call<undefined>("sign_out");
}

export function createFirstOwner(input: FirstOwner): Promise<Session> {
  return call<Session>("create_first_owner", { input });
}

export function redeemCode(request: RedeemCode): Promise<void> {
  return call<undefined>("redeem_code", { request });
}

export function changeOwnPassword(current: string | null, next: string): Promise<Session> {
  return call<Session>("change_own_password", { current, new: next });
}

export function ownEnrollment(): Promise<Enrollment> {
  return call<Enrollment>("own_enrollment");
}

export function activateOwnTwoFactor(code: string): Promise<Session> {
  return call<Session>("activate_own_two_factor", { code });
}

export function ownTokens(): Promise<TokenView[]> {
  return call<TokenView[]>("own_tokens");
}

export function setPassword(id: UserId, choice: SetPassword): Promise<PasswordSet> {
  return call<PasswordSet>("set_password", { id, choice });
}

/** Returns how many users got a new secret to activate. */
export function resetTwoFactor(ids: UserId[]): Promise<number> {
  return call<number>("reset_two_factor", { ids });
}

export function enrollment(id: UserId): Promise<Enrollment> {
  return call<Enrollment>("enrollment", { id });
}

export function startRecovery(ids: UserId[]): Promise<User[]> {
  return call<User[]>("start_recovery", { ids });
}

export function inviteUser(id: UserId): Promise<User> {
  return call<User>("invite_user", { id });
}

export function userSignIns(id: UserId): Promise<SignInEntry[]> {
  return call<SignInEntry[]>("user_sign_ins", { id });
}

export function listTokens(query: TokenQuery): Promise<TokenView[]> {
  return call<TokenView[]>("list_tokens", { query });
}

export function issueToken(id: UserId, days: number | null): Promise<IssuedToken> {
  return call<IssuedToken>("issue_token", { id, days });
}

export function revokeToken(id: number): Promise<TokenView> {
  return call<TokenView>("revoke_token", { id });
}

export function listRoles(): Promise<Role[]> {
  return call<Role[]>("list_roles");
}

export function saveRole(input: RoleInput): Promise<Role> {
  return call<Role>("save_role", { input });
}

export function deleteRole(name: string): Promise<void> {
  return call<undefined>("delete_role", { name });
}

export function getSettings(): Promise<Settings> {
  return call<Settings>("get_settings");
}

/** `smtpPassword` goes to the OS keyring; null keeps the stored one. */
export function saveSettings(settings: Settings, smtpPassword: string | null): Promise<Settings> {
  return call<Settings>("save_settings", { settings, smtpPassword });
}

export function sendTestMail(to: string): Promise<void> {
  return call<undefined>("send_test_mail", { to });
}

export function outbox(): Promise<MailMessage[]> {
  return call<MailMessage[]>("outbox");
}

/** Saves the message as an .eml file in Downloads; returns the path. */
export function exportMail(id: number): Promise<string> {
  return call<string>("export_mail", { id });
}
