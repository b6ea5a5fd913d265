import { useCallback, useEffect, useState, type ReactNode } from "react";
import { recordActivity, sessionState, SIGNED_OUT_EVENT, signOut, toCommandError, type AppError } from "../api";
import type { Session } from "../bindings/Session";
import type { SessionState } from "../bindings/SessionState";
import { ConnectScreen } from "./ConnectScreen";
import { ActivationScreen, ChangePasswordScreen } from "./RequiredSteps";
import { SessionContext } from "./SessionContext";
import { FirstOwnerScreen, SignInScreen } from "./SignInScreen";
import "./session.css";
import { ErrorBanner } from "../components/ErrorBanner";

/** What counts as the person using the window; reloads the app makes by itself do not. */
const INPUT_EVENTS = ["keydown", "pointerdown", "wheel", "touchstart"] as const;
/** Input is reported at most this often: the idle time is counted in minutes. */
const ACTIVITY_REPORT_MS = 30_000;

/**
 * Nothing of the console shows before sign-in. A signed-in person first completes what
 * they must (a new password, activating 2FA), then gets the console.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The Connect screen, asked for from the sign-in screen or the status bar.
  const [connecting, setConnecting] = useState(false);

  const load = useCallback(() => {
    sessionState().then(
      (s) => {
        setState(s);
        setError(null);
      },
      (reason: unknown) => {
        setError(toCommandError(reason));
      },
    );
  }, []);

  const changeDirectory = useCallback(() => {
    setConnecting(true);
  }, []);

  const opened = useCallback(() => {
    setConnecting(false);
    setNotice(null);
    setState(null);
    load();
  }, [load]);

  useEffect(load, [load]);

  useEffect(() => {
    const onSignedOut = (event: Event) => {
      const message = event instanceof CustomEvent && typeof event.detail === "string" ? event.detail : null;
      setNotice(message);
      setState((s) => (s ? { ...s, session: null } : s));
    };
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => {
      window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
    };
  }, []);

  // Only the person's own input keeps a session from ending after the idle time.
  const signedIn = state?.session != null;
  useEffect(() => {
    if (!signedIn) return;
    let reported = Date.now();
    const onInput = () => {
      const now = Date.now();
      if (now - reported < ACTIVITY_REPORT_MS) return;
      reported = now;
      // A refusal (the session already ended) signs the window out through api.ts.
      recordActivity().catch(() => undefined);
    };
    for (const type of INPUT_EVENTS) window.addEventListener(type, onInput, { capture: true, passive: true });
    return () => {
      for (const type of INPUT_EVENTS) window.removeEventListener(type, onInput, { capture: true });
    };
  }, [signedIn]);

  const enter = useCallback((session: Session) => {
    setNotice(null);
    setState((s) => (s ? { session, welcome: { ...s.welcome, needs_first_owner: false } } : s));
  }, []);

  const leave = useCallback(() => {
    void signOut().finally(() => {
      setNotice(null);
      load();
    });
  }, [load]);

  // No directory could be opened: choosing another is the way on.
  if (error?.code === "database" || connecting) {
    return (
      <ConnectScreen
        problem={connecting ? null : (error?.message ?? null)}
        onOpened={opened}
        onBack={
          connecting
            ? () => {
                setConnecting(false);
              }
            : null
        }
      />
    );
  }
  if (error) {
    return (
      <div className="gate">
        <main className="gate-card">
          <h1>Roster</h1>
          <ErrorBanner message={error.message} />
        </main>
      </div>
    );
  }
  if (!state) return <div className="gate" />;
  const session = state.session;
  if (!session) {
    return state.welcome.needs_first_owner ? (
      <FirstOwnerScreen organization={state.welcome.organization_name} onSignedIn={enter} onChangeDirectory={changeDirectory} />
    ) : (
      <SignInScreen organization={state.welcome.organization_name} notice={notice} onSignedIn={enter} onChangeDirectory={changeDirectory} />
    );
  }
  if (session.stage === "must_change_password") return <ChangePasswordScreen session={session} onDone={enter} onSignOut={leave} />;
  if (session.stage === "must_activate_two_factor") return <ActivationScreen session={session} onDone={enter} onSignOut={leave} />;
  return <SessionContext.Provider value={{ session, signOut: leave, changeDirectory }}>{children}</SessionContext.Provider>;
}
