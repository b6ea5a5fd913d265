import { useEffect, useState } from "react";
import { issueToken, listTokens, toCommandError } from "../api";
import type { IssuedToken } from "../bindings/IssuedToken";
import type { TokenView } from "../bindings/TokenView";
import { IssuedNotice, TokenList } from "../tokens/TokenList";
import type { User } from "../bindings/User";
import { Button } from "../components/Button";
import { ErrorBanner } from "../components/ErrorBanner";
import { t } from "../i18n";

export function TokensTab({ user, canIssue, canView }: { user: User; canIssue: boolean; canView: boolean }) {
  const [tokens, setTokens] = useState<TokenView[] | null>(null);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [days, setDays] = useState(720);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!canView) return;
    listTokens({ user: user.id, state: null, expiring_within_days: null, organization: null }).then(setTokens, (reason: unknown) => {
      setError(toCommandError(reason).message);
    });
  }, [user.id, canView, version]);

  return (
    <div>
      {canIssue ? (
        <div className="inline-form">
          <div className="form-field">
            <label htmlFor="token-days">{t("details-token-days")}</label>
            <input
              id="token-days"
              data-testid="token-days"
              type="number"
              min={1}
              max={3650}
              value={days}
              onChange={(event) => {
                setDays(Number(event.target.value) || 0);
              }}
            />
          </div>
          <Button
            look="primary"
            testId="issue-token"
            onClick={() => {
              issueToken(user.id, days).then(
                (token) => {
                  setIssued(token);
                  setError(null);
                  setVersion((v) => v + 1);
                },
                (reason: unknown) => {
                  setError(toCommandError(reason).message);
                },
              );
            }}
          >
            {t("details-issue-token")}
          </Button>
        </div>
      ) : null}
      {issued ? <IssuedNotice issued={issued} /> : null}
      <ErrorBanner message={error} />
      {tokens ? (
        <TokenList
          tokens={tokens}
          showUser={false}
          onChanged={
            canIssue
              ? () => {
                  setVersion((v) => v + 1);
                }
              : undefined
          }
        />
      ) : null}
    </div>
  );
}
