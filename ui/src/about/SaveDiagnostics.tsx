import { useState } from "react";
import { saveDiagnostics, toCommandError } from "../api";
import { Button } from "../components/Button";
import { ErrorBanner } from "../components/ErrorBanner";
import { t } from "../i18n";
import "./about.css";

/**
 * Help → Save diagnostics: one file for whoever supports this office, saved where the
 * admin chooses. It works before anyone signs in too (a directory that will not open is
 * when it is needed most); the directory's part is added for an admin who may see the
 * settings. `headingLevel` follows the heading above it (a screen's h1, a dialog's h2).
 */
export function SaveDiagnostics({ headingLevel }: { headingLevel: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    saveDiagnostics()
      .then(setSaved)
      .catch((reason: unknown) => {
        setError(toCommandError(reason).message);
      })
      .finally(() => {
        setBusy(false);
      });
  };

  return (
    <section className="diagnostics" aria-labelledby="diagnostics-heading" data-testid="diagnostics">
      <Heading id="diagnostics-heading">{t("diagnostics-title")}</Heading>
      <p className="muted">{t("diagnostics-intro")}</p>
      <ErrorBanner message={error} testId="diagnostics-error" />
      <p>
        <Button testId="save-diagnostics" disabled={busy} onClick={save}>
          {busy ? t("diagnostics-saving") : t("diagnostics-save")}
        </Button>
      </p>
      {saved ? (
        <p role="status" data-testid="diagnostics-saved">
          {t("diagnostics-saved", { path: saved })}
        </p>
      ) : null}
    </section>
  );
}
