import type { Attribute } from "../bindings/Attribute";
import { t } from "../i18n";

interface Props {
  id: string;
  attribute: Attribute;
  value: string;
  invalid: boolean;
  describedBy: string | undefined;
  /** What the empty choice of a list reads (a bulk edit's "Unchanged"). */
  emptyLabel?: string;
  onChange: (value: string) => void;
}

/** The input an attribute's kind asks for: a date picker, a list of choices, yes or no. */
export function AttributeInput({ id, attribute, value, invalid, describedBy, emptyLabel, onChange }: Props) {
  const common = {
    id,
    name: attribute.name,
    "aria-invalid": invalid,
    "aria-describedby": describedBy,
    "data-testid": `attribute-${attribute.name}`,
  };
  if (attribute.kind === "yes_no" || attribute.kind === "choice") {
    const choices = attribute.kind === "yes_no" ? ["yes", "no"] : attribute.choices;
    return (
      <select
        {...common}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      >
        <option value="">{emptyLabel ?? (attribute.required ? t("attributes-choose") : "—")}</option>
        {choices.map((c) => (
          <option key={c} value={c}>
            {attribute.kind === "yes_no" ? (c === "yes" ? t("common-yes") : t("common-no")) : c}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      {...common}
      type={attribute.kind === "date" ? "date" : "text"}
      inputMode={attribute.kind === "number" ? "decimal" : undefined}
      autoComplete="off"
      spellCheck={false}
      value={value}
      onChange={(event) => {
        onChange(event.target.value);
      }}
    />
  );
}
