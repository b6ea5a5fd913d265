// The only module that talks to the Rust backend. Everything else imports the typed
// wrappers below, generated from the Rust commands, so a renamed command or argument
// fails the type check.
import { invoke } from "@tauri-apps/api/core";
import type { CommandError } from "./bindings/CommandError";
import type { Arg } from "./bindings/Arg";
import type { FieldError } from "./bindings/FieldError";
import type { NewUser } from "./bindings/NewUser";
import type { UserPatch } from "./bindings/UserPatch";
import { hasMessage, t } from "./i18n";
import { commands } from "./bindings/commands";

export function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && typeof v.message === "string";
}

/** A command's error, or the IPC layer's own failure (`ipc`, `unknown`). */
export type AppError = Pick<CommandError, "message" | "fields"> & { code: CommandError["code"] | "ipc" | "unknown" };

/**
 * Commands reject with a CommandError, but the IPC layer itself can reject with
 * a string or an Error (e.g. when the page runs outside Tauri), so normalise
 * every rejection into one shape the UI knows how to show.
 */
export function toCommandError(reason: unknown): AppError {
  if (isCommandError(reason)) {
    const fields = Array.isArray(reason.fields) ? reason.fields.map(inReadersLanguage) : [];
    // A refusal about fields reads as its fields' messages, as core joins them.
    const message = reason.code === "validation" && fields.length > 0 ? fields.map((f) => `${f.field}: ${f.message}`).join("; ") : inReadersLanguage(reason).message;
    return { code: reason.code, message, fields };
  }
  if (reason instanceof Error) return { code: "ipc", message: reason.message, fields: [] };
  if (typeof reason === "string") return { code: "ipc", message: reason, fields: [] };
  return { code: "unknown", message: t("api-unexpected-error"), fields: [] };
}

/** A problem the window finds in a field itself (two entries that differ), shaped as core's. */
export function fieldProblem(field: string, message: string): FieldError {
  return { field, message, message_id: null, args: {} };
}

/** What core said (a field's problem, an import row's): its catalogue message in the window's
 * language, the English where the message has no catalogue id yet. */
export function inReadersLanguage<T extends { message: string; message_id: string | null; args: Record<string, Arg> | null }>(said: T): T {
  if (!said.message_id || !hasMessage(said.message_id)) return said;
  return { ...said, message: t(said.message_id, said.args ?? {}) };
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

const generated = commands(call);

/** Every problem with a new user's fields as the admin types, in the window's language. */
export const checkNewUser = (input: NewUser): Promise<FieldError[]> => generated.checkNewUser(input).then((found) => found.map(inReadersLanguage));

/** Every problem with the fields a change sets, in the window's language. */
export const checkUserPatch = (patch: UserPatch): Promise<FieldError[]> => generated.checkUserPatch(patch).then((found) => found.map(inReadersLanguage));

/** Every command, typed from its Rust signature (bindings/commands.ts is generated). */
export const {
  connections,
  testConnection,
  saveConnection,
  deleteConnection,
  openDirectory,
  databaseInfo,
  saveDiagnostics,
  updateStatus,
  setAutomaticUpdateChecks,
  checkForUpdate,
  installUpdate,
  restartRoster,
  setWindowLanguage,
  listUsers,
  listUserRows,
  countUsers,
  matchingUserIds,
  getUser,
  createUser,
  updateUser,
  changeStatus,
  editUsers,
  deleteUsers,
  userActivity,
  userGroups,
  listGroups,
  createGroup,
  updateGroup,
  deleteGroup,
  addGroupMembers,
  removeGroupMembers,
  listOrganizations,
  createOrganization,
  renameOrganization,
  deleteOrganization,
  listAttributes,
  defineAttribute,
  editAttribute,
  attributeValues,
  removeAttribute,
  listDevices,
  getDevice,
  addDevice,
  editDevice,
  reassignDevices,
  retireDevices,
  deleteDevices,
  accountScope,
  setAccountScope,
  overview,
  facets,
  sessionState,
  signIn,
  signOut,
  recordActivity,
  createFirstOwner,
  redeemCode,
  changeOwnPassword,
  ownEnrollment,
  activateOwnTwoFactor,
  ownTokens,
  setPassword,
  resetTwoFactor,
  enrollment,
  startRecovery,
  inviteUser,
  userSignIns,
  listTokens,
  issueToken,
  revokeToken,
  listRoles,
  saveRole,
  deleteRole,
  getSettings,
  saveSettings,
  sendTestMail,
  backups,
  backUpNow,
  saveEncryptedBackup,
  inspectBackup,
  restoreBackup,
  outbox,
  revealMail,
  exportMail,
  chooseImportFile,
  previewImport,
  runImport,
  cancelImport,
  saveImportProblems,
  exportUsersToFile,
  chooseMembershipsFile,
  importMemberships,
  exportMembershipsToFile,
  exportDevicesToFile,
  chooseDevicesFile,
  importDevices,
  auditEntries,
  exportAuditToFile,
  verifyAudit,
  applyAuditRetention,
} = generated;
