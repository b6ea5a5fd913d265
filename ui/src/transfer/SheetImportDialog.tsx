import { useState, type ReactNode } from "react";
import { chooseDevicesFile, chooseMembershipsFile, importDevices, importMemberships, saveImportProblems, toCommandError, type AppError } from "../api";
import type { SheetPreview } from "../bindings/SheetPreview";
import { Button } from "../components/Button";
import { Dialog } from "../components/Dialog";
import { t } from "../i18n";
import { tElements } from "../i18n/elements";
import { ProblemsTable } from "./ProblemsTable";
import "./transfer.css";
import { ErrorBanner } from "../components/ErrorBanner";

/** What a file of rows brings in: its commands, and how the dialog speaks of it. */
interface SheetKind {
  /** `memberships`, `devices`: the dialog's test ids. */
  id: string;
  title: string;
  intro: ReactNode;
  choose: () => Promise<SheetPreview | null>;
  run: (skipInvalid: boolean) => Promise<SheetPreview>;
  /** The import button: "Add 1 membership", "Add 3 devices". */
  add: (n: number) => string;
  /** What `unchanged` counts, when the kind has it ("2 already members"). */
  unchanged: ((n: number) => string) | null;
}

export const MEMBERSHIPS: SheetKind = {
  id: "memberships",
  title: t("import-memberships-title"),
  // Column names belong to the file format: the same in every language.
  intro: tElements("import-memberships-intro", { group: <strong translate="no">group</strong>, member: <strong translate="no">member</strong> }),
  choose: chooseMembershipsFile,
  run: importMemberships,
  add: (n) => t("import-memberships-add", { count: n }),
  unchanged: (n) => t("import-memberships-unchanged", { count: n }),
};

export const DEVICES: SheetKind = {
  id: "devices",
  title: t("import-devices-title"),
  intro: tElements("import-devices-intro", { name: <strong translate="no">name</strong>, os: <strong translate="no">OS</strong>, owner: <strong translate="no">owner</strong> }),
  choose: chooseDevicesFile,
  run: importDevices,
  add: (n) => t("import-devices-add", { count: n }),
  unchanged: null,
};

interface Props {
  kind: SheetKind;
  open: boolean;
  onClose: () => void;
  onImported: () => void;
}

/**
 * Rows from a spreadsheet (group memberships, devices): checked first, every problem shown
 * with its line, then written in one transaction.
 */
export function SheetImportDialog({ kind, open, onClose, onImported }: Props) {
  const [preview, setPreview] = useState<SheetPreview | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const close = () => {
    setPreview(null);
    setSkipInvalid(false);
    setDone(false);
    setError(null);
    onClose();
  };

  const run = async (action: () => Promise<SheetPreview | null>, imported: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const next = await action();
      if (next) {
        setPreview(next);
        setDone(imported && next.report.written);
        if (imported && next.report.written) onImported();
      }
    } catch (reason) {
      setError(toCommandError(reason));
    } finally {
      setBusy(false);
    }
  };

  const report = preview?.report;
  const blocked = report !== undefined && report.invalid > 0 && !skipInvalid;
  return (
    <Dialog
      open={open}
      title={kind.title}
      onClose={close}
      testId={`${kind.id}-dialog`}
      wide
      footer={
        done || !preview ? (
          <>
            <Button onClick={close}>{done ? t("common-done") : t("common-cancel")}</Button>
            {done ? null : (
              <Button look="primary" testId={`choose-${kind.id}-file`} disabled={busy} onClick={() => void run(kind.choose, false)}>
                {t("import-choose-file")}
              </Button>
            )}
          </>
        ) : (
          <>
            <Button onClick={close}>{t("common-cancel")}</Button>
            <Button
              look="primary"
              testId={`run-${kind.id}-import`}
              disabled={busy || blocked || report?.created === 0}
              onClick={() => void run(() => kind.run(skipInvalid), true)}
            >
              {blocked ? t("import-fix-problems") : kind.add(report?.created ?? 0)}
            </Button>
          </>
        )
      }
    >
      <ErrorBanner message={error?.message} />
      {!preview ? (
        <p className="import-start">{kind.intro}</p>
      ) : (
        <>
          <p className="import-summary" data-testid={`${kind.id}-summary`} role="status">
            {preview.file}: {t("import-rows", { count: preview.report.rows })},{" "}
            <strong>{t(done ? "import-sheet-added" : "import-sheet-to-add", { count: preview.report.created })}</strong>
            {kind.unchanged ? `, ${kind.unchanged(preview.report.unchanged)}` : null}
            {preview.report.invalid > 0 ? (
              <>
                , <strong className="import-bad">{t("import-summary-with-problems", { count: preview.report.invalid })}</strong>
              </>
            ) : null}
            .
          </p>
          {preview.problem_count > 0 && !done ? (
            <>
              <label className="check">
                <input type="checkbox" checked={skipInvalid} onChange={() => { setSkipInvalid(!skipInvalid); }} />
                {t("import-sheet-skip-invalid")}
              </label>
              <div className="import-problems">
                <div className="import-problems-head">
                  <h3 className="import-heading">{t("import-problems-heading")}</h3>
                  <Button look="link" onClick={() => void saveImportProblems().catch((reason: unknown) => { setError(toCommandError(reason)); })}>
                    {t("import-save-problems")}
                  </Button>
                </div>
                <ProblemsTable problems={preview.report.problems} />
              </div>
            </>
          ) : null}
        </>
      )}
    </Dialog>
  );
}
