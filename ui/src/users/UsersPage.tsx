import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { addGroupMembers, editUsers, matchingUserIds, toCommandError, type AppError } from "../api";
import type { Group } from "../bindings/Group";
import type { Sort } from "../bindings/Sort";
import type { SortField } from "../bindings/SortField";
import type { User } from "../bindings/User";
import type { UserId } from "../bindings/UserId";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { useCan, useSession } from "../session/SessionContext";
import { statusActions } from "./actions";
import { BulkEditDialog } from "./BulkEditDialog";
import { activeFilterCount, FilterChips, FilterPanel, useFacets } from "./filters";
import { NO_FILTERS, queryOf, type Filters, type LoadedUsers } from "./pageLoader";
import { DEFAULT_CHOICE, allColumns, attributeOf, completeChoice, loadChoice, saveChoice, visibleColumns, type ColumnChoice, type ColumnId } from "./columns";
import { useAttributes } from "../attributes/useAttributes";
import { ColumnsMenu } from "./ColumnsMenu";
import { RowMenu, type MenuItem } from "./RowMenu";
import { DeviceHandover } from "./DeviceHandover";
import { useBulkActions } from "./useBulkActions";
import { useSelection } from "./useSelection";
import { useUserPages } from "./useUserPages";
import { UserTable, type VisibleRange } from "./UserTable";
import "./users.css";
import { Button } from "../components/Button";
import { ExportDialog } from "../transfer/ExportDialog";
import { ImportWizard } from "../transfer/ImportWizard";
import { SearchBox } from "../components/SearchBox";
import { t } from "../i18n";

const DEFAULT_SORT: Sort = { field: "last_name", direction: "asc" };

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

function countText(data: LoadedUsers, range: VisibleRange, filtering: boolean): string {
  const { total, params } = data;
  if (total === 0) {
    if (params.search) return t("users-no-match-search", { search: params.search });
    return filtering ? t("users-count-no-match") : t("users-count-none");
  }
  const first = Math.max(0, range.first) + 1;
  const last = Math.max(first, Math.min(total, range.last + 1));
  if (data.counting) return t("users-count-range-counting", { first, last, total });
  if (data.more) return t("users-count-range-more", { first, last, total });
  const allVisible = range.first <= 0 && range.last >= total - 1;
  if (allVisible) return t("users-count", { count: total });
  return t("users-count-range", { first, last, total });
}

const COMMAND = "roster user add";

/** The hint of an empty directory, the command in it set as code wherever the language puts it. */
function NoUsersHint() {
  const [before, after] = t("users-empty-hint", { command: COMMAND }).split(COMMAND);
  return (
    <>
      {before}
      <code>{COMMAND}</code>
      {after}
    </>
  );
}

export interface UsersPageProps {
  /** Bumped after changes made elsewhere: the rows reload in place. */
  dataVersion: number;
  /** Called after this page changed data. */
  onChanged: () => void;
  onOpenUser: (id: UserId) => void;
  /** Shows a "New user" button. */
  onCreateUser?: (() => void) | undefined;
  /** Lists only this group's members and offers removing them from it. */
  fixedGroup?: Group;
  /** The organization chosen in the switcher: only its users are listed and exported. */
  organization?: string | null;
}

export function UsersPage({ dataVersion, onChanged, onOpenUser, onCreateUser, fixedGroup, organization = null }: UsersPageProps) {
  const can = useCan();
  const { session } = useSession();
  const offered = useMemo(() => statusActions(session), [session]);
  const [input, setInput] = useState("");
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const [sortAttribute, setSortAttribute] = useState<string | null>(null);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [showFilters, setShowFilters] = useState(false);
  const [range, setRange] = useState<VisibleRange>({ first: 0, last: -1 });
  const [picking, setPicking] = useState<UserId[] | null>(null);
  const [bulkEditing, setBulkEditing] = useState<UserId[] | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const [localVersion, setLocalVersion] = useState(0);
  const [columnChoice, setColumnChoice] = useState<ColumnChoice>(loadChoice);
  const [showColumns, setShowColumns] = useState(false);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

  // No debounce: the loader sends no query for letters typed while one is on its way.
  const search = input.trim();
  const switched = organization === null ? filters : { ...filters, organization };
  const effectiveFilters = fixedGroup ? { ...switched, group: fixedGroup.id } : switched;
  const params = { search, sort, sortAttribute, filters: effectiveFilters };
  const pages = useUserPages(params, dataVersion + localVersion);
  const { data, pending, error, retry, requestRange } = pages;
  const allFacets = useFacets(dataVersion + localVersion);
  const attributes = useAttributes(dataVersion);
  const columns = useMemo(() => allColumns(attributes), [attributes]);
  const choice = completeChoice(columnChoice, columns);
  const shownColumns = visibleColumns(choice, columns);
  // With an organization chosen in the switcher, the filters offer only that one.
  const facets = organization === null || allFacets === null ? allFacets : { ...allFacets, organizations: [organization] };
  const selection = useSelection(data);
  const actions = useBulkActions(() => {
    setLocalVersion((v) => v + 1);
    onChanged();
  }, selection.forget);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const find = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "f";
      const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTextEntry(event.target);
      if (!find && !slash) return;
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
    };
  }, []);

  const onSort = useCallback(
    (column: ColumnId) => {
      const attribute = attributeOf(column);
      // An attribute's sort goes by its value, ties by User ID.
      const field: SortField = attribute === null ? (column as SortField) : "id";
      const same = attribute === null ? sortAttribute === null && sort.field === field : sortAttribute === attribute;
      setSort({ field, direction: same && sort.direction === "asc" ? "desc" : "asc" });
      setSortAttribute(attribute);
    },
    [sort, sortAttribute],
  );

  const onVisibleRangeChange = useCallback((next: VisibleRange) => {
    setRange((current) => (current.first === next.first && current.last === next.last ? current : next));
  }, []);

  const chooseColumns = (next: ColumnChoice) => {
    setColumnChoice(next);
    saveChoice(next);
  };

  const changeFilters = (next: Filters) => {
    setFilters(next);
    selection.clear();
  };

  const selectAllMatching = () => {
    matchingUserIds(queryOf(params, 0, 1)).then(selection.replace, (reason: unknown) => {
      actions.showError(toCommandError(reason).message);
    });
  };

  const rowMenu = (user: User) => {
    const items: MenuItem[] = [
      {
        id: "open",
        label: t("users-open"),
        run: () => {
          onOpenUser(user.id);
        },
      },
    ];
    for (const info of offered) {
      if (info.from.includes(user.status)) {
        items.push({
          id: info.action,
          label: info.label,
          run: () => {
            actions.status(info, [user.id]);
          },
        });
      }
    }
    if (can("reset_credentials")) {
      items.push(
        {
          id: "reset-password",
          label: t("users-reset-password"),
          run: () => {
            actions.recover([user.id]);
          },
        },
        {
          id: "reset-2fa",
          label: t("users-reset-two-factor"),
          run: () => {
            actions.resetTwoFactor([user.id]);
          },
        },
      );
    }
    if (!can("manage_groups")) {
      // Group changes are not this role's.
    } else if (fixedGroup) {
      items.push({
        id: "remove-from-group",
        label: t("users-remove-from-named-group", { group: fixedGroup.name }),
        danger: true,
        run: () => {
          actions.removeFromGroup(fixedGroup, [user.id]);
        },
      });
    } else {
      items.push({
        id: "add-to-group",
        label: t("users-add-to-group"),
        run: () => {
          setPicking([user.id]);
        },
      });
    }
    if (can("manage_users")) {
      items.push({
        id: "delete",
        label: t("users-delete"),
        danger: true,
        run: () => {
          actions.remove([user.id]);
        },
      });
    }
    return <RowMenu label={`${user.first_name} ${user.last_name}`} items={items} />;
  };

  // Typing has moved on from what the table shows (debounce or request still running).
  const searching = pending || (data !== null && data.params.search !== input.trim());
  const fatal = error?.fatal ? error.error : null;
  const chosen = [...selection.selected];
  const filtering = activeFilterCount(effectiveFilters, fixedGroup !== undefined) > 0;

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <div className="page-title-row">
          <h1 id="page-title">{fixedGroup ? t("users-title-group-members", { group: fixedGroup.name }) : t("users-title")}</h1>
          <span className="page-actions">
            {can("manage_users") && !fixedGroup ? (
              <Button testId="import-users" onClick={() => { setImporting(true); }}>{t("users-import")}</Button>
            ) : null}
            <Button testId="export-users" disabled={!data || data.total === 0} onClick={() => { setExporting(true); }}>{t("users-export")}</Button>
            {onCreateUser ? (
              <Button look="primary" testId="new-user" onClick={onCreateUser}>{t("users-new")}</Button>
            ) : null}
          </span>
        </div>
        <div className="toolbar">
          <SearchBox
            label={t("users-search-label")}
            placeholder={t("users-search-placeholder")}
            value={input}
            onChange={(value) => {
              setInput(value);
              selection.clear();
            }}
            testId="search"
            inputRef={searchRef}
            autoFocus
            shortcut="/"
          />
          <span className="columns-anchor">
            <button
              type="button"
              className={showColumns ? "button button--pressed" : "button"}
              data-testid="columns-button"
              aria-expanded={showColumns}
              onClick={() => {
                setShowColumns(!showColumns);
              }}
            >
              {t("users-columns")}
            </button>
            {showColumns ? (
              <ColumnsMenu
                choice={choice}
                columns={columns}
                onChange={chooseColumns}
                onReset={() => {
                  chooseColumns(DEFAULT_CHOICE);
                }}
              />
            ) : null}
          </span>
          <button
            type="button"
            className={showFilters ? "button button--pressed" : "button"}
            data-testid="filters-button"
            aria-expanded={showFilters}
            onClick={() => {
              setShowFilters(!showFilters);
            }}
          >
            {t("users-filters")}
          </button>
          <p className="count" data-testid="count" aria-live="polite">
            {data && !fatal ? countText(data, range, filtering) : ""}
            {searching && !fatal ? <span className="spinner" role="status" aria-label={t("users-searching")} /> : null}
          </p>
        </div>
        {showFilters ? (
          <FilterPanel filters={filters} facets={facets} attributes={attributes} hideGroup={fixedGroup !== undefined} onChange={changeFilters} />
        ) : null}
        <FilterChips
          filters={filters}
          facets={facets}
          attributes={attributes}
          hideGroup={fixedGroup !== undefined}
          onChange={changeFilters}
          onClear={() => {
            changeFilters(NO_FILTERS);
          }}
        />
        {chosen.length > 0 ? (
          <div className="bulk-bar" data-testid="bulk-bar" role="toolbar" aria-label={t("users-bulk-actions")}>
            <span data-testid="selection-count">{t("users-selection-count", { count: chosen.length })}</span>
            {data && chosen.length < data.total ? (
              <Button look="link" testId="select-all-matching" onClick={selectAllMatching}>{t(data.more ? "users-select-all-matching-more" : "users-select-all-matching", { total: data.total })}</Button>
            ) : null}
            <Button look="link" onClick={() => { selection.clear(); }}>{t("users-clear-selection")}</Button>
            <span className="bulk-actions">
              {offered.map((info) => (
                <Button key={info.action} testId={`bulk-${info.action}`} onClick={() => { actions.status(info, chosen); }}>{info.label}</Button>
              ))}
              {can("reset_credentials") ? (
                <>
                  <Button testId="bulk-reset-password" onClick={() => { actions.recover(chosen); }}>{t("users-reset-password")}</Button>
                  <Button testId="bulk-reset-2fa" onClick={() => { actions.resetTwoFactor(chosen); }}>{t("users-reset-two-factor")}</Button>
                </>
              ) : null}
              {can("manage_users") ? (
                <Button testId="bulk-edit" onClick={() => { setBulkEditing(chosen); }}>{t("users-bulk-edit")}</Button>
              ) : null}
              {!can("manage_groups") ? null : fixedGroup ? (
                <Button testId="bulk-remove-from-group" onClick={() => { actions.removeFromGroup(fixedGroup, chosen); }}>{t("users-remove-from-group")}</Button>
              ) : (
                <Button testId="bulk-add-to-group" onClick={() => { setPicking(chosen); }}>{t("users-add-to-group")}</Button>
              )}
              {can("manage_users") ? (
                <Button look="danger" testId="bulk-delete" onClick={() => { actions.remove(chosen); }}>{t("users-delete")}</Button>
              ) : null}
            </span>
          </div>
        ) : null}
      </header>
      {error && !error.fatal ? <PageErrorBanner error={error.error} onRetry={retry} /> : null}
      <div className="page-body">
        {fatal ? (
          <ErrorState error={fatal} onRetry={retry} />
        ) : !data ? (
          <LoadingState />
        ) : data.total === 0 && !data.params.search && !filtering ? (
          fixedGroup ? (
            <EmptyState title={t("users-empty-group-title")}>{t("users-empty-group-hint")}</EmptyState>
          ) : (
            <EmptyState title={t("users-count-none")}>
              <NoUsersHint />
            </EmptyState>
          )
        ) : data.total === 0 ? (
          <EmptyState title={data.params.search ? t("users-no-match-search", { search: data.params.search }) : t("users-no-match-filters")}>
            {t("users-no-match-hint")}
          </EmptyState>
        ) : (
          <UserTable
            data={data}
            columns={shownColumns}
            sort={sort}
            sortAttribute={sortAttribute}
            busy={searching}
            onSort={onSort}
            requestRange={requestRange}
            onVisibleRangeChange={onVisibleRangeChange}
            selected={selection.selected}
            onToggle={selection.toggle}
            onTogglePage={selection.togglePage}
            onOpen={(user) => {
              onOpenUser(user.id);
            }}
            rowMenu={rowMenu}
            active={active}
            onActiveChange={setActive}
          />
        )}
      </div>
      <ConfirmDialog
        open={actions.pending !== null}
        title={actions.pending?.title ?? ""}
        message={actions.pending?.message ?? ""}
        confirmLabel={actions.pending?.confirmLabel ?? t("users-confirm-ok")}
        destructive={actions.pending?.destructive ?? false}
        busy={actions.busy}
        onCancel={actions.cancel}
        onConfirm={actions.confirm}
      >
        {actions.pending?.devices ? <DeviceHandover heir={actions.heir} onChange={actions.setHeir} /> : null}
      </ConfirmDialog>
      <GroupPicker
        userIds={picking}
        groups={facets?.groups ?? []}
        onClose={() => {
          setPicking(null);
        }}
        onPick={(group, ids) => {
          setPicking(null);
          actions.execute(async () => {
            const n = await addGroupMembers(group.id, ids);
            return t("users-add-to-group-done", { count: n, group: group.name });
          });
        }}
      />
      <BulkEditDialog
        count={bulkEditing?.length ?? null}
        facets={facets}
        attributes={attributes}
        onClose={() => {
          setBulkEditing(null);
        }}
        onApply={(edit) => {
          const ids = bulkEditing ?? [];
          setBulkEditing(null);
          actions.execute(async () => {
            const changed = await editUsers(ids, edit);
            return t("users-bulk-edit-done", { count: changed.length });
          });
        }}
      />
      <ImportWizard
        open={importing}
        onClose={() => { setImporting(false); }}
        onImported={() => {
          setLocalVersion((v) => v + 1);
          onChanged();
        }}
      />
      <ExportDialog
        list={exporting && data ? { query: queryOf(params, 0, 1), total: data.total, more: data.more } : null}
        selected={chosen}
        visible={shownColumns.map((c) => c.id)}
        attributes={attributes}
        onClose={() => { setExporting(false); }}
        onExported={(done) => {
          setExporting(false);
          actions.showDone(t("users-export-done", { count: done.rows, file: done.file }));
        }}
      />
      {actions.toast ? (
        <div className={actions.toast.error ? "toast toast--error" : "toast"} data-testid="toast" role="status">
          {actions.toast.text}
        </div>
      ) : null}
    </section>
  );
}

function GroupPicker({
  userIds,
  groups,
  onClose,
  onPick,
}: {
  userIds: UserId[] | null;
  groups: readonly Group[];
  onClose: () => void;
  onPick: (group: Group, ids: UserId[]) => void;
}) {
  const [text, setText] = useState("");
  const matches = groups.filter((g) => g.name.toLowerCase().includes(text.trim().toLowerCase())).slice(0, 12);
  return (
    <Dialog open={userIds !== null} title={t("users-group-picker-title", { count: userIds?.length ?? 0 })} onClose={onClose} testId="group-picker-dialog">
      <input
        className="text-input"
        data-testid="group-picker"
        placeholder={t("users-group-picker-placeholder")}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
        }}
      />
      <ul className="picker-list">
        {matches.map((group) => (
          <li key={group.id}>
            <button
              type="button"
              className="picker-option"
              data-testid="group-option"
              onClick={() => {
                if (userIds) onPick(group, userIds);
              }}
            >
              {group.name}
              {group.organization ? <span className="muted"> · {group.organization}</span> : null}
              <span className="muted"> · {t("users-group-picker-members", { count: group.member_count })}</span>
            </button>
          </li>
        ))}
        {matches.length === 0 ? <li className="muted">{t("users-group-picker-no-match")}</li> : null}
      </ul>
    </Dialog>
  );
}

function LoadingState() {
  return (
    <div className="state" role="status">
      <span className="spinner spinner--large" aria-hidden="true" />
      <p className="state-hint">{t("users-loading")}</p>
    </div>
  );
}

function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="state">
      <h2 className="state-title">{title}</h2>
      <p className="state-hint">{children}</p>
    </div>
  );
}

function ErrorState({ error, onRetry }: { error: AppError; onRetry: () => void }) {
  return (
    <div className="state state--error" role="alert">
      <h2 className="state-title">{t("users-load-failed")}</h2>
      <p className="state-message">{error.message}</p>
      <p className="state-hint">{t("users-load-failed-hint")}</p>
      <Button look="primary" onClick={onRetry}>{t("common-retry")}</Button>
    </div>
  );
}

function PageErrorBanner({ error, onRetry }: { error: AppError; onRetry: () => void }) {
  return (
    <div className="banner" role="alert">
      <span>{t("users-rows-failed", { reason: error.message })}</span>
      <Button onClick={onRetry}>{t("common-retry")}</Button>
    </div>
  );
}
