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
import { t } from "../i18n";
import { tElements } from "../i18n/elements";
import { ProblemsTable } from "./ProblemsTable";
import "./transfer.css";
import { ErrorBanner } from "../components/ErrorBanner";
import { FIELD_LABELS as USER_FIELD_LABELS } from "../fieldLabels";
import { useCan } from "../session/SessionContext";

const IGNORE = "";

/** How a field reads in the mapping's menu. */
const FIELD_LABELS: Record<string, string> = {
  ...USER_FIELD_LABELS,
  display_name: t("import-field-display-name"),
  tags: t("import-field-tags"),
  manager: t("import-field-manager"),
  groups: t("import-field-groups"),
  password: t("import-field-password"),
  block_sign_in: t("import-field-block-sign-in"),
  account_enabled: t("import-field-account-enabled"),
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
        <p>{t("import-intro")}</p>
        <p className="muted">{t("import-intro-checked")}</p>
      </div>
    );
    footer = (
      <>
        <Button onClick={close}>{t("common-cancel")}</Button>
        <Button look="primary" testId="choose-import-file" onClick={() => void choose()}>
          {t("import-choose-file")}
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
            {t("import-file-label")} <strong data-testid="import-file-name" translate="no">{preview.file}</strong>
          </span>
          <label>
            {t("import-format")}
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
            {t("import-choose-another-file")}
          </Button>
        </div>

        <p className="import-summary" data-testid="import-summary" aria-live="polite">
          {checking ? (
            t("import-checking")
          ) : (
            <>
              {t("import-rows", { count: report.rows })}: <strong>{t("import-summary-new", { count: report.created })}</strong>
              {options.upsert ? `, ${t("import-summary-to-update", { count: report.updated })}, ${t("import-summary-unchanged", { count: report.unchanged })}` : ""}
              {report.invalid > 0 ? (
                <>
                  , <strong className="import-bad">{t("import-summary-with-problems", { count: report.invalid })}</strong>
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
                {preview.problem_count > report.problems.length
                  ? t("import-problems-heading-partial", { shown: report.problems.length, total: preview.problem_count })
                  : t("import-problems-heading")}
              </h3>
              <Button look="link" testId="save-import-problems" onClick={() => void saveProblems()}>
                {t("import-save-problems")}
              </Button>
            </div>
            {saved ? <p className="muted" role="status">{t("import-problems-saved", { path: saved })}</p> : null}
            <ProblemsTable problems={report.problems} />
          </div>
        ) : null}
        <h3 className="import-heading">{t("import-columns-heading")}</h3>
        <table className="simple-table import-mapping" data-testid="import-mapping">
          <thead>
            <tr>
              <th scope="col">{t("import-column-in-file")}</th>
              <th scope="col">{t("import-column-becomes")}</th>
            </tr>
          </thead>
          <tbody>
            {preview.columns.map((column) => (
              <tr key={column.header} className={column.field ? undefined : "import-ignored"}>
                <td translate="no">{column.header}</td>
                <td>
                  <select
                    aria-label={t("import-column-field", { column: column.header })}
                    data-testid="import-target"
                    data-header={column.header}
                    value={column.field ?? IGNORE}
                    onChange={(event) => {
                      setColumn(column.header, event.target.value);
                    }}
                  >
                    <option value={IGNORE}>{t("import-column-ignored")}</option>
                    {preview.fields.map((f) => (
                      <option key={f} value={f}>
                        {FIELD_LABELS[f] ?? f}
                      </option>
                    ))}
                    {preview.attributes.length > 0 ? (
                      <optgroup label={t("import-column-attributes")}>
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
                      aria-label={t("import-create-attribute-label", { column: column.header })}
                      onClick={() => {
                        createAttribute(column.header);
                      }}
                    >
                      {t("import-create-attribute")}
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>

        <h3 className="import-heading">{t("import-options-heading")}</h3>
        <div className="import-options">
          <label>
            {t("import-new-users-start")}
            <select
              data-testid="import-activate"
              value={options.activate ? "active" : "staged"}
              onChange={(event) => {
                setOption({ activate: event.target.value === "active" });
              }}
            >
              <option value="staged">{t("import-start-staged")}</option>
              <option value="active">{t("import-start-active")}</option>
            </select>
          </label>
          <label>
            {t("import-existing-email")}
            <select
              data-testid="import-upsert"
              value={options.upsert ? "update" : "refuse"}
              onChange={(event) => {
                setOption({ upsert: event.target.value === "update" });
              }}
            >
              <option value="refuse">{t("import-existing-refuse")}</option>
              <option value="update">{t("import-existing-update")}</option>
            </select>
          </label>
          <label>
            {t("import-invalid-rows")}
            <select
              data-testid="import-skip-invalid"
              value={options.skip_invalid ? "skip" : "refuse"}
              onChange={(event) => {
                setOption({ skip_invalid: event.target.value === "skip" });
              }}
            >
              <option value="refuse">{t("import-invalid-refuse")}</option>
              <option value="skip">{t("import-invalid-skip")}</option>
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
              {t("import-accept-passwords")}
            </label>
          ) : null}
        </div>

      </div>
    );
    footer = (
      <>
        <Button onClick={close}>{t("common-cancel")}</Button>
        <Button look="primary" testId="start-import" disabled={checking || ready === 0 || blocked} onClick={() => void start(preview)}>
          {blocked ? t("import-fix-problems") : ready === 0 ? t("import-nothing") : t("import-start", { count: ready })}
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
        <progress max={total} value={checked} aria-label={t("import-rows-checked")} />
        <p aria-live="polite">
          {writing
            ? t("import-progress-saving", { count: progress.users })
            : t("import-progress-checked", { checked, total, perSecond })}
        </p>
        <p className="muted">{writing ? t("import-progress-writing-hint") : t("import-progress-cancel-hint")}</p>
      </div>
    );
    footer = (
      <Button testId="cancel-import" disabled={writing || cancelling} onClick={() => void cancel()}>
        {cancelling ? t("import-cancelling") : t("import-cancel")}
      </Button>
    );
  } else {
    const { report } = step.preview;
    body = (
      <div className="import-done" data-testid="import-done" role="status">
        <p>
          {tElements("import-done-from", { imported: <strong>{t("import-done-imported", { count: report.created })}</strong> }, { file: step.preview.file })}
          {report.updated > 0 ? `, ${t("import-done-updated", { count: report.updated })}` : ""}
          {report.unchanged > 0 ? `, ${t("import-done-unchanged", { count: report.unchanged })}` : ""}
          {report.invalid > 0 ? `; ${t("import-done-skipped", { count: report.invalid })}` : ""}.
        </p>
        <p className="muted">
          {options.activate ? t("import-done-active") : t("import-done-staged")}
        </p>
      </div>
    );
    footer = (
      <Button look="primary" testId="close-import" onClick={close}>
        {t("common-done")}
      </Button>
    );
  }

  return (
    <Dialog open={open} title={t("import-title")} onClose={close} testId="import-dialog" wide footer={footer}>
      <ErrorBanner message={error?.message} testId="import-error" />
      {body}
    </Dialog>
  );
}
