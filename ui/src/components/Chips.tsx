import { Button } from "./Button";

export interface ChipItem {
  key: string;
  label: string;
  onRemove: () => void;
}

/** The active filters of a list, each removable, with "Clear all"; nothing when none. */
export function Chips({ chips, onClear }: { chips: ChipItem[]; onClear: () => void }) {
  if (chips.length === 0) return null;
  return (
    <div className="chips" aria-label="Active filters">
      {chips.map((chip) => (
        <span key={chip.key} className="chip" data-testid="chip">
          {chip.label}
          <button type="button" className="chip-remove" data-testid="chip-remove" aria-label={`Remove filter ${chip.label}`} onClick={chip.onRemove}>
            ×
          </button>
        </span>
      ))}
      <Button look="link" testId="clear-filters" onClick={onClear}>
        Clear all
      </Button>
    </div>
  );
}
