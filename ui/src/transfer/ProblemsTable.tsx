import { inReadersLanguage } from "../api";
import type { RowProblem } from "../bindings/RowProblem";
import { t } from "../i18n";

/** An import's problems: the line, the file's own column, the value, what to do. */
export function ProblemsTable({ problems }: { problems: readonly RowProblem[] }) {
  return (
    <table className="simple-table" data-testid="import-problems">
      <thead>
        <tr>
          <th scope="col">{t("import-problems-line")}</th>
          <th scope="col">{t("import-problems-column")}</th>
          <th scope="col">{t("import-problems-value")}</th>
          <th scope="col">{t("import-problems-problem")}</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((p, i) => (
          <tr key={`${String(p.line)}-${String(i)}`}>
            <td>{p.line}</td>
            {/* The file's own header and value: its words, in no language of ours. */}
            <td translate="no">{p.column ?? ""}</td>
            <td className="import-value" translate="no">{p.value ?? ""}</td>
            <td>{inReadersLanguage(p).message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
