// 导入心愿卡 / 导入人员名单: a coordinator chooses a spreadsheet, the server checks every
// row (the same checks as `wish-station import`) and answers row by row; if every row is
// good, 确认导入 has the server create the items, which then sync to the tablets.

import { currentLang, t } from "../../i18n.js";
import { importFile, type ImportReport, type RowReport } from "../../manage_api.js";
import type { Session } from "../../session.js";
import { field, h, select, toast } from "../dom.js";

type Kind = "wishes" | "people";

export function importScreen(session: Session, kind: Kind): HTMLElement {
  const file = h("input", { type: "file", accept: ".xlsx,.csv,text/csv", "data-testid": "import-file" }) as HTMLInputElement;
  const station = kind === "wishes" ? stationSelect(session) : null;
  const result = h("section", { class: "import-result", "data-testid": "import-result" });
  const run = async (confirm: boolean) => {
    const chosen = file.files?.[0];
    if (!chosen) return toast(t("chooseFile"), "error");
    try {
      const report = await importFile(session.identity.token, kind, chosen, { confirm, station: station?.value });
      result.replaceChildren(...reportView(report, confirm, () => void run(true)));
    } catch (error) {
      toast(`${t("importFailed")}: ${(error as Error).message}`, "error");
    }
  };
  file.addEventListener("change", () => {
    result.replaceChildren();
    keep(file);
  });
  return h("main", { class: "screen" },
    h("section", { class: "card form" },
      h("h1", {}, t(kind === "wishes" ? "importWishesTitle" : "importPeopleTitle")),
      h("p", { class: "help" }, t(kind === "wishes" ? "importWishesHelp" : "importPeopleHelp")),
      field(t("chooseFile"), file),
      station ? field(t("defaultStation"), station) : null,
      h("button", { type: "button", class: "primary", "data-testid": "import-check", onclick: () => void run(false) }, t("checkFile"))),
    result);
}

function stationSelect(session: Session): HTMLSelectElement {
  const community = session.community();
  const ids = session.device.role === "coordinator" ? session.device.stations : Object.keys(community?.stations ?? {});
  const options: [string, string][] = ids.map((id) => [id, community?.stations[id]?.name ?? id]);
  const element = select("station", [["", "—"], ...options], ids.length === 1 ? ids[0] : "");
  element.setAttribute("data-testid", "import-station");
  return element;
}

function reportView(report: ImportReport, confirmed: boolean, confirm: () => void): HTMLElement[] {
  const done = confirmed && report.imported > 0;
  const summary = h("p", { class: done ? "import-done" : "import-counts", "data-testid": done ? "import-done" : "import-counts", "data-imported": report.imported, "data-good": report.good, "data-bad": report.bad },
    done ? importedText(report.imported) : countsText(report));
  const next = done
    ? null
    : report.bad === 0 && report.good > 0
      ? h("button", { type: "button", class: "primary big", "data-testid": "import-confirm", onclick: confirm }, t("confirmImport"))
      : h("p", { class: "help" }, t("fixAndRetry"));
  return [h("div", { class: "card" }, summary, next), rowsTable(report)];
}

function rowsTable(report: ImportReport): HTMLElement {
  return h("table", { class: "rows card", "data-testid": "import-rows" },
    h("thead", {}, h("tr", {}, h("th", {}, t("rowLine")), h("th", {}, t("rowResult")))),
    h("tbody", {}, report.rows.map((row) =>
      h("tr", { class: row.errors.length ? "row-bad" : "row-ok", "data-testid": "import-row" },
        h("td", {}, String(row.line)),
        h("td", {}, row.errors.length ? problems(row).join("；") : `${t("rowOk")}：${row.summary}`)))));
}

function problems(row: RowReport): string[] {
  return currentLang() === "zh" ? row.errors_zh : row.errors;
}

function countsText(report: ImportReport): string {
  const total = report.good + report.bad;
  return currentLang() === "zh"
    ? `共 ${total} 行：${report.good} 行可以导入，${report.bad} 行有问题`
    : `${total} rows: ${report.good} ready, ${report.bad} with problems`;
}

function importedText(count: number): string {
  return currentLang() === "zh" ? `已导入 ${count} 条，平板联网后就能看到。` : `${count} imported; tablets see them once online.`;
}

/** Sync must not redraw this screen now: it holds the chosen file and its check. */
function keep(element: HTMLElement): void {
  element.closest("main")?.setAttribute("data-keep", "");
}
