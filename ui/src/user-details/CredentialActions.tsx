import { useState } from "react";
import { enrollment, inviteUser, resetTwoFactor, setPassword, startRecovery, toCommandError, type AppError } from "../api";
import type { Enrollment } from "../bindings/Enrollment";
import type { PasswordSet } from "../bindings/PasswordSet";
import type { User } from "../bindings/User";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { EnrollmentCard } from "../session/Enrollment";
import { Field } from "../session/Field";
import { SecretOnce } from "../tokens/TokenList";
import { Button } from "../components/Button";
import { ErrorBanner, formMessage } from "../components/ErrorBanner";
import { t } from "../i18n";

type Confirming = "reset-2fa" | "recovery" | "invite" | null;

/** Password, 2FA and invitation actions for one user, for roles that may reset credentials. */
export function CredentialActions({ user, onChanged }: { user: User; onChanged: () => void }) {
  const [settingPassword, setSettingPassword] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [qr, setQr] = useState<Enrollment | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const run = (work: Promise<unknown>, done: string) => {
    work.then(
      () => {
        setMessage({ text: done, error: false });
        onChanged();
      },
      (reason: unknown) => {
        setMessage({ text: toCommandError(reason).message, error: true });
      },
    );
  };

  const showQr = () => {
    enrollment(user.id).then(setQr, (reason: unknown) => {
      setMessage({ text: toCommandError(reason).message, error: true });
    });
  };

  const name = `${user.first_name} ${user.last_name}`;
  return (
    <div className="details-toolbar">
      <Button testId="set-password" onClick={() => { setSettingPassword(true); }}>{t("details-set-password-button")}</Button>
      <Button testId="start-recovery" onClick={() => { setConfirming("recovery"); }}>{t("details-reset-password-button")}</Button>
      <Button testId="reset-2fa" onClick={() => { setConfirming("reset-2fa"); }}>{t("details-reset-2fa-button")}</Button>
      {user.two_factor === "pending_activation" ? (
        <Button testId="show-qr" onClick={showQr}>{t("details-show-qr")}</Button>
      ) : null}
      {user.status === "staged" ? (
        <Button testId="resend-invitation" onClick={() => { setConfirming("invite"); }}>{t("details-resend-invitation")}</Button>
      ) : null}
      {message ? (
        <span className={message.error ? "field-error" : "saved"} role="status" data-testid="credential-message">
          {message.text}
        </span>
      ) : null}
      <ConfirmDialog
        open={confirming !== null}
        title={confirming === "reset-2fa" ? t("details-reset-2fa-title") : confirming === "recovery" ? t("details-reset-password-title") : t("details-resend-invitation-title")}
        message={
          confirming === "reset-2fa"
            ? t("details-reset-2fa-confirm", { name })
            : confirming === "recovery"
              ? t("details-reset-password-confirm", { name })
              : t("details-resend-invitation-confirm", { name })
        }
        confirmLabel={confirming === "reset-2fa" ? t("details-reset-2fa-confirm-button") : t("details-send")}
        destructive={confirming === "reset-2fa"}
        onCancel={() => {
          setConfirming(null);
        }}
        onConfirm={() => {
          const what = confirming;
          setConfirming(null);
          if (what === "reset-2fa") run(resetTwoFactor([user.id]), t("details-reset-2fa-done"));
          if (what === "recovery") run(startRecovery([user.id]), t("details-reset-code-sent", { email: user.email }));
          if (what === "invite") run(inviteUser(user.id), t("details-invitation-sent", { email: user.email }));
        }}
      />
      {settingPassword ? (
        <SetPasswordDialog
          user={user}
          onClose={() => {
            setSettingPassword(false);
          }}
          onSet={() => {
            onChanged();
          }}
        />
      ) : null}
      <Dialog
        open={qr !== null}
        title={t("details-qr-title", { name })}
        onClose={() => {
          setQr(null);
        }}
        testId="qr-dialog"
        wide
        footer={
          <Button onClick={() => { window.print(); }}>{t("details-print")}</Button>
        }
      >
        {qr ? <EnrollmentCard enrollment={qr} /> : null}
      </Dialog>
    </div>
  );
}

function SetPasswordDialog({ user, onClose, onSet }: { user: User; onClose: () => void; onSet: () => void }) {
  const [generate, setGenerate] = useState(true);
  const [password, setPasswordText] = useState("");
  const [mustChange, setMustChange] = useState(true);
  const [notify, setNotify] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [result, setResult] = useState<PasswordSet | null>(null);

  const submit = () => {
    setPassword(user.id, { password: generate ? null : password, generate, must_change: mustChange, notify }).then(
      (r) => {
        setResult(r);
        setError(null);
        onSet();
      },
      (reason: unknown) => {
        setError(toCommandError(reason));
      },
    );
  };

  return (
    <Dialog
      open
      title={t("details-set-password-title", { name: `${user.first_name} ${user.last_name}` })}
      onClose={onClose}
      testId="set-password-dialog"
      footer={
        result ? (
          <Button look="primary" onClick={onClose} testId="set-password-done">{t("common-done")}</Button>
        ) : (
          <>
            <Button onClick={onClose}>{t("common-cancel")}</Button>
            <Button look="primary" testId="set-password-submit" onClick={submit}>{t("details-set-password-submit")}</Button>
          </>
        )
      }
    >
      {result ? (
        <div className="gate-form">
          {result.generated_password ? (
            <SecretOnce label={t("details-generated-password")} text={result.generated_password} testId="generated-password" />
          ) : (
            <p>{t("details-password-set")}</p>
          )}
          <p className="muted">{mustChange ? t("details-password-must-change-next") : t("details-password-usable-now")}</p>
        </div>
      ) : (
        <div className="gate-form">
          <label className="check">
            <input
              type="radio"
              name="password-source"
              checked={generate}
              data-testid="password-generate"
              onChange={() => {
                setGenerate(true);
              }}
            />
            {t("details-password-generate")}
          </label>
          <label className="check">
            <input
              type="radio"
              name="password-source"
              checked={!generate}
              data-testid="password-type"
              onChange={() => {
                setGenerate(false);
              }}
            />
            {t("details-password-type")}
          </label>
          {generate ? null : (
            <Field id="admin_password" label={t("details-password-label")} type="password" field="password" value={password} onChange={setPasswordText} autoComplete="new-password" errors={error?.fields} autoFocus />
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={mustChange}
              data-testid="must-change"
              onChange={(event) => {
                setMustChange(event.target.checked);
              }}
            />
            {t("details-password-must-change")}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={notify}
              onChange={(event) => {
                setNotify(event.target.checked);
              }}
            />
            {t("details-password-notify", { email: user.email })}
          </label>
          <ErrorBanner message={formMessage(error)} />
        </div>
      )}
    </Dialog>
  );
}
