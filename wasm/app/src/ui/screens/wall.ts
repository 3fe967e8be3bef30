// The wish wall: published wishes open for claiming, most urgent first.

import { label, MODULES, t, URGENCIES } from "../../i18n.js";
import type { Session } from "../../session.js";
import type { WallFilter, WishRow } from "../../views.js";
import { h, select, toast } from "../dom.js";
import { moduleChip, refusedMark, statusChip, syncBadge, urgencyChip } from "../badges.js";

/** Cards drawn at first (the wall is community-wide; the first are the most urgent). */
const PAGE = 60;
let shownCount = PAGE;

/** The filter the volunteer chose; kept while the app runs (redraws keep it). */
const chosen = { module: "", compound: "", min_urgency: "", mine: false };

export function wallScreen(session: Session): HTMLElement {
  const everything = session.wall();
  const rows = session.wall(currentFilter(session));
  const more = () => {
    shownCount += PAGE;
    window.dispatchEvent(new Event("hashchange"));
  };
  return h(
    "main",
    { class: "screen" },
    filterBar(everything),
    rows.length === 0
      ? h("p", { class: "empty" }, t("wallEmpty"))
      : h("ul", { class: "cards", "data-testid": "wall" }, rows.slice(0, shownCount).map((w) => wallCard(session, w))),
    rows.length > shownCount ? h("button", { class: "big", onclick: more }, `${t("more")} (${rows.length - shownCount})`) : null,
  );
}

/** The chosen filter, with 我的模块 as the modules the directory lists for me. */
function currentFilter(session: Session): WallFilter {
  const me = session.community()?.people[session.device.person];
  return {
    module: chosen.module || null,
    compound: chosen.compound || null,
    min_urgency: chosen.min_urgency || null,
    modules: chosen.mine ? me?.modules ?? [] : [],
  };
}

function filterBar(everything: WishRow[]): HTMLElement {
  const redraw = () => {
    shownCount = PAGE;
    window.dispatchEvent(new Event("hashchange"));
  };
  const choice = (key: "module" | "compound" | "min_urgency", options: [string, string][]) => {
    const element = select(key, [["", t("filterAll")], ...options], chosen[key]);
    element.setAttribute("data-testid", `wall-filter-${key}`);
    element.addEventListener("change", () => { chosen[key] = element.value; element.blur(); redraw(); });
    return element;
  };
  const compounds = [...new Set(everything.map((w) => w.compound).filter(Boolean))].sort();
  const mine = h("input", { type: "checkbox", "data-testid": "wall-filter-mine" }) as HTMLInputElement;
  mine.checked = chosen.mine;
  mine.addEventListener("change", () => { chosen.mine = mine.checked; mine.blur(); redraw(); });
  return h("div", { class: "filters", "data-testid": "wall-filters" },
    h("label", {}, t("filterModule"), " ", choice("module", MODULES.map((m) => [m, label(m)]))),
    h("label", {}, t("filterCompound"), " ", choice("compound", compounds.map((c) => [c, c]))),
    h("label", {}, t("filterUrgency"), " ", choice("min_urgency", URGENCIES.slice(1).map((u) => [u, `${label(u)}${t("orMore")}`]))),
    h("label", { class: "check" }, mine, t("filterMine")));
}

function wallCard(session: Session, w: WishRow): HTMLElement {
  const claim = async () => {
    try {
      await session.act(w.doc, { op: "claim", kind: "person", claimant: session.device.person, note: null });
    } catch (error) {
      toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
    }
  };
  // Who may write which wish is the server's policy (server/src/access.rs): volunteers and
  // partners claim anywhere on the wall, coordinators at their own stations.
  const mayClaim = ["volunteer", "partner"].includes(session.device.role) || session.device.stations.includes(w.station);
  const action = w.my_claim
    ? h("span", { class: `chip claim-${w.my_claim}`, "data-testid": "my-claim", "data-state": w.my_claim }, `${t("claimed")} · ${label(w.my_claim)}`)
    : mayClaim
      ? h("button", { class: "primary", "data-testid": "claim", onclick: claim }, t("claim"))
      : null;
  return h(
    "li",
    { class: "card wish-card", "data-testid": "wall-card", "data-doc": w.doc, "data-title": w.title, "data-free": w.capacity - w.assigned_claims },
    h("div", { class: "card-top" }, statusChip(w.status), moduleChip(w.module ?? w.suggested_module), urgencyChip(w.urgency)),
    h("a", { href: `#/wish/${w.doc}`, class: "card-link" }, h("h2", {}, w.title)),
    h("p", { class: "meta" }, [w.compound, w.building].filter(Boolean).join(" · "), " · ", `${w.assigned_claims}/${w.capacity} ${t("places")}`),
    h("div", { class: "card-bottom" }, syncBadge(w.saved), action),
    refusedMark(w.refused),
  );
}
