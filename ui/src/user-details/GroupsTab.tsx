import { useCallback, useState } from "react";
import { addGroupMembers, listGroups, removeGroupMembers, toCommandError, userGroups } from "../api";
import { useCan } from "../session/SessionContext";
import type { Group } from "../bindings/Group";
import type { User } from "../bindings/User";
import { Autocomplete } from "../components/Autocomplete";
import { ConfirmDialog } from "../components/Dialog";
import { useLoad } from "../components/useLoad";
import { Button } from "../components/Button";
import { ErrorBanner } from "../components/ErrorBanner";
import { t } from "../i18n";

export function GroupsTab({ user, onChanged }: { user: User; onChanged: () => void }) {
  const manage = useCan()("manage_groups");
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [removing, setRemoving] = useState<Group | null>(null);
  const [error, setError] = useState<string | null>(null);

  useLoad(
    () => userGroups(user.id),
    [user.id, user.version, user.group_count],
    setGroups,
    (e) => {
      setError(e.message);
    },
  );

  const findGroups = useCallback(
    async (text: string) => {
      const all = await listGroups();
      const mine = new Set((groups ?? []).map((g) => g.id));
      return all.filter((g) => !mine.has(g.id) && g.name.toLowerCase().includes(text.toLowerCase())).slice(0, 10);
    },
    [groups],
  );

  const run = (work: Promise<unknown>) => {
    work.then(
      () => {
        setError(null);
        onChanged();
      },
      (reason: unknown) => {
        setError(toCommandError(reason).message);
      },
    );
  };

  return (
    <div>
      {manage ? (
      <Autocomplete
        testId="group-autocomplete"
        optionTestId="group-option"
        placeholder={t("details-add-to-group")}
        find={findGroups}
        keyOf={(g) => g.id}
        label={(g) => (g.organization ? `${g.name} · ${g.organization}` : g.name)}
        onPick={(g) => {
          run(addGroupMembers(g.id, [user.id]));
        }}
      />
      ) : null}
      <ErrorBanner message={error} />
      {groups && groups.length === 0 ? <p className="empty-tab">{t("details-no-groups")}</p> : null}
      <ul className="list">
        {(groups ?? []).map((g) => (
          <li key={g.id} data-testid="user-group-row">
            <span>
              <strong>{g.name}</strong>
              {g.organization ? <span className="muted"> · {g.organization}</span> : null}
              <span className="muted"> · {t("details-group-members", { count: g.member_count })}</span>
            </span>
            <Button hidden={!manage} testId="remove-from-group" onClick={() => { setRemoving(g); }}>{t("common-remove")}</Button>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={removing !== null}
        title={t("details-remove-from-group-title")}
        message={t("details-remove-from-group-confirm", { name: `${user.first_name} ${user.last_name}`, group: removing?.name ?? "" })}
        confirmLabel={t("common-remove")}
        destructive
        onCancel={() => {
          setRemoving(null);
        }}
        onConfirm={() => {
          if (removing) run(removeGroupMembers(removing.id, [user.id]));
          setRemoving(null);
        }}
      />
    </div>
  );
}
