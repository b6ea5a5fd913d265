import { useState } from "react";
import { listAttributes } from "../api";
import type { Attribute } from "../bindings/Attribute";
import { useLoad } from "../components/useLoad";

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
  text: "Text",
  number: "Number",
  date: "Date",
  yes_no: "Yes / no",
  choice: "One of a list",
};
