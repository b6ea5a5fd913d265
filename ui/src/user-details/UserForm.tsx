import type { Attribute } from "../bindings/Attribute";
import type { FieldError } from "../bindings/FieldError";
import { AttributeInput } from "../attributes/AttributeInput";
import { appliesTo } from "../attributes/useAttributes";
import { FIELD_LABELS } from "../fieldLabels";
import type { UserFields } from "./userFields";
import { t } from "../i18n";

const LABELS: Record<Exclude<keyof UserFields, "attributes">, string> = {
  ...FIELD_LABELS,
  manager: t("details-manager-email"),
};

const REQUIRED: readonly (keyof UserFields)[] = ["first_name", "last_name", "email"];

interface Props {
  idPrefix: string;
  fields: UserFields;
  errors: readonly FieldError[];
  /** Fields whose errors are shown: touched ones, or all after a save attempt. */
  shown: ReadonlySet<string>;
  roles: readonly string[];
  organizations: readonly string[];
  teams: readonly string[];
  /** The attributes admins defined; those of the user's organization are shown. */
  attributes: readonly Attribute[];
  usernamePlaceholder?: string;
  /** `touched`: a field's name, or an attribute's. */
  onChange: (fields: UserFields, touched: string) => void;
}

/** The user fields, each with its label and the message of the Rust validator under it. */
export function UserForm({ idPrefix, fields, errors, shown, roles, organizations, teams, attributes, usernamePlaceholder, onChange }: Props) {
  const errorOf = (name: string) => (shown.has(name) ? errors.find((e) => e.field === name || e.field.endsWith(`.${name}`)) : undefined);
  const own = attributes.filter((a) => appliesTo(a, fields.organization));
  const input = (name: Exclude<keyof UserFields, "attributes">, props: { type?: string; list?: string; placeholder?: string } = {}) => {
    const id = `${idPrefix}-${name}`;
    const error = errorOf(name);
    return (
      <div className="form-field">
        <label htmlFor={id}>
          {LABELS[name]}
          {REQUIRED.includes(name) ? <span className="required" aria-hidden="true"> *</span> : null}
        </label>
        {name === "role" ? (
          <select
            id={id}
            name={name}
            value={fields.role}
            onChange={(event) => {
              onChange({ ...fields, role: event.target.value }, name);
            }}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={id}
            name={name}
            type={props.type ?? "text"}
            list={props.list}
            placeholder={props.placeholder}
            autoComplete="off"
            spellCheck={false}
            required={REQUIRED.includes(name)}
            aria-invalid={error !== undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            value={fields[name]}
            onChange={(event) => {
              onChange({ ...fields, [name]: event.target.value }, name);
            }}
          />
        )}
        {error ? (
          <p className="field-error" id={`${id}-error`} role="alert" data-testid={`field-error-${name}`}>
            {error.message}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <div className="form-grid">
      {input("first_name")}
      {input("last_name")}
      {input("email", { type: "email" })}
      {input("username", usernamePlaceholder ? { placeholder: usernamePlaceholder } : {})}
      {input("phone", { type: "tel" })}
      {input("role")}
      {input("organization", { list: `${idPrefix}-organizations` })}
      {input("team", { list: `${idPrefix}-teams`, placeholder: t("details-team-placeholder") })}
      {input("tags", { placeholder: t("details-tags-placeholder") })}
      <h3 className="form-section">{t("details-section-work")}</h3>
      {input("job_title")}
      {input("department")}
      {input("employee_id")}
      {input("manager", { type: "email" })}
      {input("work_phone", { type: "tel" })}
      {input("mobile_phone", { type: "tel" })}
      {input("office")}
      {input("cost_center")}
      {input("start_date", { type: "date" })}
      {input("end_date", { type: "date" })}
      {own.length > 0 ? <h3 className="form-section">{t("details-section-attributes")}</h3> : null}
      {own.map((attribute) => {
        const id = `${idPrefix}-attribute-${attribute.name}`;
        const error = errorOf(attribute.name);
        return (
          <div className="form-field" key={attribute.name}>
            <label htmlFor={id}>
              {attribute.label}
              {attribute.required ? <span className="required" aria-hidden="true"> *</span> : null}
            </label>
            <AttributeInput
              id={id}
              attribute={attribute}
              value={fields.attributes[attribute.name] ?? ""}
              invalid={error !== undefined}
              describedBy={error ? `${id}-error` : undefined}
              onChange={(value) => {
                onChange({ ...fields, attributes: { ...fields.attributes, [attribute.name]: value } }, attribute.name);
              }}
            />
            {error ? (
              <p className="field-error" id={`${id}-error`} role="alert" data-testid={`field-error-${attribute.name}`}>
                {error.message}
              </p>
            ) : null}
          </div>
        );
      })}
      <datalist id={`${idPrefix}-organizations`}>
        {organizations.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
      <datalist id={`${idPrefix}-teams`}>
        {teams.map((team) => (
          <option key={team} value={team} />
        ))}
      </datalist>
    </div>
  );
}
