import { useState } from "react";
import { createOrganization, deleteOrganization, listOrganizations, renameOrganization, toCommandError } from "../api";
import type { Organization } from "../bindings/Organization";
import { useCan } from "../session/SessionContext";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { useLoad } from "../components/useLoad";
import { Button } from "../components/Button";
import { formatCount, formatDate } from "../users/format";
import "../groups/groups.css";
import { DataTable } from "../components/DataTable";
import { ErrorBanner } from "../components/ErrorBanner";

export interface OrganizationsPageProps {
  dataVersion: number;
  onChanged: () => void;
}

/** The organization being created (id null) or renamed. */
interface Editing {
  id: number | null;
  name: string;
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "12 users and 2 groups": what belongs to an organization, or names it. */
function belonging(org: Organization): string {
  const parts = [];
  if (org.users > 0 || org.groups + org.devices + org.accounts === 0) parts.push(plural(org.users, "user", "users"));
  if (org.groups > 0) parts.push(plural(org.groups, "group", "groups"));
  if (org.devices > 0) parts.push(plural(org.devices, "device", "devices"));
  if (org.accounts > 0) parts.push(plural(org.accounts, "console account limited to it", "console accounts limited to it"));
  return parts.join(" and ");
}

/** The customers or sites users and groups belong to, with how many of each. */
export function OrganizationsPage({ dataVersion, onChanged }: OrganizationsPageProps) {
  const manage = useCan()("manage_organizations");
  const [organizations, setOrganizations] = useState<Organization[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Organization | null>(null);
  /** Where the deleted organization's users and groups go (an organization's id, as text). */
  const [moveTo, setMoveTo] = useState("");
  const [version, setVersion] = useState(0);

  useLoad(
    () => listOrganizations(),
    [dataVersion, version],
    (list) => {
      setOrganizations(list);
      setError(null);
    },
    (e) => {
      setError(e.message);
    },
  );

  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };

  const edit = (next: Editing | null) => {
    setEditing(next);
    setEditError(null);
  };

  const save = () => {
    if (!editing) return;
    const work = editing.id === null ? createOrganization(editing.name) : renameOrganization(editing.id, editing.name);
    work.then(
      () => {
        edit(null);
        changed();
      },
      (reason: unknown) => {
        setEditError(toCommandError(reason).message);
      },
    );
  };

  const startDelete = (org: Organization) => {
    setDeleting(org);
    setMoveTo("");
  };

  const confirmDelete = () => {
    if (!deleting) return;
    deleteOrganization(deleting.id, moveTo === "" ? null : Number(moveTo)).then(
      () => {
        setDeleting(null);
        changed();
      },
      (reason: unknown) => {
        setDeleting(null);
        setError(toCommandError(reason).message);
      },
    );
  };

  const occupied = deleting !== null && deleting.users + deleting.groups + deleting.devices + deleting.accounts > 0;
  const heirs = (organizations ?? []).filter((o) => o.id !== deleting?.id);

  return (
    <section className="page" data-testid="organizations-page" aria-labelledby="organizations-title">
      <header className="page-header page-title-row">
        <h1 id="organizations-title">Organizations</h1>
        <span className="page-actions">
          <Button
            look="primary"
            hidden={!manage}
            testId="new-organization"
            onClick={() => {
              edit({ id: null, name: "" });
            }}
          >
            New organization
          </Button>
        </span>
      </header>
      <ErrorBanner message={error} />
      <DataTable
        rows={organizations}
        rowKey={(o) => o.id}
        rowTestId="organization-row"
        rowData={(o) => ({ "data-organization-name": o.name })}
        empty={{
          title: "No organizations yet",
          hint: "Organizations are the customers, companies or sites your users belong to. Create one here, or name one on a user.",
        }}
        columns={[
          { header: "Name", cell: (o) => <strong>{o.name}</strong> },
          { header: "Users", align: "numeric", testId: "organization-users", cell: (o) => formatCount(o.users) },
          { header: "Groups", align: "numeric", testId: "organization-groups", cell: (o) => formatCount(o.groups) },
          { header: "Devices", align: "numeric", testId: "organization-devices", cell: (o) => formatCount(o.devices) },
          {
            header: <abbr title="Console accounts limited to this organization">Accounts</abbr>,
            align: "numeric",
            testId: "organization-accounts",
            cell: (o) => formatCount(o.accounts),
          },
          { header: "Created", cell: (o) => formatDate(o.created_at) },
          manage && {
            header: "Actions",
            hideHeader: true,
            align: "actions",
            cell: (o) => (
              <>
                <Button
                  testId="rename-organization"
                  aria-label={`Rename ${o.name}`}
                  onClick={() => {
                    edit({ id: o.id, name: o.name });
                  }}
                >
                  Rename
                </Button>
                <Button
                  look="danger"
                  testId="delete-organization"
                  aria-label={`Delete ${o.name}`}
                  onClick={() => {
                    startDelete(o);
                  }}
                >
                  Delete
                </Button>
              </>
            ),
          },
        ]}
      />
      <Dialog
        open={editing !== null}
        title={editing?.id === null ? "New organization" : "Rename organization"}
        testId="organization-dialog"
        onClose={() => {
          edit(null);
        }}
        footer={
          <>
            <Button
              onClick={() => {
                edit(null);
              }}
            >
              Cancel
            </Button>
            <Button
              look="primary"
              testId="save-organization"
              onClick={() => {
                save();
              }}
            >
              Save
            </Button>
          </>
        }
      >
        {editing ? (
          <form
            className="group-form"
            onSubmit={(event) => {
              event.preventDefault();
              save();
            }}
          >
            <ErrorBanner message={editError} />
            <label>
              Name
              <input
                className="text-input"
                name="name"
                value={editing.name}
                onChange={(event) => {
                  setEditing({ ...editing, name: event.target.value });
                }}
              />
            </label>
            <button type="submit" hidden />
          </form>
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete organization"
        confirmLabel={occupied ? "Move and delete" : "Delete"}
        destructive
        busy={occupied && moveTo === ""}
        message={
          deleting === null ? null : occupied ? (
            <>
              {`${deleting.name} still has ${belonging(deleting)}. Move them to another organization, then delete ${deleting.name}.`}
              {heirs.length === 0 ? " There is no other organization yet: create the one they should move to first." : null}
              <label className="move-to">
                Move them to
                <select
                  className="text-input"
                  data-testid="move-to"
                  value={moveTo}
                  onChange={(event) => {
                    setMoveTo(event.target.value);
                  }}
                >
                  <option value="">Choose an organization…</option>
                  {heirs.map((o) => (
                    <option key={o.id} value={String(o.id)}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : (
            `Delete organization ${deleting.name}? Nothing belongs to it.`
          )
        }
        onCancel={() => {
          setDeleting(null);
        }}
        onConfirm={confirmDelete}
      />
    </section>
  );
}
