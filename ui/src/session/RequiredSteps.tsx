import { useEffect, useState, type SyntheticEvent } from "react";
import { activateOwnTwoFactor, changeOwnPassword, fieldProblem, ownEnrollment, toCommandError, type AppError } from "../api";
import type { Enrollment } from "../bindings/Enrollment";
import type { Session } from "../bindings/Session";
import { EnrollmentCard } from "./Enrollment";
import { Field } from "./Field";
import { Banner, GateCard } from "./SignInScreen";
import { Button } from "../components/Button";
import { t } from "../i18n";

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
      setError({ code: "validation", message: "", fields: [fieldProblem("repeat_password", t("signin-passwords-differ"))] });
      return;
    }
    changeOwnPassword(null, password).then(onDone, (reason: unknown) => {
      setError(toCommandError(reason));
    });
  };

  return (
    <GateCard title={t("signin-change-password-title")} subtitle={t("signin-change-password-subtitle", { name: session.display_name })}>
      <form className="gate-form" onSubmit={submit}>
        <Field
          id="new_password"
          label={t("signin-new-password")}
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          field="password"
          errors={error?.fields}
          autoFocus
          hint={t("signin-password-hint")}
        />
        <Field id="repeat_password" label={t("signin-repeat-password")} type="password" value={repeat} onChange={setRepeat} autoComplete="new-password" errors={error?.fields} />
        <Banner error={error} />
        <button type="submit" className="button button--primary gate-submit" data-testid="change-password-submit">
          {t("signin-set-password")}
        </button>
      </form>
      <div className="gate-links">
        <Button look="link" onClick={onSignOut}>{t("signin-sign-out")}</Button>
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
    <GateCard title={t("signin-activate-title")} subtitle={t("signin-activate-subtitle", { name: session.display_name })}>
      {enrollment ? <EnrollmentCard enrollment={enrollment} /> : null}
      <form className="gate-form" onSubmit={submit}>
        <Field id="activation_code" label={t("signin-activation-code")} value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" autoFocus />
        <Banner error={error} />
        <button type="submit" className="button button--primary gate-submit" data-testid="activate-submit">
          {t("signin-activate")}
        </button>
      </form>
      <div className="gate-links">
        <Button look="link" onClick={onSignOut}>{t("signin-sign-out")}</Button>
      </div>
    </GateCard>
  );
}
