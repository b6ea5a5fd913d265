import { useCallback, useEffect, useState } from "react";
import { databaseInfo, toCommandError } from "./api";
import type { CommandError } from "./bindings/CommandError";
import type { DatabaseInfo } from "./bindings/DatabaseInfo";
import { formatBackend } from "./users/format";
import { UsersPage } from "./users/UsersPage";

type DatabaseState = { kind: "loading" } | { kind: "ready"; info: DatabaseInfo } | { kind: "error"; error: CommandError };

export function App() {
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Roster</div>
        <ul className="nav">
          <li>
            <a className="nav-item nav-item--active" href="#users" aria-current="page">
              Users
            </a>
          </li>
        </ul>
      </nav>
      <main className="main">
        <UsersPage />
        <StatusBar />
      </main>
    </div>
  );
}

function StatusBar() {
  const [database, setDatabase] = useState<DatabaseState>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    databaseInfo().then(
      (info) => {
        if (current) setDatabase({ kind: "ready", info });
      },
      (reason: unknown) => {
        if (current) setDatabase({ kind: "error", error: toCommandError(reason) });
      },
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  const retry = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);

  return (
    <footer className="status-bar">
      {database.kind === "ready" ? (
        <span data-testid="database" title={database.info.location}>
          {formatBackend(database.info.backend)} · {database.info.location}
        </span>
      ) : database.kind === "error" ? (
        <span data-testid="database" className="status-bar-error" title={database.error.message}>
          Database unavailable: {database.error.message}{" "}
          <button type="button" className="link-button" onClick={retry}>
            Retry
          </button>
        </span>
      ) : (
        <span data-testid="database" className="muted">
          Connecting…
        </span>
      )}
    </footer>
  );
}
