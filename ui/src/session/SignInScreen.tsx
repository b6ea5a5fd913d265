import { useState, type SyntheticEvent, type ReactNode } from "react";
import { createFirstOwner, databaseInfo, redeemCode, signIn, toCommandError, type AppError } from "../api";
import type { Session } from "../bindings/Session";
import { Field } from "./Field";
import { Button } from "../components/Button";
import { useLoad } from "../components/useLoad";
import type { DatabaseInfo } from "../bindings/DatabaseInfo";
import { useDocumentTitle } from "./useDocumentTitle";
import { ErrorBanner } from "../components/ErrorBanner";
import { t } from "../i18n";

type Mode = "password" | "code" | "redeem";

function GateCard({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  return (
    <div className="gate">
      <main className="gate-card" data-testid="gate">
        <div className="gate-brand">Roster</div>
        <h1>{title}</h1>
        {subtitle ? <p className="muted">{subtitle}</p> : null}
        {children}
      </main>
    </div>
  );
}

/** Which directory this sign-in is for, and the way to another. */
function DirectoryLine({ onChange }: { onChange: () => void }) {
  const [info, setInfo] = useState<DatabaseInfo | null>(null);
  useLoad(() => databaseInfo(), [], setInfo, () => undefined);
  useDocumentTitle(info);
  return (
    <p className="gate-directory muted" data-testid="gate-directory">
      <span title={info?.location}>{t("signin-directory", { location: info ? info.location : "…" })}</span>{" "}
      <Button look="link" testId="change-directory" onClick={onChange}>
        {t("signin-change-directory")}
      </Button>
    </p>
  );
}

function Banner({ error }: { error: AppError | null }) {
  if (!error || error.fields.length > 0) return null;
  // The backend's messages are phrased to follow "roster: " on a command line.
  const sentence = error.message.charAt(0).toUpperCase() + error.message.slice(1) + ".";
  return <ErrorBanner message={sentence} testId="sign-in-error" />;
}

export function SignInScreen({
  organization,
  notice,
  onSignedIn,
  onChangeDirectory,
}: {
  organization: string;
  notice: string | null;
  onSignedIn: (session: Session) => void;
  onChangeDirectory: () => void;
}) {
  const [mode, setMode] = useState<Mode>("password");
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    const work =
      mode === "redeem"
        ? redeemCode({ login, code, new_password: newPassword }).then(() => {
            setDone(t("signin-password-set"));
            setMode("password");
            setPassword("");
            setCode("");
            setNewPassword("");
            setError(null);
          })
        : signIn({ login, password, code: mode === "code" ? code : null }).then(onSignedIn);
    work
      .catch((reason: unknown) => {
        const e = toCommandError(reason);
        if (e.code === "second_factor_required") {
          setMode("code");
          setError(null);
        } else {
          setError(e);
          if (e.code === "bad_code") setCode("");
        }
      })
      .finally(() => {
        setBusy(false);
      });
  };

  const title = mode === "redeem" ? t("signin-title-redeem") : mode === "code" ? t("signin-title-code") : t("signin-title", { organization });
  return (
    <GateCard title={title}>
      {notice && mode === "password" ? (
        <p className="gate-notice" role="status" data-testid="signed-out-notice">
          {notice.charAt(0).toUpperCase() + notice.slice(1)}
        </p>
      ) : null}
      {done ? (
        <p className="gate-notice" role="status" data-testid="sign-in-done">
          {done}
        </p>
      ) : null}
      <form className="gate-form" onSubmit={submit}>
        {mode !== "code" ? (
          <Field id="login" label={t("signin-login")} value={login} onChange={setLogin} autoComplete="username" errors={error?.fields} autoFocus />
        ) : (
          <p className="muted">{t("signin-code-prompt", { login })}</p>
        )}
        {mode === "password" ? (
          <Field id="password" label={t("signin-password")} type="password" value={password} onChange={setPassword} autoComplete="current-password" errors={error?.fields} />
        ) : null}
        {mode === "code" ? (
          <Field id="totp" label={t("signin-authentication-code")} value={code} onChange={setCode} autoComplete="one-time-code" inputMode="numeric" autoFocus errors={error?.fields} />
        ) : null}
        {mode === "redeem" ? (
          <>
            <Field id="code" label={t("signin-one-time-code")} value={code} onChange={setCode} hint={t("signin-one-time-code-hint")} errors={error?.fields} />
            <Field
              id="new_password"
              label={t("signin-new-password")}
              type="password"
              value={newPassword}
              onChange={setNewPassword}
              autoComplete="new-password"
              field="password"
              hint={t("signin-password-hint")}
              errors={error?.fields}
            />
          </>
        ) : null}
        <Banner error={error} />
        <button type="submit" className="button button--primary gate-submit" data-testid="sign-in-submit" disabled={busy}>
          {mode === "redeem" ? t("signin-set-password") : mode === "code" ? t("signin-verify") : t("signin-submit")}
        </button>
      </form>
      <div className="gate-links">
        {mode === "password" ? (
          <Button
            look="link"
            testId="have-code"
            onClick={() => {
              setMode("redeem");
              setError(null);
              setDone(null);
            }}
          >
            {t("signin-have-code")}
          </Button>
        ) : (
          <Button
            look="link"
            onClick={() => {
              setMode("password");
              setError(null);
              setCode("");
            }}
          >
            {t("signin-back")}
          </Button>
        )}
      </div>
      <DirectoryLine onChange={onChangeDirectory} />
    </GateCard>
  );
}

export function FirstOwnerScreen({ organization, onSignedIn, onChangeDirectory }: { organization: string; onSignedIn: (session: Session) => void; onChangeDirectory: () => void }) {
  const [first, setFirst] = useState("");
  const [last, setLast] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    createFirstOwner({
      user: {
        email,
        first_name: first,
        last_name: last,
        username: null,
        phone: null,
        role: null,
        status: null,
        organization: null,
        team: null,
        tags: [],
        identity_provider: null,
        profile: {},
        manager: null,
        attributes: {},
      },
      password,
    })
      .then(onSignedIn)
      .catch((reason: unknown) => {
        setError(toCommandError(reason));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <GateCard title={t("signin-first-owner-title")} subtitle={t("signin-first-owner-subtitle", { organization })}>
      <form className="gate-form" onSubmit={submit}>
        <Field id="first_name" label={t("signin-first-name")} value={first} onChange={setFirst} errors={error?.fields} autoFocus />
        <Field id="last_name" label={t("signin-last-name")} value={last} onChange={setLast} errors={error?.fields} />
        <Field id="email" label={t("signin-email")} type="email" value={email} onChange={setEmail} errors={error?.fields} hint={t("signin-email-hint")} />
        <Field
          id="owner_password"
          label={t("signin-password")}
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          field="password"
          errors={error?.fields}
          hint={t("signin-password-hint")}
        />
        <Banner error={error} />
        <button type="submit" className="button button--primary gate-submit" data-testid="create-owner" disabled={busy}>
          {t("signin-create-owner")}
        </button>
      </form>
      <DirectoryLine onChange={onChangeDirectory} />
    </GateCard>
  );
}

export { GateCard, Banner };
