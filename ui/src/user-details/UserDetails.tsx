import { useCallback, useEffect, useState } from "react";
import {
  addGroupMembers,
  checkUserPatch,
  getUser,
  issueToken,
  listDevices,
  listGroups,
  listTokens,
  removeGroupMembers,
  toCommandError,
  updateUser,
  userActivity,
  userGroups,
  userSignIns,
} from "../api";
import type { Device } from "../bindings/Device";
import { DeviceList } from "../devices/DeviceList";
import type { IssuedToken } from "../bindings/IssuedToken";
import type { SignInEntry } from "../bindings/SignInEntry";
import type { TokenView } from "../bindings/TokenView";
import { useCan } from "../session/SessionContext";
import { IssuedNotice, TokenList } from "../tokens/TokenList";
import { Administers } from "./Administers";
import { CredentialActions } from "./CredentialActions";
import type { AuditEntry } from "../bindings/AuditEntry";
import type { FieldError } from "../bindings/FieldError";
import type { Group } from "../bindings/Group";
import type { User } from "../bindings/User";
import type { UserId } from "../bindings/UserId";
import type { UserPatch } from "../bindings/UserPatch";
import { Autocomplete } from "../components/Autocomplete";
import { ConfirmDialog } from "../components/Dialog";
import { useFacets } from "../users/filters";
import { formatDateTime, STATUS_LABELS, TWO_FACTOR_LABELS } from "../users/format";
import { EMPTY_FIELDS, splitTags, UserForm, type UserFields } from "./UserForm";
import { Conflict } from "../components/Conflict";
import "./details.css";
import { CHECK_DELAY_MS, useLoad } from "../components/useLoad";
import { Button } from "../components/Button";

export interface UserDetailsProps {
  userId: UserId;
  onClose: () => void;
  /** Call after any change, so lists reload. */
  onChanged: () => void;
  /** Bumped when the directory changed (here or elsewhere): the user is read again. */
  dataVersion: number;
}

type Tab = "info" | "groups" | "tokens" | "devices" | "activity";

const TABS: { id: Tab; label: string }[] = [
  { id: "info", label: "User Info" },
  { id: "groups", label: "Groups" },
  { id: "tokens", label: "User Tokens" },
  { id: "devices", label: "Devices" },
  { id: "activity", label: "Activity" },
];

function fieldsOf(user: User): UserFields {
  return {
    first_name: user.first_name,
    last_name: user.last_name,
    email: user.email,
    username: user.username,
    phone: user.phone ?? "",
    role: user.role,
    organization: user.organization ?? "",
    team: user.team ?? "",
    tags: user.tags.join(", "),
  };
}

/** Only what changed; blank optional fields clear them. */
function sameFields(a: UserFields, b: UserFields): boolean {
  return (Object.keys(a) as (keyof UserFields)[]).every((key) => a[key] === b[key]);
}

function patchOf(user: User, fields: UserFields): UserPatch {
  const before = fieldsOf(user);
  const changed = (key: keyof UserFields) => (fields[key] !== before[key] ? fields[key] : null);
  return {
    first_name: changed("first_name"),
    last_name: changed("last_name"),
    email: changed("email"),
    username: changed("username"),
    phone: changed("phone"),
    role: changed("role"),
    organization: changed("organization"),
    team: changed("team"),
    tags: fields.tags !== before.tags ? splitTags(fields.tags) : null,
    identity_provider: null,
  };
}

export function UserDetails({ userId, onClose, onChanged, dataVersion }: UserDetailsProps) {
  const can = useCan();
  const [user, setUser] = useState<User | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>("info");
  const [version, setVersion] = useState(0);

  const reload = useCallback(() => {
    setVersion((v) => v + 1);
  }, []);
  // Reads the user again without starting the form over (a reload does that).
  const [reread, setReread] = useState(0);
  const readAgain = useCallback(() => {
    setReread((n) => n + 1);
  }, []);

  useLoad(
    () => getUser(userId),
    [userId, version, dataVersion, reread],
    (u) => {
      setUser(u);
      setLoadError(null);
    },
    (e) => {
      setLoadError(e.message);
    },
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !document.querySelector("dialog[open]")) onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
    };
  }, [onClose]);

  const name = user ? `${user.first_name} ${user.last_name}` : "User";
  return (
    <div className="details" role="dialog" aria-label={name} data-testid="user-details">
      <header className="details-header">
        <div>
          <h2>{name}</h2>
          {user ? (
            <p className="details-sub">
              <span>{user.username}</span>
              <span className={`badge badge--${user.status}`}>{STATUS_LABELS[user.status]}</span>
              <span>User ID {user.id}</span>
            </p>
          ) : null}
        </div>
        <button type="button" className="icon-button" aria-label="Close" data-testid="close-details" onClick={onClose}>
          ×
        </button>
      </header>
      {user && can("reset_credentials") ? (
        <CredentialActions
          user={user}
          onChanged={() => {
            reload();
            onChanged();
          }}
        />
      ) : null}
      <div className="tabs" role="tablist">
        {TABS.filter((t) => t.id !== "activity" || can("view_audit")).map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab === t.id}
            data-testid={`tab-${t.id}`}
            onClick={() => {
              setTab(t.id);
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="details-body" role="tabpanel">
        {loadError ? (
          <p className="form-banner" role="alert">
            {loadError}
          </p>
        ) : !user ? (
          <p className="muted">Loading…</p>
        ) : tab === "info" ? (
          <>
          <InfoTab
            key={`${user.id}-${version}`}
            user={user}
            onSaved={(saved) => {
              setUser(saved);
              onChanged();
            }}
            onReload={reload}
            onReadAgain={readAgain}
          />
          {user.role !== "user" ? <Administers user={user} onSaved={onChanged} /> : null}
          </>
        ) : tab === "groups" ? (
          <GroupsTab
            user={user}
            onChanged={() => {
              reload();
              onChanged();
            }}
          />
        ) : tab === "tokens" ? (
          <TokensTab user={user} canIssue={can("manage_tokens")} canView={can("view_tokens")} />
        ) : tab === "devices" ? (
          <DevicesTab
            user={user}
            canView={can("view_tokens")}
            canManage={can("manage_tokens")}
            onChanged={() => {
              reload();
              onChanged();
            }}
          />
        ) : (
          <ActivityTab userId={user.id} version={user.version} />
        )}
      </div>
    </div>
  );
}

function InfoTab({ user, onSaved, onReload, onReadAgain }: { user: User; onSaved: (user: User) => void; onReload: () => void; onReadAgain: () => void }) {
  const canEdit = useCan()("manage_users");
  // What the form is editing: the user as read when editing began.
  const [base, setBase] = useState<User>(user);
  const [fields, setFields] = useState<UserFields>(() => fieldsOf(user));
  // The user read again (changed here or elsewhere) replaces what the form shows, unless it
  // holds unsaved edits: those stay, and saving them reports the other change as a conflict.
  if (user !== base && sameFields(fields, fieldsOf(base))) {
    setBase(user);
    setFields(fieldsOf(user));
  }
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [shown, setShown] = useState<ReadonlySet<string>>(new Set());
  const [banner, setBanner] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const facets = useFacets(0);

  useLoad(
    () => checkUserPatch(patchOf(base, fields)),
    [base, fields],
    setErrors,
    // Saving reports the problem; a failed check while typing shows nothing.
    () => undefined,
    CHECK_DELAY_MS,
  );

  // Only the fields changed here are sent, so saving them over another admin's newer
  // version (`over`) keeps everything else they changed.
  const save = (over: User = base) => {
    setShown(new Set(Object.keys(EMPTY_FIELDS)));
    setSaved(false);
    updateUser(base.id, patchOf(base, fields), over.version).then(
      (updated) => {
        setBanner(null);
        setConflict(null);
        setSaved(true);
        setBase(updated);
        setFields(fieldsOf(updated));
        onSaved(updated);
      },
      (reason: unknown) => {
        const error = toCommandError(reason);
        if (error.code === "version_conflict") {
          setConflict(error.message);
          onReadAgain();
        }
        else if (error.fields.length > 0) setErrors(error.fields);
        else setBanner(error.message);
      },
    );
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      {conflict ? (
        <Conflict
          // Their version is the one the details read again after the refusal.
          conflict={{ message: conflict, theirs: user.version !== base.version ? user : null }}
          onReload={onReload}
          onKeepMine={save}
        />
      ) : null}
      {banner ? (
        <p className="form-banner" role="alert">
          {banner}
        </p>
      ) : null}
      {/* Roles that may not edit users see the fields read-only. */}
      <fieldset className="plain-fieldset" disabled={!canEdit}>
      <UserForm
        idPrefix={`user-${user.id}`}
        fields={fields}
        errors={errors}
        shown={shown}
        roles={facets?.roles ?? [user.role]}
        organizations={facets?.organizations ?? []}
        teams={facets?.teams ?? []}
        onChange={(next, touched) => {
          setFields(next);
          setSaved(false);
          setShown((current) => new Set([...current, touched]));
        }}
      />
      </fieldset>
      <div className="details-actions">
        <button type="submit" className="button button--primary" data-testid="save-user" hidden={!canEdit}>
          Save
        </button>
        {saved ? (
          <span className="saved" data-testid="saved" role="status">
            Saved
          </span>
        ) : null}
      </div>
      <dl className="facts">
        <dt>Identity provider</dt>
        <dd>{user.identity_provider}</dd>
        <dt>2FA</dt>
        <dd>{TWO_FACTOR_LABELS[user.two_factor]}</dd>
        <dt>Groups</dt>
        <dd>{user.group_count}</dd>
        <dt>Created</dt>
        <dd>
          {formatDateTime(user.created_at)} by {user.created_by}
        </dd>
        <dt>Modified</dt>
        <dd>{formatDateTime(user.modified_at)}</dd>
        <dt>Last sign-in</dt>
        <dd>{user.last_sign_in_at ? formatDateTime(user.last_sign_in_at) : "Never"}</dd>
        <dt>Password changed</dt>
        <dd>{user.password_changed_at ? formatDateTime(user.password_changed_at) : "Never"}</dd>
        <dt>Version</dt>
        <dd data-testid="user-version">{user.version}</dd>
      </dl>
    </form>
  );
}

function GroupsTab({ user, onChanged }: { user: User; onChanged: () => void }) {
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
      {error ? (
        <p className="form-banner" role="alert">
          {error}
        </p>
      ) : null}
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

function DevicesTab({ user, canView, canManage, onChanged }: { user: User; canView: boolean; canManage: boolean; onChanged: () => void }) {
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped by a change made here that leaves the user's count as it was (an edit).
  const [version, setVersion] = useState(0);

  useLoad(
    () => listDevices({ search: "", os: [], state: null, owner: user.id, organization: null, sort: "name", descending: false, limit: 1000, offset: 0 }),
    // The count changes with every device added, retired or removed, here or elsewhere.
    [user.id, user.device_count, user.version, version],
    (page) => {
      setDevices(page.devices);
      setError(null);
    },
    (e) => {
      setError(e.message);
    },
  );

  if (!canView) return <p className="empty-tab">Your role does not show devices.</p>;
  return (
    <div data-testid="devices-tab">
      <p className="muted" data-testid="device-count-line">
        {user.device_count === 1 ? "1 active device" : `${user.device_count.toLocaleString()} active devices`}
      </p>
      {error ? (
        <p className="form-banner" role="alert">
          {error}
        </p>
      ) : null}
      {devices ? <DeviceList
          owner={user.id}
          devices={devices}
          onChanged={
            canManage
              ? () => {
                  setVersion((v) => v + 1);
                  onChanged();
                }
              : undefined
          }
        /> : <p className="muted">Loading…</p>}
    </div>
  );
}

function TokensTab({ user, canIssue, canView }: { user: User; canIssue: boolean; canView: boolean }) {
  const [tokens, setTokens] = useState<TokenView[] | null>(null);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [days, setDays] = useState(720);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!canView) return;
    listTokens({ user: user.id, state: null, expiring_within_days: null, organization: null }).then(setTokens, (reason: unknown) => {
      setError(toCommandError(reason).message);
    });
  }, [user.id, canView, version]);

  return (
    <div>
      {canIssue ? (
        <div className="inline-form">
          <div className="form-field">
            <label htmlFor="token-days">Valid for days</label>
            <input
              id="token-days"
              data-testid="token-days"
              type="number"
              min={1}
              max={3650}
              value={days}
              onChange={(event) => {
                setDays(Number(event.target.value) || 0);
              }}
            />
          </div>
          <Button
            look="primary"
            testId="issue-token"
            onClick={() => {
              issueToken(user.id, days).then(
                (t) => {
                  setIssued(t);
                  setError(null);
                  setVersion((v) => v + 1);
                },
                (reason: unknown) => {
                  setError(toCommandError(reason).message);
                },
              );
            }}
          >
            Issue token
          </Button>
        </div>
      ) : null}
      {issued ? <IssuedNotice issued={issued} /> : null}
      {error ? (
        <p className="form-banner" role="alert">
          {error}
        </p>
      ) : null}
      {tokens ? (
        <TokenList
          tokens={tokens}
          showUser={false}
          onChanged={
            canIssue
              ? () => {
                  setVersion((v) => v + 1);
                }
              : undefined
          }
        />
      ) : null}
    </div>
  );
}

function ActivityTab({ userId, version }: { userId: UserId; version: number }) {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [signIns, setSignIns] = useState<SignInEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  useLoad(
    () => Promise.all([userActivity(userId), userSignIns(userId)]),
    [userId, version],
    ([e, s]) => {
      setEntries(e);
      setSignIns(s);
    },
    (e) => {
      setError(e.message);
    },
  );
  if (error) return <p className="form-banner">{error}</p>;
  if (!entries) return <p className="muted">Loading…</p>;
  if (entries.length === 0 && signIns.length === 0) return <p className="empty-tab">No activity yet.</p>;
  return (
    <>
      {signIns.length > 0 ? (
        <>
          <h3 className="section-title">Sign-in attempts</h3>
          <ul className="list" data-testid="sign-in-list">
            {signIns.slice(0, 50).map((s) => (
              <li key={s.id} data-testid="sign-in-entry">
                <div>
                  <strong className={s.success ? "saved" : "field-error"}>{s.success ? "Signed in" : "Failed"}</strong>
                  <span className="muted">
                    {" "}
                    · {formatDateTime(s.at)} · {s.workstation} ({s.origin}) · {s.reason}
                  </span>
                </div>
              </li>
            ))}
          </ul>
          <h3 className="section-title">Changes</h3>
        </>
      ) : null}
      <AuditList entries={entries} />
    </>
  );
}

function AuditList({ entries }: { entries: AuditEntry[] }) {
  return (
    <ul className="list">
      {entries.map((entry) => (
        <li key={entry.id} data-testid="activity-entry">
          <div>
            <strong>{entry.label}</strong>
            <span className="muted">
              {" "}
              · {formatDateTime(entry.at)} · {entry.actor}@{entry.workstation} ({entry.origin})
            </span>
            <ul className="activity-changes">
              {entry.changes.map((c) => (
                <li key={c.field}>
                  {c.field}: {c.before ?? "∅"} → {c.after ?? "∅"}
                </li>
              ))}
            </ul>
          </div>
        </li>
      ))}
    </ul>
  );
}
