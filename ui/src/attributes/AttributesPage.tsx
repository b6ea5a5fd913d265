import { useState } from "react";
import { attributeValues, defineAttribute, editAttribute, listAttributes, listOrganizations, removeAttribute, toCommandError, type AppError } from "../api";
import type { Attribute } from "../bindings/Attribute";
import type { AttributeKind } from "../bindings/AttributeKind";
import type { NewAttribute } from "../bindings/NewAttribute";
import { Button } from "../components/Button";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { ErrorBanner, formMessage } from "../components/ErrorBanner";
import { useLoad } from "../components/useLoad";
import { Field } from "../session/Field";
import { formatCount, formatDate } from "../users/format";
import { KIND_LABELS } from "./useAttributes";
import "../groups/groups.css";
import { DataTable } from "../components/DataTable";
import "../admin/admin.css";

const EMPTY: NewAttribute = { name: "", label: "", kind: "text", choices: [], required: false, unique: false, organization: null };

/** The rules an attribute may follow, as the dialog offers them. */
const RULES = [
  ["required", "Required for new users"],
  ["unique", "No two users share a value"],
] as const satisfies readonly (readonly [keyof NewAttribute, string])[];

/** The attribute about to be removed and how many users hold a value of it. */
interface Removal {
  attribute: Attribute;
  values: number;
}

function rules(a: Attribute): string {
  const parts: string[] = [];
  if (a.required) parts.push("required");
  if (a.unique) parts.push("unique");
  if (a.choices.length > 0) parts.push(`one of ${a.choices.join(", ")}`);
  return parts.join("; ");
}

/**
 * Settings → Attributes: what admins keep of users beyond the built-in fields (a badge
 * number, a shirt size), each a column, a filter and a form field like the built-in ones.
 */
export function AttributesPage({ onChanged }: { onChanged: () => void }) {
  const [attributes, setAttributes] = useState<Attribute[] | null>(null);
  const [organizations, setOrganizations] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState<NewAttribute | null>(null);
  /** The attribute the dialog changes; null while it defines a new one. */
  const [editing, setEditing] = useState<Attribute | null>(null);
  /** The choices as typed, one per line or separated by commas. */
  const [choices, setChoices] = useState("");
  const [draftError, setDraftError] = useState<AppError | null>(null);
  const [removal, setRemoval] = useState<Removal | null>(null);
  const [version, setVersion] = useState(0);

  useLoad(
    () => Promise.all([listAttributes(), listOrganizations()]),
    [version],
    ([list, orgs]) => {
      setAttributes(list);
      setOrganizations(orgs.map((o) => o.name));
      setError(null);
    },
    (e) => {
      setError(e.message);
    },
  );

  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };

  const open = (attribute: Attribute | null) => {
    setEditing(attribute);
    setDraft(
      attribute
        ? {
            name: attribute.name,
            label: attribute.label,
            kind: attribute.kind,
            choices: attribute.choices,
            required: attribute.required,
            unique: attribute.unique,
            organization: attribute.organization,
          }
        : EMPTY,
    );
    setChoices(attribute ? attribute.choices.join("\n") : "");
    setDraftError(null);
  };

  const save = () => {
    if (!draft) return;
    const lines = choices.split(/[\n,]/).map((c) => c.trim()).filter((c) => c !== "");
    const chosen = draft.kind === "choice" ? lines : [];
    const work = editing
      ? editAttribute(editing.name, { label: draft.label, choices: chosen, required: draft.required, unique: draft.unique })
      : defineAttribute({ ...draft, choices: chosen });
    work.then(
      () => {
        setDraft(null);
        changed();
      },
      (reason: unknown) => {
        setDraftError(toCommandError(reason));
      },
    );
  };

  const startRemoval = (attribute: Attribute) => {
    attributeValues(attribute.name).then(
      (values) => {
        setRemoval({ attribute, values });
      },
      (reason: unknown) => {
        setError(toCommandError(reason).message);
      },
    );
  };

  const confirmRemoval = () => {
    if (!removal) return;
    removeAttribute(removal.attribute.name, removal.values).then(
      () => {
        setRemoval(null);
        changed();
      },
      (reason: unknown) => {
        setRemoval(null);
        setError(toCommandError(reason).message);
      },
    );
  };

  return (
    <section className="page" data-testid="attributes-page" aria-labelledby="attributes-title">
      <header className="page-header page-title-row">
        <h1 id="attributes-title">Attributes</h1>
        <span className="page-actions">
          <Button
            look="primary"
            testId="new-attribute"
            onClick={() => {
              open(null);
            }}
          >
            New attribute
          </Button>
        </span>
      </header>
      <ErrorBanner message={error} />
      <DataTable
        rows={attributes}
        rowKey={(a) => a.id}
        rowTestId="attribute-row"
        rowData={(a) => ({ "data-attribute-name": a.name })}
        empty={{
          title: "No attributes yet",
          hint: "Attributes keep what your directory needs beyond the built-in fields: a badge number, a shirt size, whether someone has a parking space. Each becomes a column, a filter, a field on every user and a column in CSV files.",
        }}
        columns={[
          { header: "Label", cell: (a) => <strong>{a.label}</strong> },
          { header: "Name in files", cell: (a) => <code>{a.name}</code> },
          { header: "Kind", cell: (a) => KIND_LABELS[a.kind] },
          { header: "Rules", cell: rules },
          { header: "Users of", cell: (a) => a.organization ?? "Every organization" },
          { header: "Created", cell: (a) => `${formatDate(a.created_at)} by ${a.created_by}` },
          {
            header: "Actions",
            hideHeader: true,
            align: "actions",
            cell: (a) => (
              <>
                <Button
                  testId="edit-attribute"
                  aria-label={`Change ${a.label}`}
                  onClick={() => {
                    open(a);
                  }}
                >
                  Change
                </Button>
                <Button
                  look="danger"
                  testId="remove-attribute"
                  aria-label={`Remove ${a.label}`}
                  onClick={() => {
                    startRemoval(a);
                  }}
                >
                  Remove
                </Button>
              </>
            ),
          },
        ]}
      />
      <Dialog
        open={draft !== null}
        title={editing ? `Change ${editing.label}` : "New attribute"}
        testId="attribute-dialog"
        onClose={() => {
          setDraft(null);
        }}
        footer={
          <>
            <Button
              onClick={() => {
                setDraft(null);
              }}
            >
              Cancel
            </Button>
            <Button look="primary" testId="save-attribute" onClick={save}>
              {editing ? "Save" : "Create"}
            </Button>
          </>
        }
      >
        {draft ? (
          <form
            className="group-form"
            onSubmit={(event) => {
              event.preventDefault();
              save();
            }}
          >
            <ErrorBanner message={formMessage(draftError)} />
            <Field
              id="label"
              label="Label"
              value={draft.label}
              errors={draftError?.fields}
              onChange={(label) => {
                setDraft({ ...draft, label });
              }}
            />
            {editing ? (
              <p className="state-hint" data-testid="attribute-fixed">
                Kept as <code>{editing.name}</code> in files and filters, {KIND_LABELS[editing.kind].toLowerCase()}, for{" "}
                {editing.organization ?? "every organization"}: these stay, so files, filters and the values users hold keep meaning the same.
              </p>
            ) : (
              <Field
                id="name"
                label="Name in files and filters"
                value={draft.name}
                errors={draftError?.fields}
                hint="Leave empty to take it from the label (Badge number → badge_number)."
                onChange={(name) => {
                  setDraft({ ...draft, name });
                }}
              />
            )}
            {editing ? null : (
              <label>
                Kind
                <select
                  className="text-input"
                  data-testid="attribute-kind"
                  value={draft.kind ?? "text"}
                  onChange={(event) => {
                    setDraft({ ...draft, kind: event.target.value as AttributeKind });
                  }}
                >
                  {(Object.keys(KIND_LABELS) as AttributeKind[]).map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {draft.kind === "choice" ? (
              <label>
                Choices, one per line or separated by commas
                <textarea
                  className="text-input"
                  data-testid="attribute-choices"
                  rows={4}
                  value={choices}
                  aria-invalid={draftError?.fields.some((f) => f.field === "choices")}
                  onChange={(event) => {
                    setChoices(event.target.value);
                  }}
                />
              </label>
            ) : null}
            {draftError?.fields
              .filter((f) => f.field === "choices" || f.field === "unique")
              .map((f) => (
                <p key={f.field} className="field-error" role="alert" data-testid={`field-error-${f.field}`}>
                  {f.message}
                </p>
              ))}
            {editing ? null : (
              <label>
                Users of
                <select
                  className="text-input"
                  data-testid="attribute-organization"
                  value={draft.organization ?? ""}
                  onChange={(event) => {
                    setDraft({ ...draft, organization: event.target.value === "" ? null : event.target.value });
                  }}
                >
                  <option value="">Every organization</option>
                  {organizations.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {RULES.map(([rule, label]) => (
              <label className="check" key={rule}>
                <input
                  type="checkbox"
                  data-testid={`attribute-${rule}`}
                  checked={draft[rule]}
                  onChange={(event) => {
                    setDraft({ ...draft, [rule]: event.target.checked });
                  }}
                />
                {label}
              </label>
            ))}
            <button type="submit" hidden />
          </form>
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={removal !== null}
        title="Remove attribute"
        confirmLabel={removal && removal.values > 0 ? `Remove with ${formatCount(removal.values)} values` : "Remove"}
        destructive
        message={
          removal === null
            ? null
            : removal.values > 0
              ? `${removal.attribute.label} holds values for ${formatCount(removal.values)} ${removal.values === 1 ? "user" : "users"}. Removing it deletes them.`
              : `Remove ${removal.attribute.label}? No user holds a value of it.`
        }
        onCancel={() => {
          setRemoval(null);
        }}
        onConfirm={confirmRemoval}
      />
    </section>
  );
}
