// My station's wishes, with filters by status and module and a sync badge on each.

import { label, MODULES, STATUSES, t, when } from "../../i18n.js";
import type { Session } from "../../session.js";
import type { WishRow } from "../../views.js";
import { h, select } from "../dom.js";
import { moduleChip, refusedMark, statusChip, supervisedChip, syncBadge, urgencyChip } from "../badges.js";

const filters = { status: "", module: "" };
/** Cards drawn at first; "more" adds as many again (a station may hold thousands). */
const PAGE = 60;
let shownCount = PAGE;

export function wishesScreen(session: Session): HTMLElement {
  const mine = new Set(session.device.stations);
  const all = session.wishes().filter((w) => mine.size === 0 || mine.has(w.station));
  const shown = all.filter(
    (w) => (!filters.status || w.status === filters.status) && (!filters.module || (w.module ?? w.suggested_module) === filters.module),
  );
  const statusFilter = select("status", [["", `${t("status")}: ${t("all")}`], ...STATUSES.map((s): [string, string] => [s, label(s)])], filters.status);
  const moduleFilter = select("module", [["", `${t("module")}: ${t("all")}`], ...MODULES.map((m): [string, string] => [m, label(m)])], filters.module);
  statusFilter.dataset.testid = "filter-status";
  moduleFilter.dataset.testid = "filter-module";
  const rerender = () => {
    filters.status = statusFilter.value;
    filters.module = moduleFilter.value;
    shownCount = PAGE;
    window.dispatchEvent(new Event("hashchange"));
  };
  const more = () => {
    shownCount += PAGE;
    window.dispatchEvent(new Event("hashchange"));
  };
  statusFilter.addEventListener("change", rerender);
  moduleFilter.addEventListener("change", rerender);
  return h(
    "main",
    { class: "screen" },
    h("div", { class: "toolbar" }, statusFilter, moduleFilter, h("span", { class: "count" }, `${shown.length} / ${all.length}`)),
    shown.length === 0 ? h("p", { class: "empty" }, t("empty")) : h("ul", { class: "cards", "data-testid": "wish-list" }, shown.slice(0, shownCount).map(wishCard)),
    shown.length > shownCount ? h("button", { class: "big", "data-testid": "more", onclick: more }, `${t("more")} (${shown.length - shownCount})`) : null,
  );
}

export function wishCard(w: WishRow): HTMLElement {
  return h(
    "li",
    { class: "card wish-card", "data-testid": "wish-card", "data-doc": w.doc, "data-title": w.title },
    h("a", { href: `#/wish/${w.doc}`, class: "card-link" },
      h("div", { class: "card-top" }, statusChip(w.status), moduleChip(w.module ?? w.suggested_module), urgencyChip(w.urgency), supervisedChip(w.supervision)),
      h("h2", {}, w.title),
      h("p", { class: "meta" }, [w.compound, w.building].filter(Boolean).join(" · "), " · ", when(w.created_at)),
      h("div", { class: "card-bottom" }, syncBadge(w.saved), w.conflicts > 0 ? h("span", { class: "chip chip-conflict" }, `⚠ ${w.conflicts}`) : null),
      refusedMark(w.refused),
    ),
  );
}
