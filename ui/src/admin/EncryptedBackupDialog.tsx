import { useState } from "react";
import { fieldProblem, saveEncryptedBackup, toCommandError, type AppError } from "../api";
import type { BackupContents } from "../bindings/BackupContents";
import { Dialog } from "../components/Dialog";
import { ErrorBanner, formMessage } from "../components/ErrorBanner";
import { Field } from "../session/Field";
import { t } from "../i18n";
import { tElements } from "../i18n/elements";

/**
 * Settings → Backups → "Save an encrypted copy…": a backup for a USB stick or a cloud
 * drive, encrypted with a passphrase in the age format, saved where the admin chooses.
 */
export function EncryptedBackupDialog({
  open,
  onClose,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (contents: BackupContents) => void;
}) {
  const [passphrase, setPassphrase] = useState("");
  const [again, setAgain] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    setError(null);
  };

  const close = () => {
    setPassphrase("");
    setAgain("");
    setError(null);
    onClose();
  };

  const save = () => {
    if (passphrase !== again) {
      setError({ code: "validation", message: "", fields: [fieldProblem("passphrase_again", t("backups-encrypted-passphrase-mismatch"))] });
      return;
    }
    setBusy(true);
    setError(null);
    saveEncryptedBackup(passphrase).then(
      (saved) => {
        setBusy(false);
        if (saved) {
          onSaved(saved);
          close();
        }
      },
      (reason: unknown) => {
        setBusy(false);
        setError(toCommandError(reason));
      },
    );
  };

  return (
    <Dialog
      open={open}
      title={t("backups-encrypted-title")}
      onClose={close}
      testId="encrypted-backup-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={close} data-testid="cancel">
            {t("common-cancel")}
          </button>
          <button type="button" className="button button--primary" onClick={save} disabled={busy} data-testid="save-encrypted-backup">
            {busy ? t("backups-encrypted-saving") : t("backups-encrypted-choose-where")}
          </button>
        </>
      }
    >
      <p>{t("backups-encrypted-intro")}</p>
      <p className="muted">
        {tElements("backups-encrypted-format", {
          format: <code>age</code>,
          restore: <code>roster db restore FILE</code>,
          open: <code>age -d FILE &gt; roster.db</code>,
        })}
      </p>
      <Field id="passphrase" label={t("backups-encrypted-passphrase")} type="password" value={passphrase} onChange={edit(setPassphrase)} autoComplete="new-password" errors={error?.fields} hint={t("backups-encrypted-passphrase-hint")} />
      <Field id="passphrase_again" label={t("backups-encrypted-passphrase-again")} type="password" value={again} onChange={edit(setAgain)} autoComplete="new-password" errors={error?.fields} />
      <ErrorBanner message={formMessage(error)} />
    </Dialog>
  );
}
