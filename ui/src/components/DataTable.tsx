import type { ReactNode } from "react";
import "./table.css";

/** One column of a [`DataTable`]: its header and what each row shows in it. */
export interface Column<T> {
  /** The header. A column of buttons keeps it for screen readers only (`hideHeader`). */
  header: ReactNode;
  hideHeader?: boolean;
  cell: (row: T) => ReactNode;
  /** `numeric` right-aligns figures; `actions` right-aligns a row's buttons. */
  align?: "numeric" | "actions";
  testId?: string;
}

export interface DataTableProps<T> {
  /** `null` while loading: nothing is shown, neither rows nor the empty state. */
  rows: readonly T[] | null;
  columns: readonly (Column<T> | false | null | undefined)[];
  rowKey: (row: T) => string | number;
  /** Each row's `data-testid`; `rowData` adds `data-*` attributes that name the row. */
  rowTestId: string;
  rowData?: (row: T) => Record<`data-${string}`, string | number>;
  /** What an empty list says: a heading and what to do, or one short line. */
  empty: { title: string; hint?: ReactNode } | string;
  /** `page`: a screen's framed table; `inline`: a table inside a tab or dialog. */
  look?: "page" | "inline";
  testId?: string;
  /** A screen's own tweaks (narrower cells where seven columns share a side panel). */
  className?: string;
}

/**
 * The lists that fit on one screen (groups, organizations, attributes, roles, tokens,
 * devices): one markup for the header row, the rows and the empty state, so each screen
 * only says what its columns show. The users list, a million rows deep, is virtualised
 * instead (`UserTable`).
 */
export function DataTable<T>({ rows, columns, rowKey, rowTestId, rowData, empty, look = "page", testId, className }: DataTableProps<T>) {
  if (rows === null) return null;
  if (rows.length === 0) {
    if (typeof empty === "string") return <p className="empty-tab">{empty}</p>;
    return (
      <div className="state">
        <h2 className="state-title">{empty.title}</h2>
        {empty.hint ? <p className="state-hint">{empty.hint}</p> : null}
      </div>
    );
  }
  const shown = columns.filter((c): c is Column<T> => Boolean(c));
  const table = (
    <table className={`data-table data-table--${look} ${className ?? ""}`.trim()} data-testid={testId}>
      <thead>
        <tr>
          {shown.map((column, i) => (
            <th key={i} className={column.align}>
              {column.hideHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} data-testid={rowTestId} {...rowData?.(row)}>
            {shown.map((column, i) => (
              <td key={i} className={column.align} data-testid={column.testId}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return look === "page" ? <div className="data-table-wrap">{table}</div> : table;
}
