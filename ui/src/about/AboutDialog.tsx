import { useState } from "react";
import licence from "../../../LICENSE?raw";
import { databaseInfo } from "../api";
import type { DatabaseInfo } from "../bindings/DatabaseInfo";
import { Dialog } from "../components/Dialog";
import { formatBackend } from "../users/format";
import thirdParty from "./third-party.json";
import "./about.css";
import { useLoad } from "../components/useLoad";
import { SaveDiagnostics } from "./SaveDiagnostics";
import { Updates } from "./Updates";
import { t } from "../i18n";

interface Component {
  name: string;
  version: string;
  licence: string;
  source: string;
}

/** The version, the database in use, updates, diagnostics for support, Roster's licence and every bundled component's. */
export function AboutDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [info, setInfo] = useState<DatabaseInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useLoad(
    () => (open ? databaseInfo() : null),
    [open],
    setInfo,
    (e) => {
      setError(e.message);
    },
  );

  return (
    <Dialog open={open} title={t("about-title")} onClose={onClose} testId="about-dialog" wide>
      <dl className="about-facts">
        <dt>{t("about-version")}</dt>
        <dd data-testid="about-version">{info ? info.version : error ?? "…"}</dd>
        <dt>{t("about-database")}</dt>
        <dd data-testid="about-database">{info ? `${formatBackend(info.backend)} · ${info.location}` : error ?? "…"}</dd>
        <dt>{t("about-licence")}</dt>
        <dd translate="no">MIT</dd>
      </dl>
      <Updates open={open} />
      <SaveDiagnostics headingLevel={3} />
      <details className="about-section">
        <summary>{t("about-roster-licence")}</summary>
        <pre className="about-licence" translate="no">{licence}</pre>
      </details>
      <details className="about-section" data-testid="about-components">
        <summary>{t("about-components", { crates: thirdParty.crates.length, packages: thirdParty.npm.length })}</summary>
        <ComponentTable caption={t("about-components-crates")} components={thirdParty.crates} />
        <ComponentTable caption={t("about-components-npm")} components={thirdParty.npm} />
      </details>
    </Dialog>
  );
}

function ComponentTable({ caption, components }: { caption: string; components: Component[] }) {
  return (
    <table className="about-components">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("about-component")}</th>
          <th scope="col">{t("about-version")}</th>
          <th scope="col">{t("about-licence")}</th>
          <th scope="col">{t("about-component-source")}</th>
        </tr>
      </thead>
      {/* Package names and licence expressions read the same in every language. */}
      <tbody translate="no">
        {components.map((c) => (
          <tr key={`${c.name}@${c.version}`}>
            <td>{c.name}</td>
            <td>{c.version}</td>
            <td>{c.licence}</td>
            <td className="about-source">{c.source}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
