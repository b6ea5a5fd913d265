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
import { formatDate, t } from "../i18n";
import { tElements } from "../i18n/elements";
import { KIND_LABELS } from "./useAttributes";
import "../groups/groups.css";
import { DataTable } from "../components/DataTable";
import "../admin/admin.css";

const EMPTY: NewAttribute = { name: "", label: "", kind: "text", choices: [], required: false, unique: false, organization: null };

/** The rules an attribute may follow, as the dialog offers them. */
const RULES = [
  ["required", t("attributes-rule-required-label")],
  ["unique", t("attributes-rule-unique-label")],
] as const satisfies readonly (readonly [keyof NewAttribute, string])[];

/** The attribute about to be removed and how many users hold a value of it. */
interface Removal {
  attribute: Attribute;
  values: number;
}

function rules(a: Attribute): string {
  const parts: string[] = [];
  if (a.required) parts.push(t("attributes-rule-required"));
  if (a.unique) parts.push(t("attributes-rule-unique"));
  if (a.choices.length > 0) parts.push(t("attributes-rule-one-of", { choices: a.choices.join(", ") }));
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
        <h1 id="attributes-title">{t("attributes-title")}</h1>
        <span className="page-actions">
          <Button
            look="primary"
            testId="new-attribute"
            onClick={() => {
              open(null);
            }}
          >
            {t("attributes-new")}
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
          title: t("attributes-empty-title"),
          hint: t("attributes-empty-hint"),
        }}
        columns={[
          { header: t("attributes-label"), cell: (a) => <strong>{a.label}</strong> },
          { header: t("attributes-column-name"), cell: (a) => <code>{a.name}</code> },
          { header: t("attributes-kind"), cell: (a) => KIND_LABELS[a.kind] },
          { header: t("attributes-column-rules"), cell: rules },
          { header: t("attributes-users-of"), cell: (a) => a.organization ?? t("attributes-every-organization") },
          {
            header: t("attributes-column-created"),
            cell: (a) =>
              tElements("attributes-created", { date: <time dateTime={a.created_at}>{formatDate(a.created_at)}</time> }, { actor: a.created_by }),
          },
          {
            header: t("attributes-column-actions"),
            hideHeader: true,
            align: "actions",
            cell: (a) => (
              <>
                <Button
                  testId="edit-attribute"
                  aria-label={t("attributes-change-named", { label: a.label })}
                  onClick={() => {
                    open(a);
                  }}
                >
                  {t("attributes-change")}
                </Button>
                <Button
                  look="danger"
                  testId="remove-attribute"
                  aria-label={t("attributes-remove-named", { label: a.label })}
                  onClick={() => {
                    startRemoval(a);
                  }}
                >
                  {t("common-remove")}
                </Button>
              </>
            ),
          },
        ]}
      />
      <Dialog
        open={draft !== null}
        title={editing ? t("attributes-change-named", { label: editing.label }) : t("attributes-new")}
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
              {t("common-cancel")}
            </Button>
            <Button look="primary" testId="save-attribute" onClick={save}>
              {editing ? t("common-save") : t("attributes-create")}
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
              label={t("attributes-label")}
              value={draft.label}
              errors={draftError?.fields}
              onChange={(label) => {
                setDraft({ ...draft, label });
              }}
            />
            {editing ? (
              <p className="state-hint" data-testid="attribute-fixed">
                {tElements(
                  "attributes-fixed",
                  { name: <code>{editing.name}</code> },
                  { kind: editing.kind, organization: editing.organization ?? t("attributes-every-organization-in-sentence") },
                )}
              </p>
            ) : (
              <Field
                id="name"
                label={t("attributes-name")}
                value={draft.name}
                errors={draftError?.fields}
                hint={t("attributes-name-hint")}
                onChange={(name) => {
                  setDraft({ ...draft, name });
                }}
              />
            )}
            {editing ? null : (
              <label>
                {t("attributes-kind")}
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
                {t("attributes-choices")}
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
                {t("attributes-users-of")}
                <select
                  className="text-input"
                  data-testid="attribute-organization"
                  value={draft.organization ?? ""}
                  onChange={(event) => {
                    setDraft({ ...draft, organization: event.target.value === "" ? null : event.target.value });
                  }}
                >
                  <option value="">{t("attributes-every-organization")}</option>
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
        title={t("attributes-remove-title")}
        confirmLabel={removal && removal.values > 0 ? t("attributes-remove-with-values", { values: removal.values }) : t("common-remove")}
        destructive
        message={
          removal === null
            ? null
            : removal.values > 0
              ? t("attributes-remove-message", { label: removal.attribute.label, users: removal.values })
              : t("attributes-remove-message-unused", { label: removal.attribute.label })
        }
        onCancel={() => {
          setRemoval(null);
        }}
        onConfirm={confirmRemoval}
      />
    </section>
  );
}
