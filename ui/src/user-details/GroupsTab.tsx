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
        placeholder="Add to group…"
        find={findGroups}
        keyOf={(g) => g.id}
        label={(g) => (g.organization ? `${g.name} · ${g.organization}` : g.name)}
        onPick={(g) => {
          run(addGroupMembers(g.id, [user.id]));
        }}
      />
      ) : null}
      <ErrorBanner message={error} />
      {groups && groups.length === 0 ? <p className="empty-tab">Not a member of any group.</p> : null}
      <ul className="list">
        {(groups ?? []).map((g) => (
          <li key={g.id} data-testid="user-group-row">
            <span>
              <strong>{g.name}</strong>
              {g.organization ? <span className="muted"> · {g.organization}</span> : null}
              <span className="muted"> · {g.member_count} members</span>
            </span>
            <Button hidden={!manage} testId="remove-from-group" onClick={() => { setRemoving(g); }}>Remove</Button>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={removing !== null}
        title="Remove from group"
        message={`Remove ${user.first_name} ${user.last_name} from ${removing?.name ?? ""}?`}
        confirmLabel="Remove"
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
