// The user form's logic, apart from how it is drawn: the fields as the form holds them,
// and the NewUser or UserPatch they become.
import type { NewUser } from "../bindings/NewUser";
import type { Status } from "../bindings/Status";
import type { User } from "../bindings/User";
import type { UserField } from "../bindings/UserField";
import type { UserPatch } from "../bindings/UserPatch";

/** The fields kept in `User.profile`, as Rust lists them (`UserField::profile`). */
export const PROFILE_FIELDS = [
  "job_title",
  "department",
  "employee_id",
  "work_phone",
  "mobile_phone",
  "office",
  "cost_center",
  "start_date",
  "end_date",
] as const satisfies readonly UserField[];

export type ProfileField = (typeof PROFILE_FIELDS)[number];

type ProfileFields = Record<ProfileField, string>;

const NO_PROFILE = Object.fromEntries(PROFILE_FIELDS.map((f) => [f, ""])) as ProfileFields;

/** The editable fields of a user as the form holds them (tags as "a, b", the manager by
 * email). */
export interface UserFields extends ProfileFields {
  manager: string;
  /** Admin-defined attributes by name; an empty one has no value. */
  attributes: Record<string, string>;
  first_name: string;
  last_name: string;
  email: string;
  username: string;
  phone: string;
  role: string;
  organization: string;
  team: string;
  tags: string;
}

export const EMPTY_FIELDS: UserFields = {
  first_name: "",
  last_name: "",
  email: "",
  username: "",
  phone: "",
  role: "user",
  organization: "",
  team: "",
  tags: "",
  manager: "",
  attributes: {},
  ...NO_PROFILE,
};

export function splitTags(text: string): string[] {
  return text
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/** The form's fields for a stored user. */
export function fieldsOf(user: User): UserFields {
  return {
    first_name: user.first_name,
    last_name: user.last_name,
    email: user.email,
    username: user.username,
    phone: user.phone ?? "",
    role: user.role,
    organization: user.organization ?? "",
    team: user.team ?? "",
    tags: user.tags.join(", "),
    manager: user.manager?.email ?? "",
    attributes: { ...user.attributes },
    ...NO_PROFILE,
    ...Object.fromEntries(PROFILE_FIELDS.map((f) => [f, user.profile[f] ?? ""])),
  };
}

/** The attributes whose values differ (a missing one reads as empty). */
function changedAttributes(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => (before[name] ?? "") !== (after[name] ?? ""));
}

export function sameFields(a: UserFields, b: UserFields): boolean {
  return (Object.keys(a) as (keyof UserFields)[]).every((key) =>
    key === "attributes" ? changedAttributes(a.attributes, b.attributes).length === 0 : a[key] === b[key],
  );
}

/** Only what changed; blank optional fields clear them. */
export function patchOf(user: User, fields: UserFields): UserPatch {
  const before = fieldsOf(user);
  const changed = (key: Exclude<keyof UserFields, "attributes">) => (fields[key] !== before[key] ? fields[key] : null);
  return {
    first_name: changed("first_name"),
    last_name: changed("last_name"),
    email: changed("email"),
    username: changed("username"),
    phone: changed("phone"),
    role: changed("role"),
    organization: changed("organization"),
    team: changed("team"),
    tags: fields.tags !== before.tags ? splitTags(fields.tags) : null,
    identity_provider: null,
    profile: Object.fromEntries(PROFILE_FIELDS.filter((f) => fields[f] !== before[f]).map((f) => [f, fields[f]])),
    manager: changed("manager"),
    attributes: Object.fromEntries(changedAttributes(before.attributes, fields.attributes).map((name) => [name, fields.attributes[name] ?? ""])),
  };
}

/** A new user from the create form: blank optional fields are left unset. */
export function toNewUser(fields: UserFields, status: Status): NewUser {
  const optional = (v: string) => (v.trim() ? v : null);
  return {
    email: fields.email,
    first_name: fields.first_name,
    last_name: fields.last_name,
    username: optional(fields.username),
    phone: optional(fields.phone),
    role: fields.role,
    status,
    organization: optional(fields.organization),
    team: optional(fields.team),
    tags: splitTags(fields.tags),
    identity_provider: null,
    profile: Object.fromEntries(PROFILE_FIELDS.filter((f) => fields[f].trim()).map((f) => [f, fields[f]])),
    manager: optional(fields.manager),
    attributes: Object.fromEntries(Object.entries(fields.attributes).filter(([, value]) => value.trim())),
  };
}
