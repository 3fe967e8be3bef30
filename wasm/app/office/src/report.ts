// The printable monthly report at /office/report?month=YYYY-MM[&community=]: the month's
// key figures, two charts and three tables from /api/v1/office/report, laid out for A4
// (report.css), in Chinese first. The Excel version is /api/v1/office/report.xlsx.

import { h, mount } from "../../src/ui/dom.js";
import { t, type Strings } from "../../src/i18n.js";
import { Api, ApiError } from "./api.js";
import { bars, destroyCharts, drawCharts, resizeCharts } from "./charts.js";
import { isoDay } from "./range.js";
import { storedSession } from "./session.js";
import { languageButtons, status, translateStatic } from "./shell.js";
import { table } from "./table.js";
import { hours, num, tf } from "./text.js";
import type { Report, ReportFigures } from "./types.js";

type Figure = [keyof ReportFigures, keyof Strings, (value: number | null) => string];

const count = (v: number | null) => num(v);
const WISHES: Figure[] = [
  ["collected", "figCollected", count], ["claimed", "figClaimed", count], ["resolved", "figResolved", count],
  ["closed", "figClosed", count], ["overdue", "figOverdue", count],
];
const LISTS: Figure[] = [
  ["needs_open", "figNeedsOpen", count], ["offers", "figOffers", count], ["offers_active", "figOffersActive", count],
  ["projects", "figProjects", count], ["projects_done", "figProjectsDone", count], ["projects_new", "figProjectsNew", count],
];
const SERVICE: Figure[] = [
  ["hours", "figHours", hours], ["service_records", "figRecords", count], ["volunteers", "figVolunteers", count],
  ["party_volunteers", "figPartyVolunteers", count], ["party_hours", "figPartyHours", hours],
  ["rated", "figRated", count], ["average_rating", "figRating", (v) => num(v, 2)],
  ["coverage_percent", "figCoverage", (v) => (v === null ? "–" : `${num(v, 1)}%`)],
];

const params = new URLSearchParams(location.search);
const community = params.get("community") ?? "";

async function load(month: string): Promise<void> {
  const session = storedSession();
  if (!session) {
    status(t("officeNeedCode"), true);
    return;
  }
  status(t("officeLoading"));
  try {
    const report = await new Api(session.token).get<Report>("report", { month, community });
    render(report);
    document.body.dataset.state = "ready";
    status("");
  } catch (error) {
    document.body.dataset.state = "failed";
    const text = error instanceof ApiError && error.status === 401 ? t("officeUnauthorized") : tf("officeFailed", { msg: (error as Error).message });
    status(text, true);
  }
}

function render(report: Report): void {
  const main = document.getElementById("report") as HTMLElement;
  destroyCharts(main);
  const figures = (rows: Figure[]) => h("div", { class: "figures" }, rows.map(([key, label, format]) =>
    h("div", { class: "figure", "data-figure": key }, h("span", { class: "label" }, t(label)), h("span", { class: "value" }, format(report.figures[key])))));
  const moduleChart = bars(report.by_module.map((m) => m.label), [
    { label: t("colNew"), values: report.by_module.map((m) => m.collected) },
    { label: t("colResolved"), values: report.by_module.map((m) => m.resolved) },
  ]);
  moduleChart.id = "chart-modules";
  const stationChart = bars(report.by_station.map((s) => s.station), [
    { label: t("colNew"), values: report.by_station.map((s) => s.collected) },
    { label: t("colResolved"), values: report.by_station.map((s) => s.resolved) },
  ], { horizontal: true });
  stationChart.id = "chart-stations";
  mount(main,
    h("header", { class: "title" },
      h("h1", {}, `${report.scope_name} ${t("reportTitle")}`),
      h("p", { class: "sub" }, `${report.label} · ${t("reportGenerated")} ${report.generated_at}`)),
    h("section", {}, h("h2", {}, t("reportWishes")), figures(WISHES)),
    h("section", {}, h("h2", {}, t("reportLists")), figures(LISTS)),
    h("section", {}, h("h2", {}, t("reportService")), figures(SERVICE)),
    h("section", { class: "charts" },
      h("figure", {}, h("figcaption", {}, t("reportChartModules")), h("div", { class: "chart-box" }, moduleChart)),
      h("figure", {}, h("figcaption", {}, t("reportChartStations")), h("div", { class: "chart-box tall" }, stationChart))),
    h("section", { class: "break-before" }, h("h2", {}, t("reportByModule")), table("table-modules",
      [[t("colModule")], [t("colNew"), true], [t("colResolved"), true]],
      report.by_module.map((m) => [m.label, num(m.collected), num(m.resolved)]))),
    h("section", {}, h("h2", {}, t("reportByStation")), table("table-stations",
      [[t("colCommunity")], [t("officeStation")], [t("colNew"), true], [t("colResolved"), true], [t("colShifts"), true], [t("colCovered"), true]],
      report.by_station.map((s) => [s.community, s.station, num(s.collected), num(s.resolved), num(s.shifts), num(s.shifts_covered)]))),
    h("section", { class: "break-before" }, h("h2", {}, t("reportVolunteers")), table("table-volunteers",
      [[t("colVolunteerName")], [t("colCommunity")], [t("colPartyMember")], [t("colRecords"), true], [t("colServiceHoursLong"), true]],
      report.volunteers.map((v) => [v.name, v.community, v.party_member ? t("yes") : t("no"), num(v.records), hours(v.hours)]))),
  );
  main.hidden = false;
  drawCharts(main);
}

function thisMonth(): string {
  return isoDay(new Date()).slice(0, 7);
}

function wire(month: string): void {
  const input = document.getElementById("month") as HTMLInputElement;
  input.value = month;
  input.addEventListener("change", () => {
    if (!/^\d{4}-\d{2}$/.test(input.value)) return;
    const next = new URL(location.href);
    next.searchParams.set("month", input.value);
    history.replaceState(null, "", next);
    void load(input.value);
  });
  document.getElementById("print")?.addEventListener("click", () => window.print());
  document.getElementById("xlsx")?.addEventListener("click", () => {
    const session = storedSession();
    if (!session) return;
    new Api(session.token).download("report.xlsx", { month: input.value, community }, `月度报告-${input.value}.xlsx`).catch(
      (error: Error) => status(error.message, true),
    );
  });
  // Paper is narrower than the screen: redraw the charts at their printed size.
  window.addEventListener("beforeprint", resizeCharts);
  window.addEventListener("afterprint", resizeCharts);
}

const month = /^\d{4}-\d{2}$/.test(params.get("month") ?? "") ? (params.get("month") as string) : thisMonth();
translateStatic();
wire(month);
languageButtons(() => void load(month));
void load(month);
