import { useState } from "react";
import { exportUsersToFile, toCommandError, type AppError } from "../api";
import type { ExportDone } from "../bindings/ExportDone";
import type { UserQuery } from "../bindings/UserQuery";
import type { UserId } from "../bindings/UserId";
import type { UserField } from "../bindings/UserField";
import type { Attribute } from "../bindings/Attribute";
import { Button } from "../components/Button";
import { Dialog } from "../components/Dialog";
import { COLUMNS, attributeOf, type BuiltInColumnId, type ColumnId } from "../users/columns";
import { t } from "../i18n";
import "./transfer.css";
import { ErrorBanner } from "../components/ErrorBanner";

/** Every column an export can hold: the list's, and a few only a file needs. */
const EXPORT_COLUMNS: readonly { id: UserField; label: string }[] = [
  ...COLUMNS.map((c) => ({ id: c.id, label: c.label })),
  { id: "identity_provider", label: t("export-column-identity-provider") },
  { id: "password_changed_at", label: t("export-column-password-changed") },
  { id: "created_by", label: t("export-column-created-by") },
];

const HEADER_STYLES = [
  { value: "roster", label: t("export-headers-roster") },
  { value: "google", label: "Google Workspace" },
  { value: "okta", label: "Okta" },
];

/** The list's query (search, filters, sort) with its match count, `more`: at least that many. */
export interface ListToExport {
  query: UserQuery;
  total: number;
  more: boolean;
}

interface Props {
  /** `null`: closed. */
  list: ListToExport | null;
  selected: readonly UserId[];
  /** The list's visible columns, in order: the export's default. */
  visible: readonly ColumnId[];
  /** The attributes defined, each a column of the file unless unticked. */
  attributes: readonly Attribute[];
  onClose: () => void;
  onExported: (done: ExportDone) => void;
}

/** Export the list (as searched, filtered and sorted) or its selection to a CSV file. */
export function ExportDialog({ list, selected, visible, attributes, onClose, onExported }: Props) {
  return list ? <ExportForm list={list} selected={selected} visible={visible} attributes={attributes} onClose={onClose} onExported={onExported} /> : null;
}

function ExportForm({ list, selected, visible, attributes, onClose, onExported }: Props & { list: ListToExport }) {
  const [which, setWhich] = useState<"list" | "selection">(selected.length > 0 ? "selection" : "list");
  const fields: UserField[] = visible.filter((id): id is BuiltInColumnId => attributeOf(id) === null);
  const [order, setOrder] = useState<UserField[]>(() => [...fields, ...EXPORT_COLUMNS.map((c) => c.id).filter((id) => !fields.includes(id))]);
  const [chosen, setChosen] = useState<Set<UserField>>(() => new Set(fields));
  // Every attribute is written unless the admin leaves it out.
  const [leftOut, setLeftOut] = useState<ReadonlySet<string>>(new Set());
  const [headers, setHeaders] = useState("roster");
  const [bom, setBom] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const label = (id: UserField) => EXPORT_COLUMNS.find((c) => c.id === id)?.label ?? id;
  const columns = order.filter((id) => chosen.has(id));
  const move = (index: number, by: number) => {
    const next = [...order];
    const [item] = next.splice(index, 1);
    if (item === undefined || index + by < 0 || index + by > order.length - 1) return;
    next.splice(index + by, 0, item);
    setOrder(next);
    // Reordering may move the focused row's element, which loses the focus; keep it there.
    requestAnimationFrame(() => {
      document.querySelector<HTMLInputElement>(`input[data-column="${item}"]`)?.focus();
    });
  };

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const query: UserQuery = which === "selection" ? { ...list.query, ids: [...selected] } : list.query;
      const chosenAttributes = attributes.map((a) => a.name).filter((name) => !leftOut.has(name));
      const done = await exportUsersToFile({ query, columns, attributes: chosenAttributes, bom, headers });
      if (done) onExported(done);
    } catch (reason) {
      setError(toCommandError(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      title={t("export-title")}
      onClose={onClose}
      testId="export-dialog"
      wide
      footer={
        <>
          <Button onClick={onClose}>{t("common-cancel")}</Button>
          <Button look="primary" testId="run-export" disabled={busy || columns.length === 0} onClick={() => void run()}>
            {busy ? t("export-running") : t("export-run")}
          </Button>
        </>
      }
    >
      <ErrorBanner message={error?.message} testId="export-error" />
      <fieldset className="export-which">
        <legend>{t("export-which-legend")}</legend>
        <label className="check">
          <input type="radio" name="which" checked={which === "list"} onChange={() => { setWhich("list"); }} />
          {t("export-which-list", { count: list.total, more: list.more ? "yes" : "no" })}
        </label>
        <label className="check">
          <input
            type="radio"
            name="which"
            data-testid="export-selection"
            disabled={selected.length === 0}
            checked={which === "selection"}
            onChange={() => { setWhich("selection"); }}
          />
          {selected.length > 0 ? t("export-which-selection", { count: selected.length }) : t("export-which-selection-none")}
        </label>
      </fieldset>
      <div className="export-grid">
        <fieldset>
          <legend>{t("export-columns-legend")}</legend>
          <p className="muted export-hint" id="export-move-hint">
            {t("export-move-hint")}
          </p>
          <ul className="export-columns" data-testid="export-columns">
            {order.map((id, index) => (
              <li key={id}>
                <label className="check">
                  <input
                    type="checkbox"
                    data-column={id}
                    checked={chosen.has(id)}
                    aria-describedby="export-move-hint"
                    onChange={() => {
                      const next = new Set(chosen);
                      if (next.has(id)) next.delete(id);
                      else next.add(id);
                      setChosen(next);
                    }}
                    onKeyDown={(event) => {
                      if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
                      event.preventDefault();
                      move(index, event.key === "ArrowUp" ? -1 : 1);
                    }}
                  />
                  {label(id)}
                </label>
                <span className="export-move">
                  <button type="button" className="icon-button" tabIndex={-1} aria-label={t("export-move-up", { column: label(id) })} disabled={index === 0} onClick={() => { move(index, -1); }}>
                    ↑
                  </button>
                  <button type="button" className="icon-button" tabIndex={-1} aria-label={t("export-move-down", { column: label(id) })} disabled={index === order.length - 1} onClick={() => { move(index, 1); }}>
                    ↓
                  </button>
                </span>
              </li>
            ))}
          </ul>
          {attributes.length > 0 ? (
            <ul className="export-columns" data-testid="export-attributes" aria-label={t("export-attributes")}>
              {attributes.map((a) => (
                <li key={a.name}>
                  <label className="check">
                    <input
                      type="checkbox"
                      data-attribute={a.name}
                      checked={!leftOut.has(a.name)}
                      onChange={() => {
                        const next = new Set(leftOut);
                        if (next.has(a.name)) next.delete(a.name);
                        else next.add(a.name);
                        setLeftOut(next);
                      }}
                    />
                    {a.label}
                  </label>
                </li>
              ))}
            </ul>
          ) : null}
        </fieldset>
        <div className="export-format">
          <label>
            {t("export-header-names")}
            <select data-testid="export-headers" value={headers} onChange={(event) => { setHeaders(event.target.value); }}>
              {HEADER_STYLES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" data-testid="export-bom" checked={bom} onChange={() => { setBom(!bom); }} />
            {t("export-bom")}
          </label>
          <p className="muted">{t("export-formula-hint")}</p>
        </div>
      </div>
    </Dialog>
  );
}
