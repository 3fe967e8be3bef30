// The wish list of the period with its own filters (status, module, station) and pages;
// a row opens the wish's detail.

import { h, mount, select } from "../../../src/ui/dom.js";
import { MODULES, STATUSES, label, t } from "../../../src/i18n.js";
import type { Ctx } from "../context.js";
import { card, table } from "../table.js";
import { day, hours, num, tf } from "../text.js";
import type { WishPage } from "../types.js";

const PER_PAGE = 10;

/** The list's own filters; kept while the page lives (a new period keeps them). */
const filters = { status: "", module: "", station: "", page: 1 };

export async function wishes(ctx: Ctx): Promise<HTMLElement> {
  const body = h("div", { class: "wish-list" });
  const panel = card("wish-list", t("officeWishes"), filterBar(ctx, () => void show(ctx, body)), body);
  await show(ctx, body);
  return panel;
}

async function show(ctx: Ctx, body: HTMLElement): Promise<void> {
  // A station is picked as "community/station": the same station code exists in every community.
  const [community, station] = filters.station ? filters.station.split("/") : [ctx.query.community, ""];
  const page = await ctx.api.get<WishPage>("wishes", {
    ...ctx.query, community, station, status: filters.status, module: filters.module,
    page: filters.page, per_page: PER_PAGE,
  });
  const rows = page.items.map((w) => {
    const row = [w.title, w.names.station, label(w.module ?? "untriaged"), label(w.status), label(w.urgency), day(w.created_at), hours(w.hours), w.rating ?? "–"];
    return row;
  });
  const grid = table(
    "wishes",
    [[t("colTitle")], [t("officeStation")], [t("colModule")], [t("colStatus")], [t("colUrgency")], [t("colCreated")], [t("colHours"), true], [t("colRating"), true]],
    rows,
  );
  grid.querySelectorAll("tbody tr").forEach((tr, i) => {
    const wish = page.items[i];
    if (!wish) return;
    tr.classList.add("clickable");
    tr.setAttribute("data-doc", wish.doc_id);
    tr.setAttribute("tabindex", "0");
    tr.addEventListener("click", () => ctx.openWish(wish.doc_id));
    tr.addEventListener("keydown", (e) => {
      if ((e as KeyboardEvent).key === "Enter") ctx.openWish(wish.doc_id);
    });
  });
  const pager = h("div", { class: "pager" },
    h("button", { type: "button", id: "prev", class: "secondary", disabled: page.page <= 1, onclick: () => turn(ctx, body, -1) }, t("officePrev")),
    h("span", { id: "page-info" }, tf("officePageInfo", { page: page.page, pages: Math.max(page.pages, 1), total: num(page.total) })),
    h("button", { type: "button", id: "next", class: "secondary", disabled: page.page >= page.pages, onclick: () => turn(ctx, body, 1) }, t("officeNext")));
  mount(body, grid, pager);
}

function turn(ctx: Ctx, body: HTMLElement, by: number): void {
  filters.page = Math.max(1, filters.page + by);
  void show(ctx, body);
}

function filterBar(ctx: Ctx, changed: () => void): HTMLElement {
  const all: [string, string] = ["", t("officeAll")];
  const status = select("status", [all, ...STATUSES.map((s): [string, string] => [s, label(s)])], filters.status);
  const module = select("module", [all, ...MODULES.map((m): [string, string] => [m, label(m)])], filters.module);
  const stations = ctx.names.stations(String(ctx.query.community ?? "")).map(([value, name]): [string, string] => [value, name]);
  const station = select("station", [all, ...stations], filters.station);
  status.id = "f-status";
  module.id = "f-module";
  station.id = "f-station";
  for (const [element, key] of [[status, "status"], [module, "module"], [station, "station"]] as const) {
    element.addEventListener("change", () => {
      filters[key] = element.value;
      filters.page = 1;
      changed();
    });
  }
  const clear = h("button", { type: "button", id: "f-clear", class: "secondary", onclick: () => {
    Object.assign(filters, { status: "", module: "", station: "", page: 1 });
    status.value = module.value = station.value = "";
    changed();
  } }, t("officeClear"));
  return h("div", { class: "filters" },
    h("label", {}, h("span", {}, t("colStatus")), status),
    h("label", {}, h("span", {}, t("colModule")), module),
    h("label", {}, h("span", {}, t("officeStation")), station),
    clear);
}

/** Forgets the list's filters (another community chosen: its stations differ). */
export function resetWishFilters(): void {
  Object.assign(filters, { station: "", page: 1 });
}
