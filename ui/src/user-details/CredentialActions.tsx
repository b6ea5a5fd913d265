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
      <Button testId="set-password" onClick={() => { setSettingPassword(true); }}>Set password…</Button>
      <Button testId="start-recovery" onClick={() => { setConfirming("recovery"); }}>Reset password…</Button>
      <Button testId="reset-2fa" onClick={() => { setConfirming("reset-2fa"); }}>Reset 2FA…</Button>
      {user.two_factor === "pending_activation" ? (
        <Button testId="show-qr" onClick={showQr}>Show 2FA QR</Button>
      ) : null}
      {user.status === "staged" ? (
        <Button testId="resend-invitation" onClick={() => { setConfirming("invite"); }}>Resend invitation</Button>
      ) : null}
      {message ? (
        <span className={message.error ? "field-error" : "saved"} role="status" data-testid="credential-message">
          {message.text}
        </span>
      ) : null}
      <ConfirmDialog
        open={confirming !== null}
        title={confirming === "reset-2fa" ? "Reset 2FA" : confirming === "recovery" ? "Reset password" : "Resend invitation"}
        message={
          confirming === "reset-2fa"
            ? `Reset two-factor authentication of ${name}? Their current authenticator codes stop working; at the next sign-in they scan a new QR code. They are told by email.`
            : confirming === "recovery"
              ? `Send ${name} a one-time code (valid 24 hours) to choose a new password? Their account is in recovery until they do.`
              : `Send ${name} the new-user message with a one-time code again? The previous code stops working.`
        }
        confirmLabel={confirming === "reset-2fa" ? "Reset 2FA" : "Send"}
        destructive={confirming === "reset-2fa"}
        onCancel={() => {
          setConfirming(null);
        }}
        onConfirm={() => {
          const what = confirming;
          setConfirming(null);
          if (what === "reset-2fa") run(resetTwoFactor([user.id]), "2FA reset: a new QR code is waiting to be scanned.");
          if (what === "recovery") run(startRecovery([user.id]), `Reset code sent to ${user.email}.`);
          if (what === "invite") run(inviteUser(user.id), `Invitation sent to ${user.email}.`);
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
        title={`2FA for ${name}`}
        onClose={() => {
          setQr(null);
        }}
        testId="qr-dialog"
        wide
        footer={
          <Button onClick={() => { window.print(); }}>Print</Button>
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
      title={`Set password for ${user.first_name} ${user.last_name}`}
      onClose={onClose}
      testId="set-password-dialog"
      footer={
        result ? (
          <Button look="primary" onClick={onClose} testId="set-password-done">Done</Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button look="primary" testId="set-password-submit" onClick={submit}>Set password</Button>
          </>
        )
      }
    >
      {result ? (
        <div className="gate-form">
          {result.generated_password ? (
            <SecretOnce label="The new password. Copy it now: it is not shown again." text={result.generated_password} testId="generated-password" />
          ) : (
            <p>The password was set.</p>
          )}
          <p className="muted">{mustChange ? "They must choose their own password when they next sign in." : "They can sign in with it now."}</p>
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
            Generate a strong password (24 characters, shown once)
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
            Type a password
          </label>
          {generate ? null : (
            <Field id="admin_password" label="Password" type="password" field="password" value={password} onChange={setPasswordText} autoComplete="new-password" errors={error?.fields} autoFocus />
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
            Must change at next sign-in
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={notify}
              onChange={(event) => {
                setNotify(event.target.checked);
              }}
            />
            Tell {user.email} by email (the message does not contain the password)
          </label>
          <ErrorBanner message={formMessage(error)} />
        </div>
      )}
    </Dialog>
  );
}
