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

const STATUSES = Object.keys(STATUS_LABELS) as Status[];
const TWO_FACTOR = Object.keys(TWO_FACTOR_LABELS) as TwoFactorState[];
const UNASSIGNED = "Unassigned";
const DEVICE_COUNT_LABELS: Record<DeviceCount, string> = { none: "None", one: "One", several: "Several" };
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
            <option value="">Any</option>
            {(attribute.kind === "yes_no" ? ["yes", "no"] : attribute.choices).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        ) : (
          <input
            data-testid={testId}
            type={attribute.kind === "date" ? "date" : "text"}
            placeholder="Any"
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
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="filter-panel" data-testid="filter-panel">
      <fieldset>
        <legend>Status</legend>
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
        <legend>2FA</legend>
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
        <legend>End date</legend>
        <label className="check">
          <input
            type="checkbox"
            data-testid="filter-ending"
            checked={filters.ending_within_days !== null}
            onChange={() => {
              onChange({ ...filters, ending_within_days: filters.ending_within_days === null ? ENDING_DAYS : null });
            }}
          />
          Ending in the next {ENDING_DAYS} days
        </label>
      </fieldset>
      <fieldset className="filter-selects">
        {select("organization", "Organization", facets?.organizations ?? [])}
        {select("team", "Team", [UNASSIGNED, ...(facets?.teams ?? [])])}
        {select("role", "Role", facets?.roles ?? [])}
        {select("department", "Department", facets?.departments ?? [])}
        <label className="filter-field">
          <span># of devices</span>
          <select
            data-testid="filter-devices"
            value={filters.devices ?? ""}
            onChange={(event) => {
              onChange({ ...filters, devices: (event.target.value || null) as DeviceCount | null });
            }}
          >
            <option value="">Any</option>
            {DEVICE_COUNTS.map((count) => (
              <option key={count} value={count}>
                {DEVICE_COUNT_LABELS[count]}
              </option>
            ))}
          </select>
        </label>
        {hideGroup ? null : (
          <label className="filter-field">
            <span>Group</span>
            <select
              data-testid="filter-group"
              value={filters.group ?? ""}
              onChange={(event) => {
                onChange({ ...filters, group: event.target.value ? Number(event.target.value) : null });
              }}
            >
              <option value="">Any</option>
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
          <legend>Attributes</legend>
          {attributes.map(attributeFilter)}
        </fieldset>
      ) : null}
    </div>
  );
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
      label: `Status: ${STATUS_LABELS[status]}`,
      remove: (f) => ({ ...f, statuses: f.statuses.filter((s) => s !== status) }),
    });
  }
  for (const state of filters.two_factor) {
    chips.push({
      key: `2fa-${state}`,
      label: `2FA: ${TWO_FACTOR_LABELS[state]}`,
      remove: (f) => ({ ...f, two_factor: f.two_factor.filter((s) => s !== state) }),
    });
  }
  if (filters.organization !== null)
    chips.push({ key: "org", label: `Organization: ${filters.organization}`, remove: (f) => ({ ...f, organization: null }) });
  if (filters.team !== null) chips.push({ key: "team", label: `Team: ${filters.team}`, remove: (f) => ({ ...f, team: null }) });
  if (filters.devices !== null)
    chips.push({ key: "devices", label: `Devices: ${DEVICE_COUNT_LABELS[filters.devices]}`, remove: (f) => ({ ...f, devices: null }) });
  if (filters.role !== null) chips.push({ key: "role", label: `Role: ${filters.role}`, remove: (f) => ({ ...f, role: null }) });
  if (filters.department !== null)
    chips.push({ key: "department", label: `Department: ${filters.department}`, remove: (f) => ({ ...f, department: null }) });
  if (filters.ending_within_days !== null)
    chips.push({
      key: "ending",
      label: `Ending in ${String(filters.ending_within_days)} days`,
      remove: (f) => ({ ...f, ending_within_days: null }),
    });
  for (const [name, value] of Object.entries(filters.attributes)) {
    chips.push({
      key: `attribute-${name}`,
      label: `${attributes.find((a) => a.name === name)?.label ?? name}: ${value}`,
      remove: (f) => ({ ...f, attributes: withAttribute(f.attributes, name, "") }),
    });
  }
  if (filters.managers.length > 0)
    chips.push({ key: "managers", label: "Reports to the chosen users", remove: (f) => ({ ...f, managers: [] }) });
  if (filters.group !== null && !hideGroup) {
    const group = facets?.groups.find((g) => g.id === filters.group);
    chips.push({
      key: "group",
      label: `Group: ${group ? groupLabel(group) : String(filters.group)}`,
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
