import { useState } from "react";
import { revokeToken, toCommandError } from "../api";
import type { IssuedToken } from "../bindings/IssuedToken";
import type { TokenView } from "../bindings/TokenView";
import { ConfirmDialog } from "../components/Dialog";
import { formatDateTime } from "../users/format";
import "./tokens.css";
import { Button } from "../components/Button";
import { ErrorBanner } from "../components/ErrorBanner";
import { DataTable } from "../components/DataTable";

const STATE_LABELS: Record<TokenView["state"], string> = { active: "Active", expired: "Expired", revoked: "Revoked" };

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
        rowKey={(t) => t.id}
        rowTestId="token-row"
        empty="No tokens."
        columns={[
          showUser && { header: "User", cell: (t) => t.username },
          { header: "Token", cell: (t) => <span className="mono">{t.display}</span> },
          { header: "Expires", cell: (t) => formatDateTime(t.expires_at) },
          { header: "Days left", align: "numeric", cell: (t) => t.days_left },
          { header: "Last used", cell: (t) => (t.last_used_at ? formatDateTime(t.last_used_at) : <span className="muted">Never</span>) },
          { header: "Status", cell: (t) => <span className={`badge badge--token-${t.state}`}>{STATE_LABELS[t.state]}</span> },
          onChanged && {
            header: "Actions",
            hideHeader: true,
            align: "actions",
            cell: (t) =>
              t.state === "active" ? (
                <Button
                  testId="revoke-token"
                  aria-label={`Revoke ${t.display}`}
                  onClick={() => {
                    setRevoking(t);
                  }}
                >
                  Revoke
                </Button>
              ) : null,
          },
        ]}
      />
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke token"
        message={`Revoke token ${revoking?.display ?? ""} of ${revoking?.username ?? ""}? Devices can no longer enroll with it.`}
        confirmLabel="Revoke"
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
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}

export function IssuedNotice({ issued }: { issued: IssuedToken }) {
  return (
    <SecretOnce
      label={`Token for ${issued.token.username}, valid ${issued.token.days_left} days. Copy it now: it is not shown again.`}
      text={issued.text}
      testId="issued-token"
    />
  );
}
