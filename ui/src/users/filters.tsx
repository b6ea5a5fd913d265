import { useState } from "react";
import { facets as loadFacets } from "../api";
import type { Attribute } from "../bindings/Attribute";
import type { DeviceCount } from "../bindings/DeviceCount";
import type { Facets } from "../bindings/Facets";
import type { Group } from "../bindings/Group";
import type { Status } from "../bindings/Status";
import type { TwoFactorState } from "../bindings/TwoFactorState";
import { STATUS_LABELS, TWO_FACTOR_LABELS } from "./format";
import type { Filters } from "./pageLoader";
import { useLoad } from "../components/useLoad";
import { Chips } from "../components/Chips";
import { FIELD_LABELS } from "../fieldLabels";
import { t } from "../i18n";

const STATUSES = Object.keys(STATUS_LABELS) as Status[];
const TWO_FACTOR = Object.keys(TWO_FACTOR_LABELS) as TwoFactorState[];
/** The team filter's value for users with no team, as roster-core reads it. */
const UNASSIGNED = "Unassigned";
const DEVICE_COUNT_LABELS: Record<DeviceCount, string> = { none: t("common-none"), one: t("users-devices-one"), several: t("users-devices-several") };
/** The yes/no attributes' values, as stored. */
const YES_NO_LABELS: Record<string, string> = { yes: t("users-filter-yes"), no: t("users-filter-no") };
const DEVICE_COUNTS = Object.keys(DEVICE_COUNT_LABELS) as DeviceCount[];
/** "Ending soon": end dates from today through this many days. */
const ENDING_DAYS = 30;

/** The organizations, teams, roles and groups to filter by; reloaded after changes. */
export function useFacets(version: number): Facets | null {
  const [facets, setFacets] = useState<Facets | null>(null);
  useLoad(
    () => loadFacets(),
    [version],
    setFacets,
    // Filters then offer no choices; the list itself reports the database error.
    () => {
      setFacets(null);
    },
  );
  return facets;
}

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

interface PanelProps {
  filters: Filters;
  facets: Facets | null;
  /** The attributes admins defined: each can narrow the list to one value. */
  attributes: readonly Attribute[];
  /** The group filter is fixed (a group's members view). */
  hideGroup: boolean;
  onChange: (filters: Filters) => void;
}

/** `attributes` with `name` set to `value`, or without it when `value` is empty. */
function withAttribute(attributes: Filters["attributes"], name: string, value: string): Filters["attributes"] {
  const others = Object.entries(attributes).filter(([other]) => other !== name);
  return Object.fromEntries(value === "" ? others : [...others, [name, value]]);
}

export function FilterPanel({ filters, facets, attributes, hideGroup, onChange }: PanelProps) {
  const attributeFilter = (attribute: Attribute) => {
    const value = filters.attributes[attribute.name] ?? "";
    const set = (next: string) => {
      onChange({ ...filters, attributes: withAttribute(filters.attributes, attribute.name, next) });
    };
    const testId = `filter-attribute-${attribute.name}`;
    return (
      <label className="filter-field" key={attribute.name}>
        <span>{attribute.label}</span>
        {attribute.kind === "choice" || attribute.kind === "yes_no" ? (
          <select
            data-testid={testId}
            value={value}
            onChange={(event) => {
              set(event.target.value);
            }}
          >
            <option value="">{t("users-filter-any")}</option>
            {(attribute.kind === "yes_no" ? ["yes", "no"] : attribute.choices).map((c) => (
              <option key={c} value={c}>
                {attribute.kind === "yes_no" ? (YES_NO_LABELS[c] ?? c) : c}
              </option>
            ))}
          </select>
        ) : (
          <input
            data-testid={testId}
            type={attribute.kind === "date" ? "date" : "text"}
            placeholder={t("users-filter-any")}
            value={value}
            onChange={(event) => {
              set(event.target.value);
            }}
          />
        )}
      </label>
    );
  };
  const select = (
    key: "organization" | "team" | "role" | "department",
    label: string,
    options: readonly string[],
  ) => (
    <label className="filter-field">
      <span>{label}</span>
      <select
        data-testid={`filter-${key}`}
        value={filters[key] ?? ""}
        onChange={(event) => {
          onChange({ ...filters, [key]: event.target.value || null });
        }}
      >
        <option value="">{t("users-filter-any")}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {key === "team" ? teamLabel(o) : o}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="filter-panel" data-testid="filter-panel">
      <fieldset>
        <legend>{FIELD_LABELS.status}</legend>
        {STATUSES.map((status) => (
          <label key={status} className="check">
            <input
              type="checkbox"
              data-testid={`filter-status-${status}`}
              checked={filters.statuses.includes(status)}
              onChange={() => {
                onChange({ ...filters, statuses: toggle(filters.statuses, status) });
              }}
            />
            {STATUS_LABELS[status]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{FIELD_LABELS.two_factor}</legend>
        {TWO_FACTOR.map((state) => (
          <label key={state} className="check">
            <input
              type="checkbox"
              data-testid={`filter-two-factor-${state}`}
              checked={filters.two_factor.includes(state)}
              onChange={() => {
                onChange({ ...filters, two_factor: toggle(filters.two_factor, state) });
              }}
            />
            {TWO_FACTOR_LABELS[state]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{FIELD_LABELS.end_date}</legend>
        <label className="check">
          <input
            type="checkbox"
            data-testid="filter-ending"
            checked={filters.ending_within_days !== null}
            onChange={() => {
              onChange({ ...filters, ending_within_days: filters.ending_within_days === null ? ENDING_DAYS : null });
            }}
          />
          {t("users-filter-ending", { days: ENDING_DAYS })}
        </label>
      </fieldset>
      <fieldset className="filter-selects">
        {select("organization", FIELD_LABELS.organization, facets?.organizations ?? [])}
        {select("team", FIELD_LABELS.team, [UNASSIGNED, ...(facets?.teams ?? [])])}
        {select("role", FIELD_LABELS.role, facets?.roles ?? [])}
        {select("department", FIELD_LABELS.department, facets?.departments ?? [])}
        <label className="filter-field">
          <span>{t("users-devices-column")}</span>
          <select
            data-testid="filter-devices"
            value={filters.devices ?? ""}
            onChange={(event) => {
              onChange({ ...filters, devices: (event.target.value || null) as DeviceCount | null });
            }}
          >
            <option value="">{t("users-filter-any")}</option>
            {DEVICE_COUNTS.map((count) => (
              <option key={count} value={count}>
                {DEVICE_COUNT_LABELS[count]}
              </option>
            ))}
          </select>
        </label>
        {hideGroup ? null : (
          <label className="filter-field">
            <span>{t("users-filter-group")}</span>
            <select
              data-testid="filter-group"
              value={filters.group ?? ""}
              onChange={(event) => {
                onChange({ ...filters, group: event.target.value ? Number(event.target.value) : null });
              }}
            >
              <option value="">{t("users-filter-any")}</option>
              {(facets?.groups ?? []).map((g) => (
                <option key={g.id} value={g.id}>
                  {groupLabel(g)}
                </option>
              ))}
            </select>
          </label>
        )}
      </fieldset>
      {attributes.length > 0 ? (
        <fieldset className="filter-selects">
          <legend>{t("users-filter-attributes")}</legend>
          {attributes.map(attributeFilter)}
        </fieldset>
      ) : null}
    </div>
  );
}

/** A team as the filters name it: "Unassigned" in the reader's language. */
function teamLabel(team: string): string {
  return team === UNASSIGNED ? t("users-team-unassigned") : team;
}

function groupLabel(group: Group): string {
  return group.organization ? `${group.name} (${group.organization})` : group.name;
}

interface Chip {
  key: string;
  label: string;
  remove: (filters: Filters) => Filters;
}

function chipsOf(filters: Filters, facets: Facets | null, attributes: readonly Attribute[], hideGroup: boolean): Chip[] {
  const chips: Chip[] = [];
  for (const status of filters.statuses) {
    chips.push({
      key: `status-${status}`,
      label: t("users-chip-status", { status: STATUS_LABELS[status] }),
      remove: (f) => ({ ...f, statuses: f.statuses.filter((s) => s !== status) }),
    });
  }
  for (const state of filters.two_factor) {
    chips.push({
      key: `2fa-${state}`,
      label: t("users-chip-two-factor", { state: TWO_FACTOR_LABELS[state] }),
      remove: (f) => ({ ...f, two_factor: f.two_factor.filter((s) => s !== state) }),
    });
  }
  if (filters.organization !== null)
    chips.push({ key: "org", label: t("users-chip-organization", { organization: filters.organization }), remove: (f) => ({ ...f, organization: null }) });
  if (filters.team !== null) chips.push({ key: "team", label: t("users-chip-team", { team: teamLabel(filters.team) }), remove: (f) => ({ ...f, team: null }) });
  if (filters.devices !== null)
    chips.push({ key: "devices", label: t("users-chip-devices", { devices: DEVICE_COUNT_LABELS[filters.devices] }), remove: (f) => ({ ...f, devices: null }) });
  if (filters.role !== null) chips.push({ key: "role", label: t("users-chip-role", { role: filters.role }), remove: (f) => ({ ...f, role: null }) });
  if (filters.department !== null)
    chips.push({ key: "department", label: t("users-chip-department", { department: filters.department }), remove: (f) => ({ ...f, department: null }) });
  if (filters.ending_within_days !== null)
    chips.push({
      key: "ending",
      label: t("users-chip-ending", { days: filters.ending_within_days }),
      remove: (f) => ({ ...f, ending_within_days: null }),
    });
  for (const [name, value] of Object.entries(filters.attributes)) {
    chips.push({
      key: `attribute-${name}`,
      label: t("users-chip-attribute", { attribute: attributes.find((a) => a.name === name)?.label ?? name, value }),
      remove: (f) => ({ ...f, attributes: withAttribute(f.attributes, name, "") }),
    });
  }
  if (filters.managers.length > 0)
    chips.push({ key: "managers", label: t("users-chip-managers"), remove: (f) => ({ ...f, managers: [] }) });
  if (filters.group !== null && !hideGroup) {
    const group = facets?.groups.find((g) => g.id === filters.group);
    chips.push({
      key: "group",
      label: t("users-chip-group", { group: group ? groupLabel(group) : String(filters.group) }),
      remove: (f) => ({ ...f, group: null }),
    });
  }
  return chips;
}

interface ChipsProps {
  filters: Filters;
  facets: Facets | null;
  attributes: readonly Attribute[];
  hideGroup: boolean;
  onChange: (filters: Filters) => void;
  onClear: () => void;
}

/** The active filters, each removable, with "Clear all". */
export function FilterChips({ filters, facets, attributes, hideGroup, onChange, onClear }: ChipsProps) {
  const chips = chipsOf(filters, facets, attributes, hideGroup).map((chip) => ({
    key: chip.key,
    label: chip.label,
    onRemove: () => {
      onChange(chip.remove(filters));
    },
  }));
  return <Chips chips={chips} onClear={onClear} />;
}

export function activeFilterCount(filters: Filters, hideGroup: boolean): number {
  return chipsOf(filters, null, [], hideGroup).length;
}
