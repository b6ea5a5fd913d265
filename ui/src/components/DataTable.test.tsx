import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable, type Column } from "./DataTable";

interface Row {
  id: number;
  name: string;
  count: number;
}

const NAME: Column<Row> = { header: "Name", cell: (r) => r.name };
const COUNT: Column<Row> = { header: "Count", align: "numeric", testId: "row-count", cell: (r) => r.count };
const ACTIONS: Column<Row> = { header: "Actions", hideHeader: true, align: "actions", cell: (r) => <button type="button">Open {r.name}</button> };
const COLUMNS = [NAME, COUNT, ACTIONS];

const render = (rows: Row[] | null, columns: (Column<Row> | false)[] = COLUMNS) =>
  renderToStaticMarkup(
    <DataTable
      rows={rows}
      columns={columns}
      rowKey={(r) => r.id}
      rowTestId="thing-row"
      rowData={(r) => ({ "data-thing-name": r.name })}
      empty={{ title: "No things yet", hint: "Create the first one." }}
      testId="things"
    />,
  );

describe("DataTable", () => {
  it("shows nothing while the rows load", () => {
    expect(render(null)).toBe("");
  });

  it("says what to do when the list is empty, without an empty table", () => {
    const html = render([]);
    expect(html).toContain("No things yet");
    expect(html).toContain("Create the first one.");
    expect(html).not.toContain("<table");
  });

  it("renders a row per item, named for tests and in order", () => {
    const html = render([
      { id: 2, name: "Bravo", count: 7 },
      { id: 1, name: "Alpha", count: 1200 },
    ]);
    expect(html.match(/data-testid="thing-row"/g)).toHaveLength(2);
    expect(html.indexOf('data-thing-name="Bravo"')).toBeLessThan(html.indexOf('data-thing-name="Alpha"'));
    expect(html).toContain('<td class="numeric" data-testid="row-count">1200</td>');
    expect(html).toContain("Open Alpha");
  });

  it("keeps a buttons column's header for screen readers only", () => {
    const html = render([{ id: 1, name: "Alpha", count: 1 }]);
    expect(html).toContain('<th class="actions"><span class="visually-hidden">Actions</span></th>');
    expect(html).toContain("<th>Name</th>");
  });

  it("leaves out a column its screen does not show, header and cells alike", () => {
    const html = render([{ id: 1, name: "Alpha", count: 1 }], [NAME, false, COUNT]);
    expect(html.match(/<th[ >]/g)).toHaveLength(2);
    expect(html.match(/<td/g)).toHaveLength(2);
    expect(html).not.toContain("Open Alpha");
  });

  it("wraps a screen's table in its frame and leaves an inline one bare", () => {
    const rows = [{ id: 1, name: "Alpha", count: 1 }];
    expect(render(rows)).toMatch(/^<div class="data-table-wrap"><table class="data-table data-table--page"/);
    const inline = renderToStaticMarkup(
      <DataTable look="inline" rows={rows} columns={COLUMNS} rowKey={(r) => r.id} rowTestId="thing-row" empty="None." />,
    );
    expect(inline).toMatch(/^<table class="data-table data-table--inline"/);
    expect(renderToStaticMarkup(<DataTable look="inline" rows={[]} columns={COLUMNS} rowKey={(r: Row) => r.id} rowTestId="thing-row" empty="None." />)).toBe(
      '<p class="empty-tab">None.</p>',
    );
  });
});
