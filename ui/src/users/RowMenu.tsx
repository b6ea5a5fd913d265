import { useEffect, useRef, useState } from "react";
import { t } from "../i18n";

export interface MenuItem {
  id: string;
  label: string;
  danger?: boolean;
  run: () => void;
}

/**
 * The ••• menu of a row. It is positioned against the window, so the table's scrolling
 * viewport never clips it.
 */
export function RowMenu({ label, items }: { label: string; items: readonly MenuItem[] }) {
  const [at, setAt] = useState<{ top: number; right: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!at) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== "Escape") return;
      setAt(null);
    };
    // Deferred so the click that opened the menu does not close it.
    const timer = window.setTimeout(() => {
      window.addEventListener("click", close);
      window.addEventListener("keydown", close);
      window.addEventListener("resize", close);
    });
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener("click", close);
      window.removeEventListener("keydown", close);
      window.removeEventListener("resize", close);
    };
  }, [at]);

  return (
    <>
      <button
        ref={button}
        type="button"
        className="icon-button row-menu-button"
        data-testid="row-menu"
        aria-label={t("users-row-actions", { name: label })}
        aria-haspopup="menu"
        aria-expanded={at !== null}
        onClick={(event) => {
          event.stopPropagation();
          const rect = button.current?.getBoundingClientRect();
          setAt(at || !rect ? null : { top: rect.bottom + 4, right: window.innerWidth - rect.right });
        }}
      >
        •••
      </button>
      {at ? (
        <ul className="menu" role="menu" style={{ top: at.top, right: at.right }}>
          {items.map((item) => (
            <li key={item.id} role="none">
              <button
                type="button"
                role="menuitem"
                className={item.danger ? "menu-item menu-item--danger" : "menu-item"}
                data-testid={`action-${item.id}`}
                onClick={() => {
                  setAt(null);
                  item.run();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
