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
import { formatCount, formatShortDateTime, t } from "../i18n";
import { EncryptedBackupDialog } from "./EncryptedBackupDialog";
import { tElements } from "../i18n/elements";

/** How a server's directory is backed up, since Roster leaves that to the server's own tools. */
const SERVER_TOOLS: Record<string, string> = {
  postgres: "pg_dump --format=custom --file=roster.dump DATABASE",
  mysql: "mariadb-dump --single-transaction DATABASE > roster.sql",
};

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30) return t("backups-size-gb", { size: bytes / (1 << 30) });
  if (bytes >= 1 << 20) return t("backups-size-mb", { size: bytes / (1 << 20) });
  return t("backups-size-kb", { size: Math.ceil(bytes / 1024) });
}

/** When a backup was taken, as a <time> (`formatShortDateTime` alone where only text fits). */
function When({ at }: { at: string }) {
  return <time dateTime={at}>{formatShortDateTime(at)}</time>;
}

/** What a backup holds, shown before a restore replaces the directory with it. */
function Contents({ contents }: { contents: BackupContents }) {
  const last = contents.last_entry;
  return (
    <dl className="backup-contents" data-testid="backup-contents">
      <dt>{t("backups-taken")}</dt>
      <dd>
        <When at={contents.file.taken_at} />
      </dd>
      <dt>{t("backups-users")}</dt>
      <dd>{formatCount(contents.users)}</dd>
      <dt>{t("backups-last-change")}</dt>
      <dd>
        {last
          ? tElements("backups-last-change-entry", { at: <When at={last.at} /> }, { action: last.label, target: last.target.name, actor: last.actor })
          : t("backups-last-change-none")}
      </dd>
      <dt>{t("backups-audit-trail")}</dt>
      <dd>{contents.chain.problem ? t("backups-audit-trail-broken") : t("backups-audit-trail-verified", { entries: contents.chain.entries })}</dd>
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
        <h2 id="backups-title">{t("backups-title")}</h2>
        <p>{t("backups-server-intro", { backend })}</p>
        <pre className="command" data-testid="server-backup-command">{SERVER_TOOLS[backend] ?? SERVER_TOOLS.mysql}</pre>
        <p>{tElements("backups-server-portable-copy", { command: <code>roster db copy --to sqlite://roster-copy.db</code> })}</p>
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
      setNotice(t("backups-written", { file: taken.file.name, users: taken.users, size: formatBytes(taken.file.bytes) }));
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
      setNotice(t("backups-restored", { file: restored.from.file.name, keptAside: restored.kept_aside.name }));
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
        <h2 id="backups-title">{t("backups-title")}</h2>
        <div className="section-actions">
          <Button
            testId="encrypted-copy"
            onClick={() => {
              setEncrypting(true);
            }}
            disabled={busy}
          >
            {t("backups-save-encrypted-copy")}
          </Button>
          <Button look="primary" testId="back-up-now" onClick={backUp} disabled={busy}>
            {t("backups-back-up-now")}
          </Button>
        </div>
      </div>
      {list ? (
        <p className="section-hint">{tElements("backups-folder-hint", { folder: <code data-testid="backup-folder">{list.folder}</code> })}</p>
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
        empty={t("backups-empty")}
        columns={[
          { header: t("backups-taken"), cell: (b) => <When at={b.taken_at} /> },
          { header: t("backups-kind"), cell: (b) => (b.kept_aside ? t("backups-kind-before-restore") : t("backups-kind-backup")) },
          { header: t("backups-size"), cell: (b) => formatBytes(b.bytes), align: "numeric" },
          {
            header: t("backups-actions"),
            hideHeader: true,
            align: "actions",
            cell: (b) => (
              <Button
                testId="restore-backup"
                aria-label={t("backups-restore-aria", { taken: formatShortDateTime(b.taken_at) })}
                onClick={() => {
                  choose(b);
                }}
                disabled={busy}
              >
                {t("backups-restore")}
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
          setNotice(t("backups-encrypted-written", { file: saved.file.name, users: saved.users, size: formatBytes(saved.file.bytes) }));
        }}
      />
      <ConfirmDialog
        open={chosen !== null}
        title={t("backups-restore-title")}
        destructive
        busy={busy || chosen?.contents == null}
        confirmLabel={t("backups-restore-confirm")}
        message={
          chosen?.contents
            ? t("backups-restore-message")
            : t("backups-restore-checking")
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
