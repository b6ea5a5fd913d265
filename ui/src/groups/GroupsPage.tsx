import { useCallback, useState } from "react";
import { addGroupMembers, createGroup, deleteGroup, exportMembershipsToFile, listGroups, listUsers, toCommandError, updateGroup } from "../api";
import { MEMBERSHIPS, SheetImportDialog } from "../transfer/SheetImportDialog";
import type { Group } from "../bindings/Group";
import type { User } from "../bindings/User";
import type { UserId } from "../bindings/UserId";
import { useCan } from "../session/SessionContext";
import { Autocomplete } from "../components/Autocomplete";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { formatCount, formatDate, t } from "../i18n";
import { UsersPage } from "../users/UsersPage";
import "./groups.css";
import { DataTable } from "../components/DataTable";
import { useLoad } from "../components/useLoad";
import { Button } from "../components/Button";
import { changedFields, Conflict, followConflict, type ConflictState } from "../components/Conflict";
import { ErrorBanner } from "../components/ErrorBanner";
import { NO_FILTERS } from "../users/pageLoader";

export interface GroupsPageProps {
  dataVersion: number;
  onChanged: () => void;
  onOpenUser: (id: UserId) => void;
  /** The organization chosen in the switcher: only its groups are listed. */
  organization: string | null;
}

/** The group being created (id null) or renamed. */
interface Editing {
  id: number | null;
  name: string;
  description: string;
  organization: string;
  /** The version being edited; a save over another admin's change is refused. */
  version: number;
}

function editingOf(group: Group): Editing {
  return { id: group.id, name: group.name, description: group.description, organization: group.organization ?? "", version: group.version };
}

export function GroupsPage({ dataVersion, onChanged, onOpenUser, organization }: GroupsPageProps) {
  const manage = useCan()("manage_groups");
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  /** The group as the dialog opened it: only the fields changed since are saved. */
  const [opened, setOpened] = useState<Editing | null>(null);
  const [editError, setEditError] = useState<string | null>(null);
  /** A save refused over another admin's change, and their version once read. */
  const [conflict, setConflict] = useState<ConflictState<Editing> | null>(null);
  const [deleting, setDeleting] = useState<Group | null>(null);
  const [openGroup, setOpenGroup] = useState<Group | null>(null);
  const [version, setVersion] = useState(0);
  const [importing, setImporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useLoad(
    () => listGroups(),
    [dataVersion, version, organization],
    (all) => {
      const g = organization === null ? all : all.filter((group) => group.organization === organization);
      setGroups(g);
      setError(null);
      // Keep the open group's member count and name current.
      setOpenGroup((open) => (open ? (g.find((x) => x.id === open.id) ?? null) : null));
    },
    (e) => {
      setError(e.message);
    },
  );

  const changed = () => {
    setVersion((v) => v + 1);
    onChanged();
  };

  const edit = (group: Editing | null) => {
    setEditing(group);
    setOpened(group);
    setEditError(null);
    setConflict(null);
  };

  /** Saves the fields changed in the dialog over `over`, the version they were made to. */
  const save = (over: Editing | null = opened) => {
    if (!editing || !over) return;
    const edited = changedFields(opened ?? editing, editing);
    const work =
      editing.id === null
        ? createGroup({ name: editing.name, description: editing.description, organization: editing.organization || null })
        : updateGroup(
            editing.id,
            {
              name: edited.includes("name") ? editing.name : null,
              description: edited.includes("description") ? editing.description : null,
            },
            over.version,
          );
    work.then(
      () => {
        edit(null);
        changed();
      },
      (reason: unknown) => {
        const error = toCommandError(reason);
        if (error.code !== "version_conflict" || editing.id === null) {
          setEditError(error.message);
          return;
        }
        const id = editing.id;
        setEditError(null);
        const readTheirs = () =>
          listGroups().then((current) => {
            const theirs = current.find((g) => g.id === id);
            return theirs && editingOf(theirs);
          });
        followConflict(error.message, readTheirs, t("groups-gone", { name: editing.name }), setConflict, (failed) => {
          setEditError(failed.message);
        });
      },
    );
  };

  const findUsers = useCallback(
    (text: string) =>
      listUsers({
        ...NO_FILTERS,
        search: text,
        ids: [],
        sort: { field: "last_name", direction: "asc" },
        sort_attribute: null,
        limit: 8,
        offset: 0,
        after: null,
      }).then((page) => page.users),
    [],
  );

  if (openGroup) {
    return (
      <div className="page group-members" data-testid="group-members">
        <div className="group-members-bar">
          <Button look="link" testId="back-to-groups" onClick={() => { setOpenGroup(null); }}>{t("groups-back-to-all")}</Button>
          {manage ? (
          <Autocomplete<User>
            testId="member-autocomplete"
            optionTestId="member-option"
            placeholder={t("groups-add-members-placeholder")}
            find={findUsers}
            keyOf={(u) => u.id}
            label={(u) => `${u.first_name} ${u.last_name} · ${u.username} · ${u.email}`}
            onPick={(u) => {
              addGroupMembers(openGroup.id, [u.id]).then(changed, (reason: unknown) => {
                setError(toCommandError(reason).message);
              });
            }}
          />
          ) : null}
        </div>
        <ErrorBanner message={error} />
        <UsersPage fixedGroup={openGroup} dataVersion={dataVersion + version} onChanged={changed} onOpenUser={onOpenUser} />
      </div>
    );
  }

  return (
    <section className="page" data-testid="groups-page" aria-labelledby="groups-title">
      <header className="page-header page-title-row">
        <h1 id="groups-title">{t("groups-title")}</h1>
        <span className="page-actions">
        <Button hidden={!manage} testId="import-memberships" onClick={() => { setImporting(true); }}>
          {t("groups-import-memberships")}
        </Button>
        <Button
          testId="export-memberships"
          onClick={() => {
            setNotice(null);
            exportMembershipsToFile().then(
              (done) => {
                if (done) setNotice(t("groups-exported-memberships", { count: done.rows, file: done.file }));
              },
              (reason: unknown) => {
                setError(toCommandError(reason).message);
              },
            );
          }}
        >
          {t("groups-export-memberships")}
        </Button>
        <Button
          look="primary"
          hidden={!manage}
          testId="new-group"
          onClick={() => {
            edit({ id: null, name: "", description: "", organization: "", version: 0 });
          }}
        >
          {t("groups-new")}
        </Button>
        </span>
      </header>
      {notice ? (
        <p className="muted" role="status" data-testid="groups-notice">
          {notice}
        </p>
      ) : null}
      <SheetImportDialog
        kind={MEMBERSHIPS}
        open={importing}
        onClose={() => { setImporting(false); }}
        onImported={changed}
      />
      <ErrorBanner message={error} />
      <DataTable
        rows={groups}
        rowKey={(g) => g.id}
        rowTestId="group-row"
        rowData={(g) => ({ "data-group-id": g.id })}
        empty={{ title: t("groups-empty-title"), hint: t("groups-empty-hint") }}
        columns={[
          { header: t("groups-column-name"), cell: (g) => <strong>{g.name}</strong> },
          { header: t("groups-column-description"), cell: (g) => <span className="muted">{g.description}</span> },
          { header: t("groups-column-organization"), cell: (g) => g.organization ?? <span className="muted">{t("common-none")}</span> },
          { header: t("groups-column-members"), align: "numeric", cell: (g) => formatCount(g.member_count) },
          { header: t("groups-column-created-by"), cell: (g) => g.created_by },
          { header: t("groups-column-created"), cell: (g) => <time dateTime={g.created_at}>{formatDate(g.created_at)}</time> },
          {
            header: t("groups-column-actions"),
            hideHeader: true,
            align: "actions",
            cell: (g) => (
              <>
                <Button
                  testId="open-group"
                  aria-label={t("groups-members-of", { name: g.name })}
                  onClick={() => {
                    setOpenGroup(g);
                  }}
                >
                  {t("groups-members")}
                </Button>
                {manage ? (
                  <>
                    <Button
                      testId="rename-group"
                      aria-label={t("groups-rename-named", { name: g.name })}
                      onClick={() => {
                        edit(editingOf(g));
                      }}
                    >
                      {t("groups-rename")}
                    </Button>
                    <Button
                      look="danger"
                      testId="delete-group"
                      aria-label={t("groups-delete-named", { name: g.name })}
                      onClick={() => {
                        setDeleting(g);
                      }}
                    >
                      {t("common-delete")}
                    </Button>
                  </>
                ) : null}
              </>
            ),
          },
        ]}
      />
      <Dialog
        open={editing !== null}
        title={editing?.id === null ? t("groups-new") : t("groups-rename-title")}
        onClose={() => {
          edit(null);
        }}
        footer={
          <>
            <Button onClick={() => { edit(null); }}>{t("common-cancel")}</Button>
            <Button look="primary" testId="save-group" onClick={() => { save(); }}>{t("common-save")}</Button>
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
            {conflict ? <Conflict conflict={conflict} onReload={edit} onKeepMine={save} /> : null}
            <ErrorBanner message={editError} />
            <label>
              {t("groups-field-name")}
              <input
                className="text-input"
                name="name"
                value={editing.name}
                onChange={(event) => {
                  setEditing({ ...editing, name: event.target.value });
                }}
              />
            </label>
            <label>
              {t("groups-field-description")}
              <input
                className="text-input"
                name="description"
                value={editing.description}
                onChange={(event) => {
                  setEditing({ ...editing, description: event.target.value });
                }}
              />
            </label>
            {editing.id === null ? (
              <label>
                {t("groups-field-organization")}
                <input
                  className="text-input"
                  name="organization"
                  value={editing.organization}
                  onChange={(event) => {
                    setEditing({ ...editing, organization: event.target.value });
                  }}
                />
              </label>
            ) : null}
            <button type="submit" hidden />
          </form>
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title={t("groups-delete-title")}
        message={t("groups-delete-confirm", { name: deleting?.name ?? "", count: deleting?.member_count ?? 0 })}
        confirmLabel={t("common-delete")}
        destructive
        onCancel={() => {
          setDeleting(null);
        }}
        onConfirm={() => {
          if (!deleting) return;
          deleteGroup(deleting.id).then(
            () => {
              setDeleting(null);
              changed();
            },
            (reason: unknown) => {
              setDeleting(null);
              setError(toCommandError(reason).message);
            },
          );
        }}
      />
    </section>
  );
}
