import { useState } from "react";
import { useLoad } from "./useLoad";

interface Props<T> {
  testId: string;
  optionTestId: string;
  placeholder: string;
  /** The options for what was typed; called a moment after typing pauses. */
  find: (text: string) => Promise<T[]>;
  keyOf: (item: T) => string | number;
  label: (item: T) => string;
  onPick: (item: T) => void;
}

/** A text box that offers matches as you type; Enter or a click picks one. */
/** How long typing must pause before the suggestions are looked up. */
const TYPING_PAUSE_MS = 120;

export function Autocomplete<T>({ testId, optionTestId, placeholder, find, keyOf, label, onPick }: Props<T>) {
  const [text, setText] = useState("");
  const [options, setOptions] = useState<T[]>([]);

  useLoad(
    () => (text.trim() ? find(text.trim()) : null),
    [text, find],
    setOptions,
    () => {
      setOptions([]);
    },
    TYPING_PAUSE_MS,
  );

  // Options of an emptied box are stale; show none.
  const visible = text.trim() ? options : [];

  const pick = (item: T) => {
    setText("");
    setOptions([]);
    onPick(item);
  };

  return (
    <div className="autocomplete">
      <input
        className="text-input"
        data-testid={testId}
        placeholder={placeholder}
        aria-label={placeholder}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
        }}
        onKeyDown={(event) => {
          const first = visible[0];
          if (event.key === "Enter" && first !== undefined) {
            event.preventDefault();
            pick(first);
          }
        }}
      />
      {visible.length > 0 ? (
        <ul role="listbox">
          {visible.map((item) => (
            <li key={keyOf(item)} role="option" aria-selected={false}>
              <button
                type="button"
                className="picker-option"
                data-testid={optionTestId}
                onClick={() => {
                  pick(item);
                }}
              >
                {label(item)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
