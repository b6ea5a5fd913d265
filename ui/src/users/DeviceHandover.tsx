import { useState } from "react";

/** Deleting users: their devices are retired, or given to someone who stays. */
export function DeviceHandover({ heir, onChange }: { heir: string; onChange: (heir: string) => void }) {
  const [giving, setGiving] = useState(heir !== "");
  return (
    <fieldset className="handover" data-testid="device-handover">
      <legend>Their devices</legend>
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
        Retire them (kept on record, with no owner)
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
        Give them to
      </label>
      <input
        className="text-input"
        data-testid="handover-heir"
        aria-label="Username or email of who takes the devices"
        placeholder="username or email"
        disabled={!giving}
        value={heir}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
    </fieldset>
  );
}
