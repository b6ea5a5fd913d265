import type { RowProblem } from "../bindings/RowProblem";

/** An import's problems: the line, the file's own column, the value, what to do. */
export function ProblemsTable({ problems }: { problems: readonly RowProblem[] }) {
  return (
    <table className="simple-table" data-testid="import-problems">
      <thead>
        <tr>
          <th scope="col">Line</th>
          <th scope="col">Column</th>
          <th scope="col">Value</th>
          <th scope="col">Problem</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((p, i) => (
          <tr key={`${String(p.line)}-${String(i)}`}>
            <td>{p.line}</td>
            <td>{p.column ?? ""}</td>
            <td className="import-value">{p.value ?? ""}</td>
            <td>{p.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
