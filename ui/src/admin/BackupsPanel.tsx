import { useState } from "react";
import { backUpNow, backups as listBackups, inspectBackup, restoreBackup, toCommandError, type AppError } from "../api";
import type { BackupContents } from "../bindings/BackupContents";
import type { BackupFile } from "../bindings/BackupFile";
import type { BackupList } from "../bindings/BackupList";
import { Button } from "../components/Button";
import { DataTable } from "../components/DataTable";
import { ConfirmDialog } from "../components/Dialog";
import { ErrorBanner } from "../components/ErrorBanner";
import { useLoad } from "../components/useLoad";
import { EncryptedBackupDialog } from "./EncryptedBackupDialog";

/** How a server's directory is backed up, since Roster leaves that to the server's own tools. */
const SERVER_TOOLS: Record<string, string> = {
  postgres: "pg_dump --format=custom --file=roster.dump DATABASE",
  mysql: "mariadb-dump --single-transaction DATABASE > roster.sql",
};

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(1)} GB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024).toLocaleString()} kB`;
}

function when(at: string): string {
  return new Date(at).toLocaleString();
}

/** What a backup holds, shown before a restore replaces the directory with it. */
function Contents({ contents }: { contents: BackupContents }) {
  const last = contents.last_entry;
  return (
    <dl className="backup-contents" data-testid="backup-contents">
      <dt>Taken</dt>
      <dd>{when(contents.file.taken_at)}</dd>
      <dt>Users</dt>
      <dd>{contents.users.toLocaleString()}</dd>
      <dt>Last change</dt>
      <dd>{last ? `${when(last.at)}: ${last.label} ${last.target.name} by ${last.actor}` : "none"}</dd>
      <dt>Audit trail</dt>
      <dd>{contents.chain.problem ? "does not verify" : `verified, ${contents.chain.entries.toLocaleString()} entries`}</dd>
    </dl>
  );
}

/**
 * Settings → Backups: the backups of a directory kept in a file on this computer, taking
 * one now, and restoring one after reading what it holds. A server's directory is backed
 * up on the server; the panel says how.
 */
export function BackupsPanel({ backend }: { backend: string }) {
  const [list, setList] = useState<BackupList | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [chosen, setChosen] = useState<{ file: BackupFile; contents: BackupContents | null } | null>(null);
  const [encrypting, setEncrypting] = useState(false);

  useLoad(
    () => (backend === "sqlite" ? listBackups() : null),
    [backend, attempt],
    (loaded) => {
      setList(loaded);
    },
    setError,
  );

  if (backend !== "sqlite") {
    return (
      <section className="settings-section" aria-labelledby="backups-title">
        <h2 id="backups-title">Backups</h2>
        <p>
          This directory is kept on a {backend === "postgres" ? "PostgreSQL" : "MySQL or MariaDB"} server, which is backed up with the server's own tools, for
          example:
        </p>
        <pre className="command" data-testid="server-backup-command">{SERVER_TOOLS[backend] ?? SERVER_TOOLS.mysql}</pre>
        <p>
          For a portable copy in one file, <code>roster db copy --to sqlite://roster-copy.db</code> copies the whole directory into a SQLite file.
        </p>
      </section>
    );
  }

  const failed = (reason: unknown) => {
    setBusy(false);
    setNotice(null);
    setError(toCommandError(reason));
  };

  const backUp = () => {
    setBusy(true);
    setError(null);
    backUpNow().then((taken) => {
      setBusy(false);
      setNotice(`Backup written and checked: ${taken.file.name} (${taken.users.toLocaleString()} users, ${formatBytes(taken.file.bytes)}).`);
      setAttempt((n) => n + 1);
    }, failed);
  };

  const choose = (file: BackupFile) => {
    setChosen({ file, contents: null });
    setError(null);
    inspectBackup(file.name).then(
      (contents) => {
        setChosen({ file, contents });
      },
      (reason: unknown) => {
        setChosen(null);
        failed(reason);
      },
    );
  };

  const restore = (file: BackupFile) => {
    setBusy(true);
    restoreBackup(file.name).then((restored) => {
      setBusy(false);
      setChosen(null);
      setNotice(`Restored ${restored.from.file.name}. The directory as it was is kept as ${restored.kept_aside.name}: restore that to undo.`);
      setAttempt((n) => n + 1);
    }, (reason: unknown) => {
      setChosen(null);
      failed(reason);
    });
  };

  const newestFirst = list ? [...list.backups].reverse() : null;
  return (
    <section className="settings-section" aria-labelledby="backups-title">
      <div className="section-title-row">
        <h2 id="backups-title">Backups</h2>
        <div className="section-actions">
          <Button
            testId="encrypted-copy"
            onClick={() => {
              setEncrypting(true);
            }}
            disabled={busy}
          >
            Save an encrypted copy…
          </Button>
          <Button look="primary" testId="back-up-now" onClick={backUp} disabled={busy}>
            Back up now
          </Button>
        </div>
      </div>
      {list ? (
        <p className="section-hint">
          In <code data-testid="backup-folder">{list.folder}</code>. Each backup is checked after it is written (SQLite's integrity check and the audit trail)
          and readable by your account only.
        </p>
      ) : null}
      <ErrorBanner message={error?.message} />
      {notice ? (
        <p className="saved" role="status">
          {notice}
        </p>
      ) : null}
      <DataTable
        rows={newestFirst}
        look="inline"
        testId="backups"
        rowTestId="backup-row"
        rowKey={(b) => b.name}
        rowData={(b) => ({ "data-name": b.name })}
        empty="No backups yet. One is taken when the app closes, and daily while it runs."
        columns={[
          { header: "Taken", cell: (b) => when(b.taken_at) },
          { header: "Kind", cell: (b) => (b.kept_aside ? "Before a restore" : "Backup") },
          { header: "Size", cell: (b) => formatBytes(b.bytes), align: "numeric" },
          {
            header: "Actions",
            hideHeader: true,
            align: "actions",
            cell: (b) => (
              <Button
                testId="restore-backup"
                aria-label={`Restore the backup taken ${when(b.taken_at)}`}
                onClick={() => {
                  choose(b);
                }}
                disabled={busy}
              >
                Restore…
              </Button>
            ),
          },
        ]}
      />
      <EncryptedBackupDialog
        open={encrypting}
        onClose={() => {
          setEncrypting(false);
        }}
        onSaved={(saved) => {
          setError(null);
          setNotice(`Encrypted copy written and checked: ${saved.file.name} (${saved.users.toLocaleString()} users, ${formatBytes(saved.file.bytes)}).`);
        }}
      />
      <ConfirmDialog
        open={chosen !== null}
        title="Restore this backup?"
        destructive
        busy={busy || chosen?.contents == null}
        confirmLabel="Replace the directory"
        message={
          chosen?.contents
            ? "Everything in the directory is replaced with what this backup holds; changes made since it was taken are undone. The directory as it is now is kept as a backup first."
            : "Checking the backup…"
        }
        onConfirm={() => {
          if (chosen?.contents) restore(chosen.file);
        }}
        onCancel={() => {
          setChosen(null);
        }}
      >
        {chosen?.contents ? <Contents contents={chosen.contents} /> : null}
      </ConfirmDialog>
    </section>
  );
}
