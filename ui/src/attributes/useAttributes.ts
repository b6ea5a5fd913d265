import { useState } from "react";
import { listAttributes } from "../api";
import type { Attribute } from "../bindings/Attribute";
import { useLoad } from "../components/useLoad";
import { t } from "../i18n";

/** The attributes admins defined that the signed-in account sees, read again when `version` changes. */
export function useAttributes(version = 0): Attribute[] {
  const [attributes, setAttributes] = useState<Attribute[]>([]);
  useLoad(() => listAttributes(), [version], setAttributes, () => {
    setAttributes([]);
  });
  return attributes;
}

/** Whether a user of `organization` may hold the attribute (names compared as Roster does). */
export function appliesTo(attribute: Attribute, organization: string): boolean {
  if (attribute.organization === null) return true;
  return attribute.organization.trim().toLowerCase() === organization.trim().toLowerCase();
}

export const KIND_LABELS: Record<Attribute["kind"], string> = {
  text: t("attributes-kind-text"),
  number: t("attributes-kind-number"),
  date: t("attributes-kind-date"),
  yes_no: t("attributes-kind-yes-no"),
  choice: t("attributes-kind-choice"),
};
