import { useState } from "react";
import { revokeToken, toCommandError } from "../api";
import type { IssuedToken } from "../bindings/IssuedToken";
import type { TokenView } from "../bindings/TokenView";
import { ConfirmDialog } from "../components/Dialog";
import { formatDateTime, t } from "../i18n";
import "./tokens.css";
import { Button } from "../components/Button";
import { ErrorBanner } from "../components/ErrorBanner";
import { DataTable } from "../components/DataTable";

const STATE_LABELS: Record<TokenView["state"], string> = {
  active: t("tokens-state-active"),
  expired: t("tokens-state-expired"),
  revoked: t("tokens-state-revoked"),
};

/** A table of tokens; with `onChanged`, each active one can be revoked (after confirmation). */
export function TokenList({ tokens, showUser, onChanged }: { tokens: TokenView[]; showUser: boolean; onChanged?: (() => void) | undefined }) {
  const [revoking, setRevoking] = useState<TokenView | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <ErrorBanner message={error} />
      <DataTable
        look="inline"
        testId="token-table"
        rows={tokens}
        rowKey={(token) => token.id}
        rowTestId="token-row"
        empty={t("tokens-empty")}
        columns={[
          showUser && { header: t("tokens-column-user"), cell: (token) => token.username },
          { header: t("tokens-column-token"), cell: (token) => <span className="mono">{token.display}</span> },
          { header: t("tokens-column-expires"), cell: (token) => <time dateTime={token.expires_at}>{formatDateTime(token.expires_at)}</time> },
          { header: t("tokens-column-days-left"), align: "numeric", cell: (token) => token.days_left },
          {
            header: t("tokens-column-last-used"),
            cell: (token) =>
              token.last_used_at ? <time dateTime={token.last_used_at}>{formatDateTime(token.last_used_at)}</time> : <span className="muted">{t("tokens-never-used")}</span>,
          },
          { header: t("tokens-column-status"), cell: (token) => <span className={`badge badge--token-${token.state}`}>{STATE_LABELS[token.state]}</span> },
          onChanged && {
            header: t("tokens-column-actions"),
            hideHeader: true,
            align: "actions",
            cell: (token) =>
              token.state === "active" ? (
                <Button
                  testId="revoke-token"
                  aria-label={t("tokens-revoke-label", { token: token.display })}
                  onClick={() => {
                    setRevoking(token);
                  }}
                >
                  {t("tokens-revoke")}
                </Button>
              ) : null,
          },
        ]}
      />
      <ConfirmDialog
        open={revoking !== null}
        title={t("tokens-revoke-title")}
        message={t("tokens-revoke-confirm", { token: revoking?.display ?? "", user: revoking?.username ?? "" })}
        confirmLabel={t("tokens-revoke")}
        destructive
        onCancel={() => {
          setRevoking(null);
        }}
        onConfirm={() => {
          const token = revoking;
          setRevoking(null);
          if (!token) return;
          revokeToken(token.id).then(
            () => {
              setError(null);
              onChanged?.();
            },
            (reason: unknown) => {
              setError(toCommandError(reason).message);
            },
          );
        }}
      />
    </>
  );
}

/** The text of a token or password, shown once, with a copy button. */
export function SecretOnce({ label, text, testId }: { label: string; text: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div>
      <p className="muted">{label}</p>
      <div className="secret-box">
        <span data-testid={testId}>{text}</span>
        <Button
          onClick={() => {
            void navigator.clipboard.writeText(text).then(() => {
              setCopied(true);
            });
          }}
        >
          {copied ? t("common-copied") : t("common-copy")}
        </Button>
      </div>
    </div>
  );
}

export function IssuedNotice({ issued }: { issued: IssuedToken }) {
  return (
    <SecretOnce
      label={t("tokens-issued", { user: issued.token.username, days: issued.token.days_left })}
      text={issued.text}
      testId="issued-token"
    />
  );
}
