import { useState } from "react";
import { listOrganizations } from "../api";
import type { Organization } from "../bindings/Organization";
import { useLoad } from "../components/useLoad";
import { t } from "../i18n";

/** Where this workstation remembers the organization last chosen (by name: ids differ between directories). */
const STORAGE_KEY = "roster.organization";

export function rememberedOrganization(): string | null {
  return localStorage.getItem(STORAGE_KEY);
}

/**
 * All the organizations the account may see, or one of them: the users list, the overview,
 * the groups and exports follow the choice. An organization remembered but gone (renamed,
 * deleted, or outside this account's) falls back to all.
 */
export function OrganizationSwitcher({
  chosen,
  onChoose,
  dataVersion,
}: {
  chosen: Organization | null;
  onChoose: (organization: Organization | null) => void;
  dataVersion: number;
}) {
  // `null` until the first answer: the switcher holds its place meanwhile, so the menu
  // below it does not move under a click made right after sign-in.
  const [organizations, setOrganizations] = useState<Organization[] | null>(null);

  const choose = (organization: Organization | null) => {
    if (organization) localStorage.setItem(STORAGE_KEY, organization.name);
    else localStorage.removeItem(STORAGE_KEY);
    onChoose(organization);
  };

  useLoad(
    () => listOrganizations(),
    [dataVersion],
    (list) => {
      setOrganizations(list);
      const wanted = chosen?.name ?? rememberedOrganization();
      const found = list.find((o) => o.name === wanted) ?? null;
      if (found?.id !== chosen?.id || found?.name !== chosen?.name) onChoose(found);
    },
    () => {
      setOrganizations([]);
    },
  );

  if (organizations?.length === 0) return null;
  return (
    <label className="switcher">
      {t("orgs-switcher-label")}
      <select
        className="text-input"
        data-testid="organization-switcher"
        disabled={organizations === null}
        value={chosen ? String(chosen.id) : ""}
        onChange={(event) => {
          choose(organizations?.find((o) => String(o.id) === event.target.value) ?? null);
        }}
      >
        <option value="">{t("orgs-switcher-all")}</option>
        {(organizations ?? []).map((o) => (
          <option key={o.id} value={String(o.id)}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
