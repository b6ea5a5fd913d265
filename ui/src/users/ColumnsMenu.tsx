import { useRef, useState } from "react";
import { moveColumn, type Column, type ColumnChoice, type ColumnId } from "./columns";
import { Button } from "../components/Button";
import { t } from "../i18n";

interface Props {
  choice: ColumnChoice;
  /** Every column there is: the built-in ones and the attributes'. */
  columns: readonly Column[];
  onChange: (choice: ColumnChoice) => void;
  onReset: () => void;
}

/**
 * Show, hide and reorder columns: drag a row by its handle (pointer events, so mouse, pen
 * and touch all work), or use the arrow buttons from the keyboard.
 */
export function ColumnsMenu({ choice, columns, onChange, onReset }: Props) {
  const list = useRef<HTMLUListElement>(null);
  const [dragging, setDragging] = useState<{ id: ColumnId; over: number } | null>(null);

  const indexAt = (clientY: number): number => {
    const items = [...(list.current?.children ?? [])];
    const index = items.findIndex((item) => {
      const rect = item.getBoundingClientRect();
      return clientY < rect.top + rect.height / 2;
    });
    return index === -1 ? items.length - 1 : index;
  };

  const label = (id: ColumnId) => columns.find((c) => c.id === id)?.label ?? id;

  return (
    <div className="columns-menu" data-testid="columns-menu" role="dialog" aria-label={t("users-columns")}>
      <ul ref={list}>
        {choice.order.map((id, index) => (
          <li key={id} className={dragging?.over === index ? "columns-item columns-item--over" : "columns-item"}>
            <span
              className="drag-handle"
              aria-hidden="true"
              onPointerDown={(event) => {
                event.currentTarget.setPointerCapture(event.pointerId);
                setDragging({ id, over: index });
              }}
              onPointerMove={(event) => {
                if (dragging) setDragging({ ...dragging, over: indexAt(event.clientY) });
              }}
              onPointerUp={(event) => {
                if (dragging) onChange(moveColumn(choice, dragging.id, indexAt(event.clientY)));
                setDragging(null);
              }}
              onPointerCancel={() => {
                setDragging(null);
              }}
            >
              ⠿
            </span>
            <label className="check">
              <input
                type="checkbox"
                data-testid={`column-toggle-${id}`}
                checked={!choice.hidden.includes(id)}
                onChange={() => {
                  const hidden = choice.hidden.includes(id) ? choice.hidden.filter((h) => h !== id) : [...choice.hidden, id];
                  onChange({ ...choice, hidden });
                }}
              />
              {label(id)}
            </label>
            <span className="columns-move">
              <button
                type="button"
                className="icon-button"
                data-testid={`column-up-${id}`}
                aria-label={t("users-columns-move-up", { column: label(id) })}
                disabled={index === 0}
                onClick={() => {
                  onChange(moveColumn(choice, id, index - 1));
                }}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon-button"
                data-testid={`column-down-${id}`}
                aria-label={t("users-columns-move-down", { column: label(id) })}
                disabled={index === choice.order.length - 1}
                onClick={() => {
                  onChange(moveColumn(choice, id, index + 1));
                }}
              >
                ↓
              </button>
            </span>
          </li>
        ))}
      </ul>
      <Button look="link" onClick={onReset}>{t("users-columns-reset")}</Button>
    </div>
  );
}
