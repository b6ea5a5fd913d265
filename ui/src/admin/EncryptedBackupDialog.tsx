import { useState } from "react";
import { saveEncryptedBackup, toCommandError, type AppError } from "../api";
import type { BackupContents } from "../bindings/BackupContents";
import { Dialog } from "../components/Dialog";
import { ErrorBanner, formMessage } from "../components/ErrorBanner";
import { Field } from "../session/Field";

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
      setError({ code: "validation", message: "", fields: [{ field: "passphrase_again", message: "type the same passphrase twice" }] });
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
      title="Save an encrypted copy"
      onClose={close}
      testId="encrypted-backup-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={close} data-testid="cancel">
            Cancel
          </button>
          <button type="button" className="button button--primary" onClick={save} disabled={busy} data-testid="save-encrypted-backup">
            {busy ? "Saving…" : "Choose where to save…"}
          </button>
        </>
      }
    >
      <p>
        For a copy that leaves this computer: a USB stick, a network share, a cloud drive. It holds every account, password hash and 2FA key, so it is
        encrypted with a passphrase. Without the passphrase nobody can open it, you included: keep the passphrase somewhere safe, apart from the copy.
      </p>
      <p className="muted">
        It is in the <code>age</code> format: <code>roster db restore FILE</code> restores it, and <code>age -d FILE &gt; roster.db</code> opens it anywhere.
      </p>
      <Field id="passphrase" label="Passphrase" type="password" value={passphrase} onChange={edit(setPassphrase)} autoComplete="new-password" errors={error?.fields} hint="At least 12 characters; a few unrelated words are easy to type and hard to guess." />
      <Field id="passphrase_again" label="The same passphrase again" type="password" value={again} onChange={edit(setAgain)} autoComplete="new-password" errors={error?.fields} />
      <ErrorBanner message={formMessage(error)} />
    </Dialog>
  );
}
