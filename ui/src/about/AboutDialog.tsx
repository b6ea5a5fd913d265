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
    <Dialog open={open} title="Help and about Roster" onClose={onClose} testId="about-dialog" wide>
      <dl className="about-facts">
        <dt>Version</dt>
        <dd data-testid="about-version">{info ? info.version : error ?? "…"}</dd>
        <dt>Database</dt>
        <dd data-testid="about-database">{info ? `${formatBackend(info.backend)} · ${info.location}` : error ?? "…"}</dd>
        <dt>Licence</dt>
        <dd>MIT</dd>
      </dl>
      <Updates open={open} />
      <SaveDiagnostics headingLevel={3} />
      <details className="about-section">
        <summary>Roster's licence</summary>
        <pre className="about-licence">{licence}</pre>
      </details>
      <details className="about-section" data-testid="about-components">
        <summary>
          Bundled components: {thirdParty.crates.length} Rust crates, {thirdParty.npm.length} npm packages
        </summary>
        <ComponentTable caption="Rust crates" components={thirdParty.crates} />
        <ComponentTable caption="npm packages in the window" components={thirdParty.npm} />
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
          <th scope="col">Component</th>
          <th scope="col">Version</th>
          <th scope="col">Licence</th>
          <th scope="col">Source and licence text</th>
        </tr>
      </thead>
      <tbody>
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
