import { useState } from "react";
import { accountScope, listOrganizations, setAccountScope, toCommandError } from "../api";
import type { Organization } from "../bindings/Organization";
import type { User } from "../bindings/User";
import { useCan } from "../session/SessionContext";
import { useLoad } from "../components/useLoad";
import { Button } from "../components/Button";
import { ErrorBanner } from "../components/ErrorBanner";
import { t } from "../i18n";

/**
 * Which organizations a console account administers: the whole directory, or only some,
 * whose users, groups, tokens and audit entries are then all it sees and changes.
 */
export function Administers({ user, onSaved }: { user: User; onSaved: () => void }) {
  const canEdit = useCan()("manage_users");
  const [organizations, setOrganizations] = useState<Organization[] | null>(null);
  /** `null`: the whole directory. */
  const [chosen, setChosen] = useState<number[] | null>(null);
  const [loaded, setLoaded] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useLoad(
    () => Promise.all([listOrganizations(), accountScope(user.id)]),
    [user.id, loaded],
    ([list, scope]) => {
      setOrganizations(list);
      setChosen(scope);
      setError(null);
    },
    (e) => {
      setError(e.message);
    },
  );

  const save = () => {
    setSaved(false);
    setAccountScope(user.id, chosen).then(
      () => {
        setSaved(true);
        setError(null);
        setLoaded((n) => n + 1);
        onSaved();
      },
      (reason: unknown) => {
        setError(toCommandError(reason).message);
      },
    );
  };

  const toggle = (id: number) => {
    const current = chosen ?? [];
    setChosen(current.includes(id) ? current.filter((c) => c !== id) : [...current, id]);
    setSaved(false);
  };

  return (
    <section className="administers" aria-labelledby={`administers-${user.id}`} data-testid="administers">
      <h3 id={`administers-${user.id}`}>{t("details-administers")}</h3>
      <ErrorBanner message={error} />
      <fieldset className="plain-fieldset" disabled={!canEdit || organizations === null}>
        <legend className="visually-hidden">{t("details-administers-legend")}</legend>
        <label className="choice">
          <input
            type="radio"
            name={`scope-${user.id}`}
            data-testid="scope-whole"
            checked={chosen === null}
            onChange={() => {
              setChosen(null);
              setSaved(false);
            }}
          />
          {t("details-administers-whole")}
        </label>
        <label className="choice">
          <input
            type="radio"
            name={`scope-${user.id}`}
            data-testid="scope-some"
            checked={chosen !== null}
            onChange={() => {
              setChosen([]);
              setSaved(false);
            }}
          />
          {t("details-administers-some")}
        </label>
        {chosen !== null ? (
          <ul className="scope-organizations">
            {(organizations ?? []).map((o) => (
              <li key={o.id}>
                <label className="choice">
                  <input
                    type="checkbox"
                    data-testid="scope-organization"
                    data-organization-name={o.name}
                    checked={chosen.includes(o.id)}
                    onChange={() => {
                      toggle(o.id);
                    }}
                  />
                  {o.name}
                </label>
              </li>
            ))}
          </ul>
        ) : null}
      </fieldset>
      <div className="details-actions">
        <Button look="primary" testId="save-scope" hidden={!canEdit} onClick={save}>
          {t("details-administers-save")}
        </Button>
        {saved ? (
          <span className="saved" role="status" data-testid="scope-saved">
            {t("details-saved")}
          </span>
        ) : null}
      </div>
    </section>
  );
}
