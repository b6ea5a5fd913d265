import type { Origin } from "../bindings/Origin";
import { t } from "../i18n";

/** Where a change was made, as the audit screen and a user's activity name it. */
export const ORIGINS: { value: Origin; label: string }[] = [
  { value: "desktop", label: t("audit-origin-desktop") },
  { value: "cli", label: t("audit-origin-cli") },
  { value: "import", label: t("audit-origin-import") },
];

/** An origin in words; one a newer version wrote shows as its code. */
export function originLabel(origin: string): string {
  return ORIGINS.find((o) => o.value === origin)?.label ?? origin;
}
