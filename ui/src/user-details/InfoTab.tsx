import { useState } from "react";
import { checkUserPatch, toCommandError, updateUser } from "../api";
import { useCan } from "../session/SessionContext";
import type { FieldError } from "../bindings/FieldError";
import type { User } from "../bindings/User";
import { useFacets } from "../users/filters";
import { TWO_FACTOR_LABELS } from "../users/format";
import { FIELD_LABELS } from "../fieldLabels";
import { formatCount, formatDateTime, t } from "../i18n";
import { UserForm } from "./UserForm";
import { useAttributes } from "../attributes/useAttributes";
import { EMPTY_FIELDS, fieldsOf, patchOf, sameFields, type UserFields } from "./userFields";
import { Conflict } from "../components/Conflict";
import { CHECK_DELAY_MS, useLoad } from "../components/useLoad";
import { ErrorBanner } from "../components/ErrorBanner";

export function InfoTab({ user, onSaved, onReload, onReadAgain }: { user: User; onSaved: (user: User) => void; onReload: () => void; onReadAgain: () => void }) {
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
  const attributes = useAttributes();

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
    setShown(new Set([...Object.keys(EMPTY_FIELDS), ...attributes.map((a) => a.name)]));
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
      <ErrorBanner message={banner} />
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
        attributes={attributes}
        onChange={(next, touched) => {
          setFields(next);
          setSaved(false);
          setShown((current) => new Set([...current, touched]));
        }}
      />
      </fieldset>
      <div className="details-actions">
        <button type="submit" className="button button--primary" data-testid="save-user" hidden={!canEdit}>
          {t("common-save")}
        </button>
        {saved ? (
          <span className="saved" data-testid="saved" role="status">
            {t("details-saved")}
          </span>
        ) : null}
      </div>
      <dl className="facts">
        <dt>{FIELD_LABELS.identity_provider}</dt>
        <dd>{user.identity_provider}</dd>
        <dt>{FIELD_LABELS.two_factor}</dt>
        <dd>{TWO_FACTOR_LABELS[user.two_factor]}</dd>
        <dt>{FIELD_LABELS.group_count}</dt>
        <dd>{formatCount(user.group_count)}</dd>
        <dt>{FIELD_LABELS.created_at}</dt>
        <dd>
          <time dateTime={user.created_at}>{formatDateTime(user.created_at)}</time> {t("details-created-by", { name: user.created_by })}
        </dd>
        <dt>{FIELD_LABELS.modified_at}</dt>
        <dd>
          <time dateTime={user.modified_at}>{formatDateTime(user.modified_at)}</time>
        </dd>
        <dt>{FIELD_LABELS.last_sign_in_at}</dt>
        <dd>{user.last_sign_in_at ? <time dateTime={user.last_sign_in_at}>{formatDateTime(user.last_sign_in_at)}</time> : t("details-never")}</dd>
        <dt>{FIELD_LABELS.password_changed_at}</dt>
        <dd>{user.password_changed_at ? <time dateTime={user.password_changed_at}>{formatDateTime(user.password_changed_at)}</time> : t("details-never")}</dd>
        <dt>{t("details-version")}</dt>
        <dd data-testid="user-version">{user.version}</dd>
      </dl>
    </form>
  );
}
