// How each user field reads to an admin, one label per field Rust declares (`UserField`):
// a field added there and not here fails the type check.
import type { UserField } from "./bindings/UserField";
import { t } from "./i18n";

export const FIELD_LABELS: Record<UserField, string> = {
  id: t("field-user-id"),
  email: t("field-email"),
  first_name: t("field-first-name"),
  last_name: t("field-last-name"),
  username: t("field-username"),
  phone: t("field-phone"),
  organization: t("field-organization"),
  team: t("field-team"),
  tags: t("field-tags"),
  role: t("field-role"),
  status: t("field-status"),
  job_title: t("field-job-title"),
  department: t("field-department"),
  employee_id: t("field-employee-id"),
  manager: t("field-manager"),
  work_phone: t("field-work-phone"),
  mobile_phone: t("field-mobile-phone"),
  office: t("field-office"),
  cost_center: t("field-cost-center"),
  start_date: t("field-start-date"),
  end_date: t("field-end-date"),
  two_factor: t("field-two-factor"),
  group_count: t("field-group-count"),
  device_count: t("field-device-count"),
  identity_provider: t("field-identity-provider"),
  created_at: t("field-created-at"),
  modified_at: t("field-modified-at"),
  last_sign_in_at: t("field-last-sign-in-at"),
  password_changed_at: t("field-password-changed-at"),
  created_by: t("field-created-by"),
};
