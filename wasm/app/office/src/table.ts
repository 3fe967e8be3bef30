// Tables of the console: a header row, body rows, a "no data" row when empty.

import { h, type Child } from "../../src/ui/dom.js";
import { t } from "../../src/i18n.js";

/** A column: its heading, and whether it holds numbers (right-aligned). */
export type Column = [heading: string, numeric?: boolean];

export function table(id: string, columns: Column[], rows: Child[][]): HTMLElement {
  const head = h("tr", {}, columns.map(([heading, numeric]) => h("th", { class: numeric ? "num" : null }, heading)));
  const body = rows.length
    ? rows.map((cells) => h("tr", {}, cells.map((cell, i) => h("td", { class: columns[i]?.[1] ? "num" : null }, cell))))
    : [h("tr", {}, h("td", { colspan: columns.length, class: "empty" }, t("officeNone")))];
  return h("div", { class: "table-wrap" }, h("table", { id }, h("thead", {}, head), h("tbody", {}, body)));
}

/** A panel: a titled card. */
export function card(id: string, title: Child, ...children: Child[]): HTMLElement {
  return h("section", { class: "card", id }, h("h2", {}, title), ...children);
}
