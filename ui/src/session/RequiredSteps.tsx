import { useEffect, useState, type SyntheticEvent } from "react";
import { activateOwnTwoFactor, changeOwnPassword, ownEnrollment, toCommandError, type AppError } from "../api";
import type { Enrollment } from "../bindings/Enrollment";
import type { Session } from "../bindings/Session";
import { EnrollmentCard } from "./Enrollment";
import { Field } from "./Field";
import { Banner, GateCard } from "./SignInScreen";
import { Button } from "../components/Button";

interface StepProps {
  session: Session;
  onDone: (session: Session) => void;
  onSignOut: () => void;
}

/** Shown when the account must choose a new password before anything else. */
export function ChangePasswordScreen({ session, onDone, onSignOut }: StepProps) {
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<AppError | null>(null);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (password !== repeat) {
      setError({ code: "validation", message: "", fields: [{ field: "repeat_password", message: "the two passwords differ; type the same password twice" }] });
      return;
    }
    changeOwnPassword(null, password).then(onDone, (reason: unknown) => {
      setError(toCommandError(reason));
    });
  };

  return (
    <GateCard title="Choose a new password" subtitle={`${session.display_name}, your administrator asked you to choose your own password.`}>
      <form className="gate-form" onSubmit={submit}>
        <Field
          id="new_password"
          label="New password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          field="password"
          errors={error?.fields}
          autoFocus
          hint="At least 15 characters. A few unrelated words are easy to remember."
        />
        <Field id="repeat_password" label="Repeat the new password" type="password" value={repeat} onChange={setRepeat} autoComplete="new-password" errors={error?.fields} />
        <Banner error={error} />
        <button type="submit" className="button button--primary gate-submit" data-testid="change-password-submit">
          Set password
        </button>
      </form>
      <div className="gate-links">
        <Button look="link" onClick={onSignOut}>Sign out</Button>
      </div>
    </GateCard>
  );
}

/** The activation screen: QR code, key, and the first code from the app. */
export function ActivationScreen({ session, onDone, onSignOut }: StepProps) {
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    ownEnrollment().then(setEnrollment, (reason: unknown) => {
      setError(toCommandError(reason));
    });
  }, []);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    activateOwnTwoFactor(code).then(onDone, (reason: unknown) => {
      setError(toCommandError(reason));
      setCode("");
    });
  };

  return (
    <GateCard title="Set up two-factor authentication" subtitle={`${session.display_name}, add your account to an authenticator app, then enter the code it shows.`}>
      {enrollment ? <EnrollmentCard enrollment={enrollment} /> : null}
      <form className="gate-form" onSubmit={submit}>
        <Field id="activation_code" label="6-digit code" value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" autoFocus />
        <Banner error={error} />
        <button type="submit" className="button button--primary gate-submit" data-testid="activate-submit">
          Activate
        </button>
      </form>
      <div className="gate-links">
        <Button look="link" onClick={onSignOut}>Sign out</Button>
      </div>
    </GateCard>
  );
}
