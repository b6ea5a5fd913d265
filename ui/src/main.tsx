import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { setWindowLanguage } from "./api";
import { language } from "./i18n";
import { SessionGate } from "./session/SessionGate";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html is missing #root");

// What Rust shows itself (the OS file dialogs) speaks the window's language.
setWindowLanguage(language).catch(() => undefined);

createRoot(root).render(
  <StrictMode>
    <SessionGate>
      <App />
    </SessionGate>
  </StrictMode>,
);
