import type { FieldError } from "../bindings/FieldError";

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: "text" | "password" | "email" | undefined;
  autoComplete?: string | undefined;
  errors?: FieldError[] | undefined;
  /** The backend's field name, when it differs from `id`. */
  field?: string | undefined;
  hint?: string | undefined;
  autoFocus?: boolean | undefined;
  inputMode?: "numeric" | "text" | undefined;
}

/** A labelled input showing the message the Rust validator gave for its field. */
export function Field({ id, label, value, onChange, type = "text", autoComplete, errors = [], field, hint, autoFocus, inputMode }: FieldProps) {
  const error = errors.find((e) => e.field === (field ?? id));
  return (
    <div className="form-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={id}
        type={type}
        value={value}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        inputMode={inputMode}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert" data-testid={`field-error-${id}`}>
          {error.message}
        </p>
      ) : hint ? (
        <p className="form-note">{hint}</p>
      ) : null}
    </div>
  );
}
