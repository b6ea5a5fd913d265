import { createContext, useContext } from "react";
import type { Permission } from "../bindings/Permission";
import type { Session } from "../bindings/Session";

export interface SessionValue {
  session: Session;
  signOut: () => void;
  /** Shows the Connect screen; opening another directory there signs out. */
  changeDirectory: () => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside a signed-in session");
  return value;
}

/**
 * Whether the signed-in role has the permission. Only for hiding what the role cannot do:
 * every command checks again in Rust.
 */
export function useCan(): (permission: Permission) => boolean {
  const { session } = useSession();
  return (permission) => session.permissions.includes(permission);
}
