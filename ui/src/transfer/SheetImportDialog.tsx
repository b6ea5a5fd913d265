import { useState, type ReactNode } from "react";
import { chooseDevicesFile, chooseMembershipsFile, importDevices, importMemberships, saveImportProblems, toCommandError, type AppError } from "../api";
import type { SheetPreview } from "../bindings/SheetPreview";
import { Button } from "../components/Button";
import { Dialog } from "../components/Dialog";
import { formatCount } from "../users/format";
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
  /** "1 membership", "3 devices". */
  count: (n: number) => string;
  /** What `unchanged` counts, when the kind has it ("already members"). */
  unchanged: string | null;
}

export const MEMBERSHIPS: SheetKind = {
  id: "memberships",
  title: "Import group memberships",
  intro: (
    <>
      Choose a CSV file with a <strong>group</strong> column and a <strong>member</strong> column (a username or an email), as “Export
      memberships…” writes it. Groups that do not exist yet are created.
    </>
  ),
  choose: chooseMembershipsFile,
  run: importMemberships,
  count: (n) => `${formatCount(n)} ${n === 1 ? "membership" : "memberships"}`,
  unchanged: "already members",
};

export const DEVICES: SheetKind = {
  id: "devices",
  title: "Import devices",
  intro: (
    <>
      Choose an asset list: a CSV file with the device’s <strong>name</strong>, its <strong>OS</strong> and its <strong>owner</strong> (an
      email or username), and a model and serial number when it has them. Each device goes to its owner’s organization.
    </>
  ),
  choose: chooseDevicesFile,
  run: importDevices,
  count: (n) => `${formatCount(n)} ${n === 1 ? "device" : "devices"}`,
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
            <Button onClick={close}>{done ? "Done" : "Cancel"}</Button>
            {done ? null : (
              <Button look="primary" testId={`choose-${kind.id}-file`} disabled={busy} onClick={() => void run(kind.choose, false)}>
                Choose file…
              </Button>
            )}
          </>
        ) : (
          <>
            <Button onClick={close}>Cancel</Button>
            <Button
              look="primary"
              testId={`run-${kind.id}-import`}
              disabled={busy || blocked || report?.created === 0}
              onClick={() => void run(() => kind.run(skipInvalid), true)}
            >
              {blocked ? "Fix the problems to import" : `Add ${kind.count(report?.created ?? 0)}`}
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
            {preview.file}: {formatCount(preview.report.rows)} {preview.report.rows === 1 ? "row" : "rows"},{" "}
            <strong>
              {formatCount(preview.report.created)} {done ? "added" : "to add"}
            </strong>
            {kind.unchanged ? `, ${formatCount(preview.report.unchanged)} ${kind.unchanged}` : null}
            {preview.report.invalid > 0 ? (
              <>
                , <strong className="import-bad">{formatCount(preview.report.invalid)} with problems</strong>
              </>
            ) : null}
            .
          </p>
          {preview.problem_count > 0 && !done ? (
            <>
              <label className="check">
                <input type="checkbox" checked={skipInvalid} onChange={() => { setSkipInvalid(!skipInvalid); }} />
                Add the valid rows and skip the others
              </label>
              <div className="import-problems">
                <div className="import-problems-head">
                  <h3 className="import-heading">Problems</h3>
                  <Button look="link" onClick={() => void saveImportProblems().catch((reason: unknown) => { setError(toCommandError(reason)); })}>
                    Save all problems as CSV…
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
