import type { ReactNode } from "react";
import type { Attribute } from "../bindings/Attribute";
import type { SortField } from "../bindings/SortField";
import type { User } from "../bindings/User";
import { FIELD_LABELS } from "../fieldLabels";
import type { ProfileField } from "../user-details/userFields";
import { STATUS_HINTS, STATUS_LABELS, TWO_FACTOR_LABELS, formatCount, formatDate, formatDateTime } from "./format";
import { t } from "../i18n";

/** Columns the list shows but cannot sort by (they have no sort index). */
const UNSORTED = ["tags", "manager", "employee_id", "office", "cost_center", "work_phone", "mobile_phone", "start_date"] as const;

/** An admin-defined attribute's column: `attr:` and its name. */
export type AttributeColumnId = `attr:${string}`;

/** A built-in column's id: a user field's name. */
export type BuiltInColumnId = SortField | (typeof UNSORTED)[number];

export type ColumnId = BuiltInColumnId | AttributeColumnId;

const ATTRIBUTE_PREFIX = "attr:";

/** The attribute a column shows, by name; `null` for the built-in columns. */
export function attributeOf(id: ColumnId): string | null {
  return id.startsWith(ATTRIBUTE_PREFIX) ? id.slice(ATTRIBUTE_PREFIX.length) : null;
}

/** An attribute's column: hidden until chosen, sorted by the backend (`sort_attribute`). */
export function attributeColumn(attribute: Attribute): Column {
  const value = (u: User) => u.attributes[attribute.name] ?? null;
  return {
    id: `attr:${attribute.name}`,
    label: attribute.label,
    width: attribute.kind === "date" ? "112px" : "minmax(100px, 0.9fr)",
    render: (u) => value(u) ?? <span className="muted">—</span>,
    title: (u) => value(u) ?? "",
    hiddenByDefault: true,
  };
}

/** The built-in columns and one per attribute. */
export function allColumns(attributes: readonly Attribute[]): Column[] {
  return [...COLUMNS, ...attributes.map(attributeColumn)];
}

export interface Column<Id extends ColumnId = ColumnId> {
  /** Also the `data-col` attribute and, except for the unsorted ones, the backend sort field. */
  id: Id;
  label: string;
  /** The grid track of the column. */
  width: string;
  render: (user: User) => ReactNode;
  /** Text shown on hover when the cell may be truncated. */
  title?: (user: User) => string;
  hiddenByDefault?: boolean;
}

function optional(value: string | null, placeholder: string): ReactNode {
  return value ?? <span className="muted">{placeholder}</span>;
}

/** A profile field's value, or a muted dash. */
function profile(user: User, field: ProfileField): ReactNode {
  return user.profile[field] ?? <span className="muted">—</span>;
}

const profileColumn = (id: ProfileField, width: string): Column<BuiltInColumnId> => ({
  id,
  label: FIELD_LABELS[id],
  width,
  render: (u) => profile(u, id),
  title: (u) => u.profile[id] ?? "",
  hiddenByDefault: true,
});

/** A date in a cell, in the reader's calendar. */
const day = (at: string) => <time dateTime={at}>{formatDate(at)}</time>;

const date = (at: string | null) => (at ? day(at) : <span className="muted">{t("users-never")}</span>);

export const COLUMNS: readonly Column<BuiltInColumnId>[] = [
  { id: "first_name", label: FIELD_LABELS.first_name, width: "minmax(100px, 1fr)", render: (u) => u.first_name, title: (u) => u.first_name },
  { id: "last_name", label: FIELD_LABELS.last_name, width: "minmax(110px, 1fr)", render: (u) => u.last_name, title: (u) => u.last_name },
  { id: "username", label: FIELD_LABELS.username, width: "minmax(110px, 1fr)", render: (u) => u.username, title: (u) => u.username },
  { id: "email", label: FIELD_LABELS.email, width: "minmax(180px, 1.6fr)", render: (u) => u.email, title: (u) => u.email },
  { id: "phone", label: FIELD_LABELS.phone, width: "minmax(110px, 0.9fr)", render: (u) => optional(u.phone, "—"), title: (u) => u.phone ?? "" },
  {
    id: "status",
    label: FIELD_LABELS.status,
    width: "168px",
    render: (u) => (
      <span className={`badge badge--${u.status}`} title={STATUS_HINTS[u.status]}>
        {STATUS_LABELS[u.status]}
      </span>
    ),
  },
  {
    id: "two_factor",
    label: FIELD_LABELS.two_factor,
    width: "116px",
    render: (u) => <span className={`tfa tfa--${u.two_factor}`}>{TWO_FACTOR_LABELS[u.two_factor]}</span>,
  },
  { id: "role", label: FIELD_LABELS.role, width: "minmax(90px, 0.8fr)", render: (u) => u.role, title: (u) => u.role },
  { id: "organization", label: FIELD_LABELS.organization, width: "minmax(110px, 1fr)", render: (u) => optional(u.organization, t("common-none")), title: (u) => u.organization ?? "" },
  { id: "team", label: FIELD_LABELS.team, width: "minmax(100px, 0.9fr)", render: (u) => optional(u.team, t("users-team-unassigned")), title: (u) => u.team ?? "" },
  { id: "tags", label: FIELD_LABELS.tags, width: "minmax(100px, 1fr)", render: (u) => u.tags.join(", "), title: (u) => u.tags.join(", "), hiddenByDefault: true },
  profileColumn("job_title", "minmax(110px, 1fr)"),
  profileColumn("department", "minmax(110px, 1fr)"),
  {
    id: "manager",
    label: FIELD_LABELS.manager,
    width: "minmax(120px, 1fr)",
    render: (u) => u.manager?.name ?? <span className="muted">—</span>,
    title: (u) => (u.manager ? `${u.manager.name} <${u.manager.email}>` : ""),
    hiddenByDefault: true,
  },
  profileColumn("employee_id", "minmax(100px, 0.8fr)"),
  profileColumn("office", "minmax(100px, 0.9fr)"),
  profileColumn("cost_center", "minmax(100px, 0.8fr)"),
  profileColumn("work_phone", "minmax(110px, 0.9fr)"),
  profileColumn("mobile_phone", "minmax(110px, 0.9fr)"),
  profileColumn("start_date", "112px"),
  profileColumn("end_date", "112px"),
  { id: "group_count", label: FIELD_LABELS.group_count, width: "80px", render: (u) => formatCount(u.group_count), hiddenByDefault: true },
  { id: "device_count", label: t("users-devices-column"), width: "104px", render: (u) => formatCount(u.device_count), title: (u) => t("users-devices-active", { count: u.device_count }) },
  { id: "created_at", label: FIELD_LABELS.created_at, width: "112px", render: (u) => day(u.created_at), title: (u) => formatDateTime(u.created_at) },
  { id: "modified_at", label: FIELD_LABELS.modified_at, width: "112px", render: (u) => day(u.modified_at), title: (u) => formatDateTime(u.modified_at), hiddenByDefault: true },
  { id: "last_sign_in_at", label: FIELD_LABELS.last_sign_in_at, width: "112px", render: (u) => date(u.last_sign_in_at), hiddenByDefault: true },
  { id: "id", label: FIELD_LABELS.id, width: "90px", render: (u) => u.id, hiddenByDefault: true },
];

/** The columns shown and their order: what the admin chose on this workstation. */
export interface ColumnChoice {
  order: ColumnId[];
  hidden: ColumnId[];
}

const STORAGE_KEY = "roster.users.columns.v1";

export const DEFAULT_CHOICE: ColumnChoice = {
  order: COLUMNS.map((c) => c.id),
  hidden: COLUMNS.filter((c) => c.hiddenByDefault).map((c) => c.id),
};

/** A built-in column's id, or an attribute's (whose definitions load later). */
function isColumnId(value: unknown): value is ColumnId {
  return COLUMNS.some((c) => c.id === value) || (typeof value === "string" && value.startsWith(ATTRIBUTE_PREFIX));
}

/**
 * The choice with every one of `columns` in it and no other: those added since it was
 * made (a new attribute's) at the end, hidden where they are hidden by default; a removed
 * attribute's left out.
 */
export function completeChoice(choice: ColumnChoice, columns: readonly Column[]): ColumnChoice {
  const known = (id: ColumnId) => columns.some((c) => c.id === id);
  const missing = columns.filter((c) => !choice.order.includes(c.id));
  if (missing.length === 0 && choice.order.every(known)) return choice;
  return {
    order: [...choice.order.filter(known), ...missing.map((c) => c.id)],
    hidden: [...choice.hidden.filter(known), ...missing.filter((c) => c.hiddenByDefault).map((c) => c.id)],
  };
}

/** The saved choice, repaired: unknown ids dropped, columns added since then appended. */
export function loadChoice(): ColumnChoice {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
    if (typeof raw !== "object" || raw === null) return DEFAULT_CHOICE;
    const saved = raw as { order?: unknown; hidden?: unknown };
    const order = Array.isArray(saved.order) ? saved.order.filter(isColumnId) : [];
    const hidden = Array.isArray(saved.hidden) ? saved.hidden.filter(isColumnId) : [];
    const missing = DEFAULT_CHOICE.order.filter((id) => !order.includes(id));
    return { order: [...order, ...missing], hidden };
  } catch {
    return DEFAULT_CHOICE;
  }
}

export function saveChoice(choice: ColumnChoice): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(choice));
}

/** The chosen columns in order; those of attributes no longer defined are left out. */
export function visibleColumns(choice: ColumnChoice, columns: readonly Column[] = COLUMNS): Column[] {
  return choice.order
    .filter((id) => !choice.hidden.includes(id))
    .map((id) => columns.find((c) => c.id === id))
    .filter((c): c is Column => c !== undefined);
}

/** Moves `id` to `to` (an index in the order). */
export function moveColumn(choice: ColumnChoice, id: ColumnId, to: number): ColumnChoice {
  const order = choice.order.filter((c) => c !== id);
  order.splice(Math.max(0, Math.min(order.length, to)), 0, id);
  return { ...choice, order };
}

export function isSortable(id: ColumnId): boolean {
  return !(UNSORTED as readonly string[]).includes(id);
}
