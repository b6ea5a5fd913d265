import { useEffect, useState } from "react";
import { changeOwnPassword, ownTokens, toCommandError, type AppError } from "../api";
import type { TokenView } from "../bindings/TokenView";
import { Field } from "../session/Field";
import { useSession } from "../session/SessionContext";
import { TokenList } from "../tokens/TokenList";
import "../admin/admin.css";
import { ErrorBanner, formMessage } from "../components/ErrorBanner";

/** Self-service: every signed-in person can change their password and see their tokens. */
export function AccountPage() {
  const { session } = useSession();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tokens, setTokens] = useState<TokenView[] | null>(null);

  useEffect(() => {
    ownTokens().then(setTokens, () => {
      setTokens([]);
    });
  }, []);

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <div className="page-title-row">
          <h1 id="page-title">My account</h1>
        </div>
        <p className="muted">
          {session.display_name} · {session.username} · role {session.role}
        </p>
      </header>
      <div className="settings page-pad">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            changeOwnPassword(current, next).then(
              () => {
                setError(null);
                setCurrent("");
                setNext("");
                setNotice("Your password was changed.");
              },
              (reason: unknown) => {
                setError(toCommandError(reason));
                setNotice(null);
              },
            );
          }}
        >
          <fieldset>
            <legend>Change password</legend>
            <Field id="current_password" label="Current password" type="password" value={current} onChange={setCurrent} autoComplete="current-password" errors={error?.fields} />
            <Field id="account_new_password" label="New password" type="password" field="password" value={next} onChange={setNext} autoComplete="new-password" errors={error?.fields} />
            <ErrorBanner message={formMessage(error)} />
            <div className="details-actions">
              <button type="submit" className="button button--primary">
                Change password
              </button>
              {notice ? <span className="saved">{notice}</span> : null}
            </div>
          </fieldset>
        </form>
        <fieldset>
          <legend>My user tokens</legend>
          {tokens ? <TokenList tokens={tokens} showUser={false} /> : null}
        </fieldset>
      </div>
    </section>
  );
}
