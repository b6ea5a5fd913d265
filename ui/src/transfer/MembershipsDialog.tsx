import { useState } from "react";
import { chooseMembershipsFile, importMemberships, saveImportProblems, toCommandError, type AppError } from "../api";
import type { MembershipsPreview } from "../bindings/MembershipsPreview";
import { Button } from "../components/Button";
import { Dialog } from "../components/Dialog";
import { formatCount } from "../users/format";
import { ProblemsTable } from "./ProblemsTable";
import "./transfer.css";

interface Props {
  open: boolean;
  onClose: () => void;
  onImported: () => void;
}

/**
 * Group memberships from a spreadsheet (a group and a member column, as Roster exports
 * them): checked first, every problem shown with its line, then added in one transaction.
 */
export function MembershipsDialog({ open, onClose, onImported }: Props) {
  const [preview, setPreview] = useState<MembershipsPreview | null>(null);
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

  const run = async (action: () => Promise<MembershipsPreview | null>, imported: boolean) => {
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
      title="Import group memberships"
      onClose={close}
      testId="memberships-dialog"
      wide
      footer={
        done || !preview ? (
          <>
            <Button onClick={close}>{done ? "Done" : "Cancel"}</Button>
            {done ? null : (
              <Button look="primary" testId="choose-memberships-file" disabled={busy} onClick={() => void run(chooseMembershipsFile, false)}>
                Choose file…
              </Button>
            )}
          </>
        ) : (
          <>
            <Button onClick={close}>Cancel</Button>
            <Button
              look="primary"
              testId="run-memberships-import"
              disabled={busy || blocked || report?.created === 0}
              onClick={() => void run(() => importMemberships(skipInvalid), true)}
            >
              {blocked ? "Fix the problems to import" : `Add ${formatCount(report?.created ?? 0)} ${report?.created === 1 ? "membership" : "memberships"}`}
            </Button>
          </>
        )
      }
    >
      {error ? (
        <p className="form-banner" role="alert">
          {error.message}
        </p>
      ) : null}
      {!preview ? (
        <p className="import-start">
          Choose a CSV file with a <strong>group</strong> column and a <strong>member</strong> column (a username or an email), as
          “Export memberships…” writes it. Groups that do not exist yet are created.
        </p>
      ) : (
        <>
          <p className="import-summary" data-testid="memberships-summary" role="status">
            {preview.file}: {formatCount(preview.report.rows)} rows,{" "}
            <strong>
              {formatCount(preview.report.created)} {done ? "added" : "to add"}
            </strong>
            , {formatCount(preview.report.unchanged)} already members
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
