import { useState } from "react";
import { createOrganization, deleteOrganization, listOrganizations, renameOrganization, toCommandError } from "../api";
import type { Organization } from "../bindings/Organization";
import { useCan } from "../session/SessionContext";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { useLoad } from "../components/useLoad";
import { Button } from "../components/Button";
import { formatCount, formatDate, t } from "../i18n";
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

/** "12 users and 2 groups": what belongs to an organization, or names it. */
function belonging(org: Organization): string {
  const parts: string[] = [];
  if (org.users > 0 || org.groups + org.devices + org.accounts === 0) parts.push(t("orgs-belonging-users", { count: org.users }));
  if (org.groups > 0) parts.push(t("orgs-belonging-groups", { count: org.groups }));
  if (org.devices > 0) parts.push(t("orgs-belonging-devices", { count: org.devices }));
  if (org.accounts > 0) parts.push(t("orgs-belonging-accounts", { count: org.accounts }));
  // "a and b and c", joined from the end so each language places its own "and".
  return parts.reduceRight((rest, first) => t("orgs-belonging-and", { first, rest }));
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
        <h1 id="organizations-title">{t("orgs-title")}</h1>
        <span className="page-actions">
          <Button
            look="primary"
            hidden={!manage}
            testId="new-organization"
            onClick={() => {
              edit({ id: null, name: "" });
            }}
          >
            {t("orgs-new")}
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
          title: t("orgs-empty-title"),
          hint: t("orgs-empty-hint"),
        }}
        columns={[
          { header: t("orgs-column-name"), cell: (o) => <strong>{o.name}</strong> },
          { header: t("orgs-column-users"), align: "numeric", testId: "organization-users", cell: (o) => formatCount(o.users) },
          { header: t("orgs-column-groups"), align: "numeric", testId: "organization-groups", cell: (o) => formatCount(o.groups) },
          { header: t("orgs-column-devices"), align: "numeric", testId: "organization-devices", cell: (o) => formatCount(o.devices) },
          {
            header: <abbr title={t("orgs-column-accounts-title")}>{t("orgs-column-accounts")}</abbr>,
            align: "numeric",
            testId: "organization-accounts",
            cell: (o) => formatCount(o.accounts),
          },
          { header: t("orgs-column-created"), cell: (o) => <time dateTime={o.created_at}>{formatDate(o.created_at)}</time> },
          manage && {
            header: t("orgs-column-actions"),
            hideHeader: true,
            align: "actions",
            cell: (o) => (
              <>
                <Button
                  testId="rename-organization"
                  aria-label={t("orgs-rename-named", { name: o.name })}
                  onClick={() => {
                    edit({ id: o.id, name: o.name });
                  }}
                >
                  {t("orgs-rename")}
                </Button>
                <Button
                  look="danger"
                  testId="delete-organization"
                  aria-label={t("orgs-delete-named", { name: o.name })}
                  onClick={() => {
                    startDelete(o);
                  }}
                >
                  {t("common-delete")}
                </Button>
              </>
            ),
          },
        ]}
      />
      <Dialog
        open={editing !== null}
        title={editing?.id === null ? t("orgs-new") : t("orgs-rename-title")}
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
              {t("common-cancel")}
            </Button>
            <Button
              look="primary"
              testId="save-organization"
              onClick={() => {
                save();
              }}
            >
              {t("common-save")}
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
              {t("orgs-field-name")}
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
        title={t("orgs-delete-title")}
        confirmLabel={occupied ? t("orgs-move-and-delete") : t("common-delete")}
        destructive
        busy={occupied && moveTo === ""}
        message={
          deleting === null ? null : occupied ? (
            <>
              {t("orgs-delete-occupied", { name: deleting.name, belongings: belonging(deleting) })}
              {heirs.length === 0 ? ` ${t("orgs-delete-no-heir")}` : null}
              <label className="move-to">
                {t("orgs-move-to")}
                <select
                  className="text-input"
                  data-testid="move-to"
                  value={moveTo}
                  onChange={(event) => {
                    setMoveTo(event.target.value);
                  }}
                >
                  <option value="">{t("orgs-move-to-choose")}</option>
                  {heirs.map((o) => (
                    <option key={o.id} value={String(o.id)}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : (
            t("orgs-delete-empty", { name: deleting.name })
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
