import { Button } from "./Button";
import { t } from "../i18n";

export interface ChipItem {
  key: string;
  label: string;
  onRemove: () => void;
}

/** The active filters of a list, each removable, with "Clear all"; nothing when none. */
export function Chips({ chips, onClear }: { chips: ChipItem[]; onClear: () => void }) {
  if (chips.length === 0) return null;
  return (
    <div className="chips" aria-label={t("ui-active-filters")}>
      {chips.map((chip) => (
        <span key={chip.key} className="chip" data-testid="chip">
          {chip.label}
          <button type="button" className="chip-remove" data-testid="chip-remove" aria-label={t("ui-remove-filter", { filter: chip.label })} onClick={chip.onRemove}>
            ×
          </button>
        </span>
      ))}
      <Button look="link" testId="clear-filters" onClick={onClear}>
        {t("ui-clear-filters")}
      </Button>
    </div>
  );
}
