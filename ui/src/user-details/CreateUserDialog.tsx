import { useState } from "react";
import { checkNewUser, createUser, toCommandError } from "../api";
import type { FieldError } from "../bindings/FieldError";
import type { Status } from "../bindings/Status";
import type { User } from "../bindings/User";
import { Dialog } from "../components/Dialog";
import { useFacets } from "../users/filters";
import { UserForm } from "./UserForm";
import { useAttributes } from "../attributes/useAttributes";
import { EMPTY_FIELDS, toNewUser, type UserFields } from "./userFields";
import "./details.css";
import { CHECK_DELAY_MS, useLoad } from "../components/useLoad";
import { Button } from "../components/Button";
import { ErrorBanner } from "../components/ErrorBanner";
import { t } from "../i18n";

export interface CreateUserDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated: (user: User) => void;
}


export function CreateUserDialog({ open, onClose, onCreated }: CreateUserDialogProps) {
  const [fields, setFields] = useState<UserFields>(EMPTY_FIELDS);
  const [status, setStatus] = useState<Status>("staged");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [shown, setShown] = useState<ReadonlySet<string>>(new Set());
  const [banner, setBanner] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [invite, setInvite] = useState(true);
  const facets = useFacets(open ? 1 : 0);
  const attributes = useAttributes(open ? 1 : 0);

  // Validate with the Rust rules as the admin types, a moment after they pause.
  useLoad(
    () => (open ? checkNewUser(toNewUser(fields, status)) : null),
    [open, fields, status],
    setErrors,
    // Saving reports the problem; a failed check while typing shows nothing.
    () => undefined,
    CHECK_DELAY_MS,
  );

  const close = () => {
    setFields(EMPTY_FIELDS);
    setStatus("staged");
    setErrors([]);
    setShown(new Set());
    setBanner(null);
    onClose();
  };

  const save = () => {
    const input = toNewUser(fields, status);
    setShown(new Set([...Object.keys(EMPTY_FIELDS), ...attributes.map((a) => a.name)]));
    setSaving(true);
    void checkNewUser(input)
      .then((found) => {
        setErrors(found);
        if (found.length > 0) return null;
        return createUser(input, invite);
      })
      .then(
        (user) => {
          setSaving(false);
          if (!user) return;
          setFields(EMPTY_FIELDS);
          setShown(new Set());
          setBanner(null);
          onCreated(user);
        },
        (reason: unknown) => {
          setSaving(false);
          const error = toCommandError(reason);
          if (error.fields.length > 0) setErrors(error.fields);
          else setBanner(error.message);
        },
      );
  };

  return (
    <Dialog
      open={open}
      title={t("details-create-title")}
      onClose={close}
      testId="create-user-dialog"
      wide
      footer={
        <>
          <Button onClick={close}>{t("common-cancel")}</Button>
          <Button look="primary" testId="save-user" disabled={saving} onClick={save}>{t("details-create-submit")}</Button>
        </>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <ErrorBanner message={banner} />
        <UserForm
          idPrefix="new-user"
          fields={fields}
          errors={errors}
          shown={shown}
          roles={facets?.roles ?? ["user"]}
          organizations={facets?.organizations ?? []}
          teams={facets?.teams ?? []}
          attributes={attributes}
          usernamePlaceholder={t("details-create-username-placeholder")}
          onChange={(next, touched) => {
            setFields(next);
            setShown((current) => new Set([...current, touched]));
          }}
        />
        <div className="form-field form-field--inline">
          <label htmlFor="new-user-status">{t("details-create-status")}</label>
          <select
            id="new-user-status"
            name="status"
            value={status}
            onChange={(event) => {
              setStatus(event.target.value === "active" ? "active" : "staged");
            }}
          >
            <option value="staged">{t("details-create-status-staged")}</option>
            <option value="active">{t("details-create-status-active")}</option>
          </select>
        </div>
        <label className="check form-note">
          <input
            type="checkbox"
            data-testid="send-invitation"
            checked={invite}
            onChange={(event) => {
              setInvite(event.target.checked);
            }}
          />
          {t("details-create-send-invitation")}
        </label>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
