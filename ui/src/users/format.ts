import type { Status } from "../bindings/Status";
import type { TwoFactorState } from "../bindings/TwoFactorState";
import { t } from "../i18n";

export const STATUS_LABELS: Record<Status, string> = {
  staged: t("user-status-staged"),
  active: t("user-status-active"),
  suspended: t("user-status-suspended"),
  locked: t("user-status-locked"),
  auto_locked: t("user-status-auto-locked"),
  awaiting_new_password: t("user-status-awaiting-new-password"),
  recovery: t("user-status-recovery"),
};

export const STATUS_HINTS: Record<Status, string> = {
  staged: t("user-status-staged-hint"),
  active: t("user-status-active-hint"),
  suspended: t("user-status-suspended-hint"),
  locked: t("user-status-locked-hint"),
  auto_locked: t("user-status-auto-locked-hint"),
  awaiting_new_password: t("user-status-awaiting-new-password-hint"),
  recovery: t("user-status-recovery-hint"),
};

export const TWO_FACTOR_LABELS: Record<TwoFactorState, string> = {
  active: t("two-factor-active"),
  pending_activation: t("two-factor-pending-activation"),
  not_configured: t("two-factor-not-configured"),
  not_available: t("two-factor-not-available"),
};

export { formatCount, formatDate, formatDateTime, formatShortDateTime } from "../i18n";

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
