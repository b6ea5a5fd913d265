import type { ReactNode } from "react";
import type { SortField } from "../bindings/SortField";
import type { User } from "../bindings/User";
import { STATUS_HINTS, STATUS_LABELS, TWO_FACTOR_LABELS, formatDate, formatDateTime } from "./format";

export interface Column {
  /** Also the `data-col` attribute and the backend sort field. */
  id: SortField;
  label: string;
  render: (user: User) => ReactNode;
  /** Text shown on hover when the cell may be truncated. */
  title?: (user: User) => string;
}

function optional(value: string | null, placeholder: string): ReactNode {
  return value ?? <span className="muted">{placeholder}</span>;
}

export const COLUMNS: readonly Column[] = [
  { id: "first_name", label: "First name", render: (u) => u.first_name, title: (u) => u.first_name },
  { id: "last_name", label: "Last name", render: (u) => u.last_name, title: (u) => u.last_name },
  { id: "username", label: "Username", render: (u) => u.username, title: (u) => u.username },
  { id: "email", label: "Email", render: (u) => u.email, title: (u) => u.email },
  {
    id: "status",
    label: "Status",
    render: (u) => (
      <span className={`badge badge--${u.status}`} title={STATUS_HINTS[u.status]}>
        {STATUS_LABELS[u.status]}
      </span>
    ),
  },
  {
    id: "two_factor",
    label: "2FA",
    render: (u) => <span className={`tfa tfa--${u.two_factor}`}>{TWO_FACTOR_LABELS[u.two_factor]}</span>,
  },
  { id: "role", label: "Role", render: (u) => u.role, title: (u) => u.role },
  { id: "organization", label: "Organization", render: (u) => optional(u.organization, "None"), title: (u) => u.organization ?? "" },
  { id: "team", label: "Team", render: (u) => optional(u.team, "Unassigned"), title: (u) => u.team ?? "" },
  { id: "created_at", label: "Created", render: (u) => formatDate(u.created_at), title: (u) => formatDateTime(u.created_at) },
];
