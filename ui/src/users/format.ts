import type { Status } from "../bindings/Status";
import type { TwoFactorState } from "../bindings/TwoFactorState";

export const STATUS_LABELS: Record<Status, string> = {
  staged: "Staged",
  active: "Active",
  suspended: "Suspended",
  locked: "Locked",
  auto_locked: "Auto-locked",
  awaiting_new_password: "Must change password",
  recovery: "Recovery",
};

export const STATUS_HINTS: Record<Status, string> = {
  staged: "Provisioned; has not signed in yet",
  active: "Can sign in",
  suspended: "Suspended by an administrator",
  locked: "Locked by an administrator",
  auto_locked: "Locked automatically after failed sign-ins",
  awaiting_new_password: "Must set a new password at next sign-in",
  recovery: "Recovering access to the account",
};

export const TWO_FACTOR_LABELS: Record<TwoFactorState, string> = {
  active: "Active",
  pending_activation: "Not active",
  not_configured: "Not configured",
  not_available: "Not available",
};

const numberFormat = new Intl.NumberFormat();
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "long" });
const shortDateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** RFC 3339 UTC from the backend, shown in the viewer's local calendar. */
export function formatDate(rfc3339: string): string {
  const d = new Date(rfc3339);
  return Number.isNaN(d.getTime()) ? rfc3339 : dateFormat.format(d);
}

export function formatDateTime(rfc3339: string): string {
  const d = new Date(rfc3339);
  return Number.isNaN(d.getTime()) ? rfc3339 : dateTimeFormat.format(d);
}

/** A date and time on one line, for rows of a list. */
export function formatShortDateTime(rfc3339: string): string {
  const d = new Date(rfc3339);
  return Number.isNaN(d.getTime()) ? rfc3339 : shortDateTimeFormat.format(d);
}

const BACKEND_NAMES: Record<string, string> = {
  sqlite: "SQLite",
  postgres: "PostgreSQL",
  postgresql: "PostgreSQL",
  mysql: "MySQL",
  mariadb: "MariaDB",
};

export function formatBackend(backend: string): string {
  return BACKEND_NAMES[backend.toLowerCase()] ?? backend;
}
