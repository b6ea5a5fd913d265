import { useState } from "react";
import type { Attribute } from "../bindings/Attribute";
import type { BulkEdit } from "../bindings/BulkEdit";
import { AttributeInput } from "../attributes/AttributeInput";
import type { Facets } from "../bindings/Facets";
import { Dialog } from "../components/Dialog";
import { Button } from "../components/Button";
import { FIELD_LABELS } from "../fieldLabels";
import { t } from "../i18n";
import type { ProfileField } from "../user-details/userFields";

interface Props {
  count: number | null;
  facets: Facets | null;
  /** The attributes defined; all but the unique ones can be given to many at once. */
  attributes: readonly Attribute[];
  onClose: () => void;
  onApply: (edit: BulkEdit) => void;
}

const UNCHANGED = "";

/** The profile fields a bulk edit sets: those a whole team changes together. */
const BULK_PROFILE = ["department", "job_title", "office", "cost_center", "end_date"] as const satisfies readonly ProfileField[];
type BulkProfile = Record<(typeof BULK_PROFILE)[number], string>;
const NO_PROFILE: BulkProfile = { department: "", job_title: "", office: "", cost_center: "", end_date: "" };

function tags(text: string): string[] {
  return text
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
}

/** Organization, team, role, tags and work fields for many users at once; empty fields stay
 * as they are. */
export function BulkEditDialog({ count, facets, attributes, onClose, onApply }: Props) {
  const [organization, setOrganization] = useState("");
  const [team, setTeam] = useState("");
  const [clearTeam, setClearTeam] = useState(false);
  const [role, setRole] = useState(UNCHANGED);
  const [addTags, setAddTags] = useState("");
  const [removeTags, setRemoveTags] = useState("");
  const [profile, setProfile] = useState<BulkProfile>(NO_PROFILE);
  const [values, setValues] = useState<Record<string, string>>({});
  const shared = attributes.filter((a) => !a.unique);

  const edit: BulkEdit = {
    organization: organization.trim() ? organization : null,
    team: clearTeam ? "" : team.trim() ? team : null,
    role: role === UNCHANGED ? null : role,
    add_tags: tags(addTags),
    remove_tags: tags(removeTags),
    profile: Object.fromEntries(BULK_PROFILE.filter((f) => profile[f].trim()).map((f) => [f, profile[f]])),
    attributes: Object.fromEntries(Object.entries(values).filter(([, value]) => value.trim())),
  };
  const empty =
    edit.organization === null &&
    edit.team === null &&
    edit.role === null &&
    edit.add_tags.length === 0 &&
    edit.remove_tags.length === 0 &&
    Object.keys(edit.profile).length === 0 &&
    Object.keys(edit.attributes).length === 0;

  const reset = () => {
    setOrganization("");
    setTeam("");
    setClearTeam(false);
    setRole(UNCHANGED);
    setAddTags("");
    setRemoveTags("");
    setProfile(NO_PROFILE);
    setValues({});
  };

  return (
    <Dialog
      open={count !== null}
      title={t("users-bulk-edit-title", { count: count ?? 0 })}
      onClose={() => {
        reset();
        onClose();
      }}
      testId="bulk-edit-dialog"
      footer={
        <>
          <Button
            onClick={() => {
              reset();
              onClose();
            }}
          >
            {t("common-cancel")}
          </Button>
          <Button
            look="primary"
            testId="apply-bulk-edit"
            disabled={empty}
            onClick={() => {
              onApply(edit);
              reset();
            }}
          >
            {t("users-bulk-edit-apply", { count: count ?? 0 })}
          </Button>
        </>
      }
    >
      <div className="bulk-form">
        <p className="muted">{t("users-bulk-edit-hint")}</p>
        <label>
          {FIELD_LABELS.organization}
          <input className="text-input" name="organization" list="bulk-organizations" value={organization} onChange={(e) => { setOrganization(e.target.value); }} />
        </label>
        <label>
          {FIELD_LABELS.team}
          <input className="text-input" name="team" list="bulk-teams" value={team} disabled={clearTeam} onChange={(e) => { setTeam(e.target.value); }} />
        </label>
        <label className="check">
          <input type="checkbox" name="clear_team" checked={clearTeam} onChange={() => { setClearTeam(!clearTeam); }} />
          {t("users-bulk-edit-clear-team")}
        </label>
        <label>
          {FIELD_LABELS.role}
          <select name="role" value={role} onChange={(e) => { setRole(e.target.value); }}>
            <option value={UNCHANGED}>{t("users-bulk-edit-unchanged")}</option>
            {(facets?.roles ?? []).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("users-bulk-edit-add-tags")}
          <input className="text-input" name="add_tags" placeholder={t("users-bulk-edit-tags-placeholder")} value={addTags} onChange={(e) => { setAddTags(e.target.value); }} />
        </label>
        <label>
          {t("users-bulk-edit-remove-tags")}
          <input className="text-input" name="remove_tags" placeholder={t("users-bulk-edit-tags-placeholder")} value={removeTags} onChange={(e) => { setRemoveTags(e.target.value); }} />
        </label>
        {BULK_PROFILE.map((field) => (
          <label key={field}>
            {FIELD_LABELS[field]}
            <input
              className="text-input"
              name={field}
              type={field === "end_date" ? "date" : "text"}
              list={field === "department" ? "bulk-departments" : undefined}
              value={profile[field]}
              onChange={(e) => {
                setProfile({ ...profile, [field]: e.target.value });
              }}
            />
          </label>
        ))}
        {shared.map((attribute) => (
          <label key={attribute.name}>
            {attribute.label}
            <AttributeInput
              id={`bulk-attribute-${attribute.name}`}
              attribute={attribute}
              value={values[attribute.name] ?? ""}
              invalid={false}
              describedBy={undefined}
              emptyLabel={t("users-bulk-edit-unchanged")}
              onChange={(value) => {
                setValues({ ...values, [attribute.name]: value });
              }}
            />
          </label>
        ))}
        <datalist id="bulk-departments">
          {(facets?.departments ?? []).map((d) => (
            <option key={d} value={d} />
          ))}
        </datalist>
        <datalist id="bulk-organizations">
          {(facets?.organizations ?? []).map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
        <datalist id="bulk-teams">
          {(facets?.teams ?? []).map((team) => (
            <option key={team} value={team} />
          ))}
        </datalist>
      </div>
    </Dialog>
  );
}
