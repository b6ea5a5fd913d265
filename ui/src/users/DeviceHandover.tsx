import { useState } from "react";
import { t } from "../i18n";

/** Deleting users: their devices are retired, or given to someone who stays. */
export function DeviceHandover({ heir, onChange }: { heir: string; onChange: (heir: string) => void }) {
  const [giving, setGiving] = useState(heir !== "");
  return (
    <fieldset className="handover" data-testid="device-handover">
      <legend>{t("users-handover-legend")}</legend>
      <label className="check">
        <input
          type="radio"
          name="handover"
          data-testid="handover-retire"
          checked={!giving}
          onChange={() => {
            setGiving(false);
            onChange("");
          }}
        />
        {t("users-handover-retire")}
      </label>
      <label className="check">
        <input
          type="radio"
          name="handover"
          data-testid="handover-give"
          checked={giving}
          onChange={() => {
            setGiving(true);
          }}
        />
        {t("users-handover-give")}
      </label>
      <input
        className="text-input"
        data-testid="handover-heir"
        aria-label={t("users-handover-heir-label")}
        placeholder={t("users-handover-heir-placeholder")}
        disabled={!giving}
        value={heir}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
    </fieldset>
  );
}
