import type { Ref } from "react";

interface SearchBoxProps {
  /** Read out by screen readers; the placeholder says what it searches. */
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
  /** The key that jumps here, shown at the box's end. */
  shortcut?: string;
}

/** A list's search box: typing filters, Escape empties it. */
export function SearchBox({ label, placeholder, value, onChange, testId, inputRef, autoFocus = false, shortcut }: SearchBoxProps) {
  return (
    <label className="search">
      <span className="visually-hidden">{label}</span>
      <svg className="search-icon" viewBox="0 0 16 16" aria-hidden="true">
        <circle cx="7" cy="7" r="4.5" />
        <path d="M10.5 10.5 14 14" />
      </svg>
      <input
        ref={inputRef}
        data-testid={testId}
        type="search"
        placeholder={placeholder}
        autoFocus={autoFocus}
        spellCheck={false}
        autoComplete="off"
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
        onKeyDown={(event) => {
          if (event.key === "Escape" && value) {
            event.preventDefault();
            onChange("");
          }
        }}
      />
      {shortcut ? (
        <kbd className="search-hint" aria-hidden="true">
          {shortcut}
        </kbd>
      ) : null}
    </label>
  );
}
