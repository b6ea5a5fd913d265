import { useEffect, useState } from "react";
import { changeOwnPassword, ownTokens, toCommandError, type AppError } from "../api";
import type { TokenView } from "../bindings/TokenView";
import { Field } from "../session/Field";
import { useSession } from "../session/SessionContext";
import { TokenList } from "../tokens/TokenList";
import "../admin/admin.css";
import { ErrorBanner, formMessage } from "../components/ErrorBanner";
import { chooseLanguage, chosenLanguage, language, languages, t } from "../i18n";

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
          <h1 id="page-title">{t("account-title")}</h1>
        </div>
        <p className="muted">
          {t("account-identity", { name: session.display_name, username: session.username, role: session.role })}
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
                setNotice(t("account-password-changed"));
              },
              (reason: unknown) => {
                setError(toCommandError(reason));
                setNotice(null);
              },
            );
          }}
        >
          <fieldset>
            <legend>{t("account-change-password-legend")}</legend>
            <Field id="current_password" label={t("account-current-password")} type="password" value={current} onChange={setCurrent} autoComplete="current-password" errors={error?.fields} />
            <Field id="account_new_password" label={t("account-new-password")} type="password" field="password" value={next} onChange={setNext} autoComplete="new-password" errors={error?.fields} />
            <ErrorBanner message={formMessage(error)} />
            <div className="details-actions">
              <button type="submit" className="button button--primary">
                {t("account-change-password")}
              </button>
              {notice ? <span className="saved">{notice}</span> : null}
            </div>
          </fieldset>
        </form>
        <LanguageChoice />
        <fieldset>
          <legend>{t("account-tokens-legend")}</legend>
          {tokens ? <TokenList tokens={tokens} showUser={false} /> : null}
        </fieldset>
      </div>
    </section>
  );
}

/** The window's language on this workstation: the system's unless someone chooses another. */
function LanguageChoice() {
  const spoken = languages();
  const systems = spoken.find((l) => l.code === language)?.name ?? language;
  return (
    <fieldset>
      <legend>{t("account-language-legend")}</legend>
      <div className="form-field">
        <label htmlFor="language">{t("account-language")}</label>
        <select
          id="language"
          data-testid="language"
          value={chosenLanguage ?? ""}
          onChange={(event) => {
            chooseLanguage(event.target.value || null);
          }}
        >
          <option value="">{chosenLanguage ? t("account-language-system") : t("account-language-system-now", { language: systems })}</option>
          {spoken.map((l) => (
            <option key={l.code} value={l.code} lang={l.code}>
              {l.name}
            </option>
          ))}
        </select>
        <p className="form-note">{t("account-language-hint")}</p>
      </div>
    </fieldset>
  );
}
