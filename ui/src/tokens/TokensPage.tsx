import { useState } from "react";
import { listTokens } from "../api";
import type { TokenQuery } from "../bindings/TokenQuery";
import type { TokenView } from "../bindings/TokenView";
import { useCan } from "../session/SessionContext";
import { TokenList } from "./TokenList";
import { useLoad } from "../components/useLoad";
import { ErrorBanner } from "../components/ErrorBanner";
import { t } from "../i18n";

type Show = "all" | "expiring" | "active" | "expired" | "revoked";

/** The query for what is shown; `organization` is the switcher's choice (`null`: all). */
function queryOf(show: Show, days: number, organization: string | null): TokenQuery {
  switch (show) {
    case "expiring":
      return { user: null, state: null, expiring_within_days: days, organization };
    case "all":
      return { user: null, state: null, expiring_within_days: null, organization };
    default:
      return { user: null, state: show, expiring_within_days: null, organization };
  }
}

/** User tokens across all users: what expires soon, what expired, what was revoked. */
export function TokensPage({ dataVersion, organization }: { dataVersion: number; organization: string | null }) {
  const can = useCan();
  const [show, setShow] = useState<Show>("expiring");
  const [days, setDays] = useState(30);
  const [tokens, setTokens] = useState<TokenView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useLoad(
    () => listTokens(queryOf(show, days, organization)),
    [show, days, version, dataVersion, organization],
    (found) => {
      setTokens(found);
      setError(null);
    },
    (e) => {
      setError(e.message);
    },
  );

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <div className="page-title-row">
          <h1 id="page-title">{t("tokens-title")}</h1>
        </div>
        <div className="inline-form">
          <div className="form-field">
            <label htmlFor="token-show">{t("tokens-show")}</label>
            <select
              id="token-show"
              data-testid="token-show"
              value={show}
              onChange={(event) => {
                setShow(event.target.value as Show);
              }}
            >
              <option value="expiring">{t("tokens-show-expiring")}</option>
              <option value="active">{t("tokens-show-active")}</option>
              <option value="expired">{t("tokens-show-expired")}</option>
              <option value="revoked">{t("tokens-show-revoked")}</option>
              <option value="all">{t("tokens-show-all")}</option>
            </select>
          </div>
          {show === "expiring" ? (
            <div className="form-field">
              <label htmlFor="token-days">{t("tokens-within-days")}</label>
              <input
                id="token-days"
                type="number"
                min={1}
                max={3650}
                value={days}
                onChange={(event) => {
                  setDays(Math.max(1, Math.min(3650, Number(event.target.value) || 1)));
                }}
              />
            </div>
          ) : null}
          <p className="count">{tokens ? t("tokens-count", { count: tokens.length }) : ""}</p>
        </div>
      </header>
      <div className="page-pad">
        <ErrorBanner message={error} />
        {tokens ? (
          <TokenList
            tokens={tokens}
            showUser
            onChanged={
              can("manage_tokens")
                ? () => {
                    setVersion((v) => v + 1);
                  }
                : undefined
            }
          />
        ) : null}
      </div>
    </section>
  );
}
