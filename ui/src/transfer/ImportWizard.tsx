import { Channel } from "@tauri-apps/api/core";
import { useRef, useState } from "react";
import { cancelImport, chooseImportFile, defineAttribute, previewImport, runImport, saveImportProblems, toCommandError, type AppError } from "../api";
import type { ImportChoice } from "../bindings/ImportChoice";
import type { ImportColumn } from "../bindings/ImportColumn";
import type { ImportOptions } from "../bindings/ImportOptions";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ImportProgress } from "../bindings/ImportProgress";
import { Button } from "../components/Button";
import { Dialog } from "../components/Dialog";
import { users } from "../users/actions";
import { formatCount } from "../users/format";
import { ProblemsTable } from "./ProblemsTable";
import "./transfer.css";
import { ErrorBanner } from "../components/ErrorBanner";
import { FIELD_LABELS as USER_FIELD_LABELS } from "../fieldLabels";
import { useCan } from "../session/SessionContext";

const IGNORE = "";

/** How a field reads in the mapping's menu. */
const FIELD_LABELS: Record<string, string> = {
  ...USER_FIELD_LABELS,
  display_name: "Full name (split into first and last)",
  tags: "Tags (comma-separated)",
  manager: "Manager (email)",
  groups: "Groups (comma-separated)",
  password: "Password",
  block_sign_in: "Block sign-in (Yes = suspended)",
  account_enabled: "Account enabled (False = suspended)",
};

const DEFAULT_OPTIONS: ImportOptions = { dry_run: true, skip_invalid: false, activate: false, upsert: false, accept_passwords: false, source: "" };

type Step =
  | { kind: "start" }
  | { kind: "preview"; preview: ImportPreview; checking: boolean }
  | { kind: "importing"; preview: ImportPreview; progress: ImportProgress | null; perSecond: number; cancelling: boolean }
  | { kind: "done"; preview: ImportPreview };

interface Props {
  open: boolean;
  onClose: () => void;
  /** After users were written. */
  onImported: () => void;
}

function rows(n: number): string {
  return `${formatCount(n)} ${n === 1 ? "row" : "rows"}`;
}

/**
 * Import users from a spreadsheet: choose the file (the OS dialog, in Rust), check the
 * recognised format and mapping, see every problem before anything is written, then import
 * with a progress bar and a Cancel that writes nothing.
 */
export function ImportWizard({ open, onClose, onImported }: Props) {
  const canDefine = useCan()("manage_settings");
  const [step, setStep] = useState<Step>({ kind: "start" });
  const [format, setFormat] = useState<string | null>(null);
  const [mapped, setMapped] = useState<ImportColumn[]>([]);
  const [options, setOptions] = useState<ImportOptions>(DEFAULT_OPTIONS);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // Only the newest check may land: an older one finishing late would show stale counts.
  const checks = useRef(0);

  const reset = () => {
    setStep({ kind: "start" });
    setFormat(null);
    setMapped([]);
    setOptions(DEFAULT_OPTIONS);
    setError(null);
    setSaved(null);
  };

  const close = () => {
    if (step.kind === "importing") return;
    reset();
    onClose();
  };

  const choice = (next: { format?: string | null; columns?: ImportColumn[]; options?: ImportOptions } = {}): ImportChoice => ({
    format: next.format !== undefined ? next.format : format,
    columns: next.columns ?? mapped,
    options: next.options ?? options,
  });

  const choose = async () => {
    setError(null);
    try {
      const preview = await chooseImportFile();
      if (!preview) return;
      setFormat(null);
      setMapped([]);
      setOptions(DEFAULT_OPTIONS);
      setSaved(null);
      setStep({ kind: "preview", preview, checking: false });
    } catch (reason) {
      setError(toCommandError(reason));
    }
  };

  const recheck = async (next: ImportChoice, current: ImportPreview) => {
    const mine = ++checks.current;
    setStep({ kind: "preview", preview: current, checking: true });
    setError(null);
    setSaved(null);
    try {
      const preview = await previewImport(next);
      if (mine === checks.current) setStep({ kind: "preview", preview, checking: false });
    } catch (reason) {
      if (mine !== checks.current) return;
      setError(toCommandError(reason));
      setStep({ kind: "preview", preview: current, checking: false });
    }
  };

  const start = async (preview: ImportPreview) => {
    const channel = new Channel<ImportProgress>();
    const startedAt = performance.now();
    setError(null);
    setStep({ kind: "importing", preview, progress: null, perSecond: 0, cancelling: false });
    channel.onmessage = (progress) => {
      const seconds = (performance.now() - startedAt) / 1000;
      const perSecond = progress.phase === "checking" && seconds > 0 ? Math.round(progress.rows / seconds) : 0;
      setStep((current) => (current.kind === "importing" ? { ...current, progress, perSecond: perSecond || current.perSecond } : current));
    };
    try {
      const done = await runImport(choice({ options: { ...options, dry_run: false } }), channel);
      setStep({ kind: "done", preview: done });
      if (done.report.written) onImported();
    } catch (reason) {
      setError(toCommandError(reason));
      setStep({ kind: "preview", preview, checking: false });
    }
  };

  const cancel = async () => {
    setStep((current) => (current.kind === "importing" ? { ...current, cancelling: true } : current));
    try {
      await cancelImport();
    } catch (reason) {
      setError(toCommandError(reason));
    }
  };

  const saveProblems = async () => {
    try {
      const path = await saveImportProblems();
      if (path) setSaved(path);
    } catch (reason) {
      setError(toCommandError(reason));
    }
  };

  let body;
  let footer;
  if (step.kind === "start") {
    body = (
      <div className="import-start">
        <p>
          Choose a CSV file: Roster’s own export, or an export or template from Google Workspace, Microsoft Entra ID, JumpCloud or
          Okta. Excel’s “CSV UTF-8” and “Unicode text” files work too.
        </p>
        <p className="muted">Every row is checked before anything is written, and you see each problem with its line.</p>
      </div>
    );
    footer = (
      <>
        <Button onClick={close}>Cancel</Button>
        <Button look="primary" testId="choose-import-file" onClick={() => void choose()}>
          Choose file…
        </Button>
      </>
    );
  } else if (step.kind === "preview") {
    const { preview, checking } = step;
    const report = preview.report;
    const ready = report.created + report.updated;
    const blocked = report.invalid > 0 && !options.skip_invalid;
    const hasPassword = preview.columns.some((c) => c.field === "password");
    const setColumn = (header: string, field: string) => {
      const columns = [...mapped.filter((c) => c.header !== header), { header, field: field === IGNORE ? null : field }];
      setMapped(columns);
      void recheck(choice({ columns }), preview);
    };
    // A text attribute named after the column, which the column then fills.
    const createAttribute = (header: string) => {
      defineAttribute({ name: "", label: header, kind: "text", choices: [], required: false, unique: false, organization: null }).then(
        (attribute) => {
          setColumn(header, `attribute:${attribute.name}`);
        },
        (reason: unknown) => {
          setError(toCommandError(reason));
        },
      );
    };
    const setOption = (patch: Partial<ImportOptions>) => {
      const next = { ...options, ...patch };
      setOptions(next);
      void recheck(choice({ options: next }), preview);
    };
    body = (
      <div className="import-preview">
        <div className="import-file">
          <span>
            File: <strong data-testid="import-file-name">{preview.file}</strong>
          </span>
          <label>
            Format
            <select
              data-testid="import-format"
              value={preview.format}
              onChange={(event) => {
                setFormat(event.target.value);
                setMapped([]);
                void recheck(choice({ format: event.target.value, columns: [] }), preview);
              }}
            >
              {preview.formats.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
          <Button look="link" onClick={() => void choose()}>
            Choose another file…
          </Button>
        </div>

        <p className="import-summary" data-testid="import-summary" aria-live="polite">
          {checking ? (
            "Checking…"
          ) : (
            <>
              {rows(report.rows)}: <strong>{formatCount(report.created)} new</strong>
              {options.upsert ? `, ${formatCount(report.updated)} to update, ${formatCount(report.unchanged)} unchanged` : ""}
              {report.invalid > 0 ? (
                <>
                  , <strong className="import-bad">{formatCount(report.invalid)} with problems</strong>
                </>
              ) : null}
              .
            </>
          )}
        </p>
        {preview.problem_count > 0 ? (
          <div className="import-problems">
            <div className="import-problems-head">
              <h3 className="import-heading">
                Problems{preview.problem_count > report.problems.length ? ` (first ${formatCount(report.problems.length)} of ${formatCount(preview.problem_count)})` : ""}
              </h3>
              <Button look="link" testId="save-import-problems" onClick={() => void saveProblems()}>
                Save all problems as CSV…
              </Button>
            </div>
            {saved ? <p className="muted" role="status">Saved to {saved}</p> : null}
            <ProblemsTable problems={report.problems} />
          </div>
        ) : null}
        <h3 className="import-heading">Columns</h3>
        <table className="simple-table import-mapping" data-testid="import-mapping">
          <thead>
            <tr>
              <th scope="col">Column in the file</th>
              <th scope="col">Becomes</th>
            </tr>
          </thead>
          <tbody>
            {preview.columns.map((column) => (
              <tr key={column.header} className={column.field ? undefined : "import-ignored"}>
                <td>{column.header}</td>
                <td>
                  <select
                    aria-label={`Field for column ${column.header}`}
                    data-testid="import-target"
                    data-header={column.header}
                    value={column.field ?? IGNORE}
                    onChange={(event) => {
                      setColumn(column.header, event.target.value);
                    }}
                  >
                    <option value={IGNORE}>Ignored (Roster does not keep it)</option>
                    {preview.fields.map((f) => (
                      <option key={f} value={f}>
                        {FIELD_LABELS[f] ?? f}
                      </option>
                    ))}
                    {preview.attributes.length > 0 ? (
                      <optgroup label="Attributes">
                        {preview.attributes.map((a) => (
                          <option key={a.value} value={a.value}>
                            {a.label}
                          </option>
                        ))}
                      </optgroup>
                    ) : null}
                  </select>
                  {column.field === null && canDefine ? (
                    <Button
                      look="link"
                      testId="create-attribute"
                      aria-label={`Create an attribute for column ${column.header}`}
                      onClick={() => {
                        createAttribute(column.header);
                      }}
                    >
                      Create attribute
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>

        <h3 className="import-heading">Options</h3>
        <div className="import-options">
          <label>
            New users start
            <select
              data-testid="import-activate"
              value={options.activate ? "active" : "staged"}
              onChange={(event) => {
                setOption({ activate: event.target.value === "active" });
              }}
            >
              <option value="staged">Staged, with an invitation by email</option>
              <option value="active">Active, without an invitation</option>
            </select>
          </label>
          <label>
            A user with the same email exists
            <select
              data-testid="import-upsert"
              value={options.upsert ? "update" : "refuse"}
              onChange={(event) => {
                setOption({ upsert: event.target.value === "update" });
              }}
            >
              <option value="refuse">It is a problem: import new users only</option>
              <option value="update">Update them with the file’s values</option>
            </select>
          </label>
          <label>
            Rows with problems
            <select
              data-testid="import-skip-invalid"
              value={options.skip_invalid ? "skip" : "refuse"}
              onChange={(event) => {
                setOption({ skip_invalid: event.target.value === "skip" });
              }}
            >
              <option value="refuse">Import nothing until every row is fixed</option>
              <option value="skip">Import the valid rows, skip the others</option>
            </select>
          </label>
          {hasPassword ? (
            <label className="check">
              <input
                type="checkbox"
                data-testid="import-accept-passwords"
                checked={options.accept_passwords}
                onChange={() => {
                  setOption({ accept_passwords: !options.accept_passwords });
                }}
              />
              Use the file’s passwords (anyone who gets the file can read them; delete it afterwards)
            </label>
          ) : null}
        </div>

      </div>
    );
    footer = (
      <>
        <Button onClick={close}>Cancel</Button>
        <Button look="primary" testId="start-import" disabled={checking || ready === 0 || blocked} onClick={() => void start(preview)}>
          {blocked ? "Fix the problems to import" : ready === 0 ? "Nothing to import" : `Import ${users(ready)}`}
        </Button>
      </>
    );
  } else if (step.kind === "importing") {
    const { preview, progress, perSecond, cancelling } = step;
    const total = preview.report.rows;
    const checked = progress?.phase === "checking" ? progress.rows : progress ? total : 0;
    const writing = progress?.phase === "writing";
    body = (
      <div className="import-progress" data-testid="import-progress">
        <progress max={total} value={checked} aria-label="Rows checked" />
        <p aria-live="polite">
          {writing
            ? `Saving ${users(progress.users)}…`
            : `${formatCount(checked)} of ${rows(total)} checked · ${formatCount(perSecond)} rows per second`}
        </p>
        <p className="muted">{writing ? "They land together or not at all." : "Cancel now and nothing is written."}</p>
      </div>
    );
    footer = (
      <Button testId="cancel-import" disabled={writing || cancelling} onClick={() => void cancel()}>
        {cancelling ? "Cancelling…" : "Cancel import"}
      </Button>
    );
  } else {
    const { report } = step.preview;
    body = (
      <div className="import-done" data-testid="import-done" role="status">
        <p>
          <strong>{users(report.created)} imported</strong> from {step.preview.file}
          {report.updated > 0 ? `, ${users(report.updated)} updated` : ""}
          {report.unchanged > 0 ? `, ${rows(report.unchanged)} unchanged` : ""}
          {report.invalid > 0 ? `; ${rows(report.invalid)} with problems skipped` : ""}.
        </p>
        <p className="muted">
          {options.activate ? "They are active and can sign in once they have a password." : "They are staged; each has an invitation waiting in the outbox."}
        </p>
      </div>
    );
    footer = (
      <Button look="primary" testId="close-import" onClick={close}>
        Done
      </Button>
    );
  }

  return (
    <Dialog open={open} title="Import users" onClose={close} testId="import-dialog" wide footer={footer}>
      <ErrorBanner message={error?.message} testId="import-error" />
      {body}
    </Dialog>
  );
}
