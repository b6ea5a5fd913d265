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
import { formatCount, t } from "../i18n";

export const PERMISSION_LABELS: Record<Permission, string> = {
  view_users: t("roles-permission-view-users"),
  manage_users: t("roles-permission-manage-users"),
  unlock_users: t("roles-permission-unlock-users"),
  manage_groups: t("roles-permission-manage-groups"),
  reset_credentials: t("roles-permission-reset-credentials"),
  view_tokens: t("roles-permission-view-tokens"),
  manage_tokens: t("roles-permission-manage-tokens"),
  view_audit: t("roles-permission-view-audit"),
  view_outbox: t("roles-permission-view-outbox"),
  manage_roles: t("roles-permission-manage-roles"),
  manage_organizations: t("roles-permission-manage-organizations"),
  manage_settings: t("roles-permission-manage-settings"),
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
          <h1 id="page-title">{t("roles-title")}</h1>
          <Button look="primary" testId="new-role" onClick={() => { setEditing("new"); }}>{t("roles-new")}</Button>
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
          empty={t("roles-empty")}
          columns={[
            {
              header: t("roles-column-role"),
              cell: (role) => (
                <>
                  <strong>{role.name}</strong>
                  {role.built_in ? <span className="muted"> · {t("roles-built-in")}</span> : null}
                  <div className="muted">{role.description}</div>
                </>
              ),
            },
            {
              header: t("roles-column-may"),
              cell: (role) =>
                role.permissions.length === 0 ? <span className="muted">{t("roles-self-service-only")}</span> : role.permissions.map((p) => PERMISSION_LABELS[p]).join(", "),
            },
            { header: t("roles-column-users"), align: "numeric", cell: (role) => formatCount(role.user_count) },
            {
              header: t("roles-column-actions"),
              hideHeader: true,
              align: "actions",
              cell: (role) =>
                role.built_in ? null : (
                  <>
                    <Button
                      testId="edit-role"
                      aria-label={t("roles-edit-aria", { name: role.name })}
                      onClick={() => {
                        setEditing(role);
                      }}
                    >
                      {t("common-edit")}
                    </Button>
                    <Button
                      look="danger"
                      aria-label={t("roles-delete-aria", { name: role.name })}
                      onClick={() => {
                        setDeleting(role);
                      }}
                    >
                      {t("common-delete")}
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
        title={t("roles-delete-title")}
        message={t("roles-delete-message", { name: deleting?.name ?? "" })}
        confirmLabel={t("common-delete")}
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
      followConflict(refused.message, readTheirs, t("roles-gone", { name: role.name }), setConflict, setError);
    });
  };

  return (
    <Dialog
      open
      title={role ? t("roles-edit-title", { name: role.name }) : t("roles-new")}
      onClose={onClose}
      testId="role-dialog"
      footer={
        <>
          <Button onClick={onClose}>{t("common-cancel")}</Button>
          <Button look="primary" testId="save-role" onClick={() => { save(); }}>{t("common-save")}</Button>
        </>
      }
    >
      <div className="gate-form">
        {conflict ? <Conflict conflict={conflict} onReload={show} onKeepMine={save} /> : null}
        {role ? null : <Field id="name" label={t("roles-name")} value={name} onChange={setName} errors={error?.fields} autoFocus />}
        <Field id="description" label={t("roles-description")} value={description} onChange={setDescription} errors={error?.fields} />
        <fieldset className="permission-list">
          <legend>{t("roles-may")}</legend>
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
