import { useEffect, useState } from "react";
import { deleteRole, listRoles, saveRole, toCommandError, type AppError } from "../api";
import type { Permission } from "../bindings/Permission";
import type { Role } from "../bindings/Role";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { Field } from "../session/Field";
import "../tokens/tokens.css";
import { Button } from "../components/Button";
import { Conflict, followConflict, keepMine, type ConflictState } from "../components/Conflict";
import { ErrorBanner, formMessage } from "../components/ErrorBanner";
import { DataTable } from "../components/DataTable";

export const PERMISSION_LABELS: Record<Permission, string> = {
  view_users: "View users and groups",
  manage_users: "Create, edit, suspend, lock and delete users",
  unlock_users: "Unlock accounts",
  manage_groups: "Manage groups",
  reset_credentials: "Reset passwords and 2FA",
  view_tokens: "View user tokens",
  manage_tokens: "Issue and revoke user tokens",
  view_audit: "Read the audit trail",
  view_outbox: "Read the outbox",
  manage_roles: "Manage roles",
  manage_organizations: "Create, rename and delete organizations",
  manage_settings: "Change settings",
};

const ALL_PERMISSIONS = Object.keys(PERMISSION_LABELS) as Permission[];

/** Built-in roles and custom roles (named permission sets). */
export function RolesPage() {
  const [roles, setRoles] = useState<Role[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Role | "new" | null>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    listRoles().then(setRoles, (reason: unknown) => {
      setError(toCommandError(reason).message);
    });
  }, [version]);

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <div className="page-title-row">
          <h1 id="page-title">Roles</h1>
          <Button look="primary" testId="new-role" onClick={() => { setEditing("new"); }}>New role</Button>
        </div>
      </header>
      <div className="page-pad">
        <ErrorBanner message={error} />
        <DataTable
          look="inline"
          testId="roles-table"
          rows={roles}
          rowKey={(role) => role.name}
          rowTestId="role-row"
          rowData={(role) => ({ "data-role-name": role.name })}
          empty="No roles."
          columns={[
            {
              header: "Role",
              cell: (role) => (
                <>
                  <strong>{role.name}</strong>
                  {role.built_in ? <span className="muted"> · built in</span> : null}
                  <div className="muted">{role.description}</div>
                </>
              ),
            },
            {
              header: "May",
              cell: (role) =>
                role.permissions.length === 0 ? <span className="muted">Self-service only</span> : role.permissions.map((p) => PERMISSION_LABELS[p]).join(", "),
            },
            { header: "Users", align: "numeric", cell: (role) => role.user_count },
            {
              header: "Actions",
              hideHeader: true,
              align: "actions",
              cell: (role) =>
                role.built_in ? null : (
                  <>
                    <Button
                      testId="edit-role"
                      aria-label={`Edit ${role.name}`}
                      onClick={() => {
                        setEditing(role);
                      }}
                    >
                      Edit
                    </Button>
                    <Button
                      look="danger"
                      aria-label={`Delete ${role.name}`}
                      onClick={() => {
                        setDeleting(role);
                      }}
                    >
                      Delete
                    </Button>
                  </>
                ),
            },
          ]}
        />
      </div>
      {editing !== null ? (
        <RoleDialog
          role={editing === "new" ? null : editing}
          onClose={() => {
            setEditing(null);
          }}
          onSaved={() => {
            setEditing(null);
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete role"
        message={`Delete the role ${deleting?.name ?? ""}?`}
        confirmLabel="Delete"
        destructive
        onCancel={() => {
          setDeleting(null);
        }}
        onConfirm={() => {
          const role = deleting;
          setDeleting(null);
          if (!role) return;
          deleteRole(role.name).then(
            () => {
              setError(null);
              setVersion((v) => v + 1);
            },
            (reason: unknown) => {
              setError(toCommandError(reason).message);
            },
          );
        }}
      />
    </section>
  );
}

/** The fields of a role the dialog edits, permissions in the dialog's order. */
function formOf(role: Pick<Role, "description" | "permissions">) {
  return { description: role.description, permissions: ALL_PERMISSIONS.filter((p) => role.permissions.includes(p)) };
}

function RoleDialog({ role, onClose, onSaved }: { role: Role | null; onClose: () => void; onSaved: () => void }) {
  /** The role as the dialog opened it (or last reloaded it): only the fields changed since are saved over another version. */
  const [opened, setOpened] = useState<Role | null>(role);
  const [name, setName] = useState(role?.name ?? "");
  const [description, setDescription] = useState(role?.description ?? "");
  const [permissions, setPermissions] = useState<ReadonlySet<Permission>>(new Set(role?.permissions ?? ["view_users"]));
  const [error, setError] = useState<AppError | null>(null);
  /** A save refused over another admin's change, and their version once read. */
  const [conflict, setConflict] = useState<ConflictState<Role> | null>(null);

  const show = (current: Role) => {
    setOpened(current);
    setDescription(current.description);
    setPermissions(new Set(current.permissions));
    setConflict(null);
    setError(null);
  };

  /** Saves over `over`, the version the changes are laid on. */
  const save = (over: Role | null = opened) => {
    const mine = formOf({ description, permissions: [...permissions] });
    const fields = opened && over ? keepMine(formOf(opened), mine, formOf(over)) : mine;
    saveRole({ name, ...fields, version: over?.version ?? null }).then(onSaved, (reason: unknown) => {
      const refused = toCommandError(reason);
      if (refused.code !== "version_conflict" || !role) {
        setError(refused);
        return;
      }
      setError(null);
      const readTheirs = () => listRoles().then((roles) => roles.find((r) => r.name === role.name));
      followConflict(refused.message, readTheirs, `role '${role.name}' no longer exists`, setConflict, setError);
    });
  };

  return (
    <Dialog
      open
      title={role ? `Edit role ${role.name}` : "New role"}
      onClose={onClose}
      testId="role-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button look="primary" testId="save-role" onClick={() => { save(); }}>Save</Button>
        </>
      }
    >
      <div className="gate-form">
        {conflict ? <Conflict conflict={conflict} onReload={show} onKeepMine={save} /> : null}
        {role ? null : <Field id="name" label="Name" value={name} onChange={setName} errors={error?.fields} autoFocus />}
        <Field id="description" label="Description" value={description} onChange={setDescription} errors={error?.fields} />
        <fieldset className="permission-list">
          <legend>May</legend>
          {ALL_PERMISSIONS.map((p) => (
            <label key={p} className="check">
              <input
                type="checkbox"
                data-testid={`permission-${p}`}
                checked={permissions.has(p)}
                onChange={(event) => {
                  const next = new Set(permissions);
                  if (event.target.checked) next.add(p);
                  else next.delete(p);
                  setPermissions(next);
                }}
              />
              {PERMISSION_LABELS[p]}
            </label>
          ))}
        </fieldset>
        <ErrorBanner message={formMessage(error)} />
      </div>
    </Dialog>
  );
}
