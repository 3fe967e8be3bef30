// The three lists (资源清单, 需求清单, 项目清单) with their counts, the projects (completed
// ones included) and the resources, by name.

import { h } from "../../../src/ui/dom.js";
import { label, t } from "../../../src/i18n.js";
import type { Ctx } from "../context.js";
import { card, table } from "../table.js";
import { num, tf } from "../text.js";
import type { Lists } from "../types.js";

/** Rows shown per list; the exports hold the rest. */
const SHOWN = 12;

export async function lists(ctx: Ctx): Promise<HTMLElement> {
  const lists = await ctx.api.get<Lists>("lists", ctx.query);
  const counts = h(
    "div",
    { class: "list-counts" },
    count("resources", t("listResources"), lists.offers.total, tf("listResourcesCount", { n: num(lists.offers.total), active: num(lists.offers.active) })),
    count("needs", t("listNeeds"), lists.needs.open, tf("listNeedsCount", { n: num(lists.needs.open) })),
    count("projects", t("listProjects"), lists.projects.total, tf("listProjectsCount", { n: num(lists.projects.total), done: num(lists.projects.by_status.done ?? 0) })),
  );
  const several = Object.keys(ctx.names.names.communities).length > 1 && !ctx.query.community;
  const where = (community: string) => (several ? [ctx.names.community(community)] : []);
  const communityColumn: [string][] = several ? [[t("colCommunity")]] : [];
  const projects = [...lists.projects.items].sort((a, b) => b.created_at - a.created_at).slice(0, SHOWN);
  const projectTable = table(
    "projects",
    [[t("colProject")], ...communityColumn, [t("colModule")], [t("colLead")], [t("colProjectStatus")]],
    projects.map((p) => [p.title, ...where(p.community), label(p.module), ctx.names.party(p.community, p.lead), label(p.status)]),
  );
  const offers = lists.offers.items.filter((o) => o.active).slice(0, SHOWN);
  const offerTable = table(
    "offers",
    [[t("colResource")], ...communityColumn, [t("colModule")], [t("colProvider")], [t("colCapacity"), true]],
    offers.map((o) => [o.title, ...where(o.community), label(o.module), ctx.names.party(o.community, o.provider), num(o.capacity)]),
  );
  return card(
    "lists",
    t("officeLists"),
    counts,
    h("div", { class: "two" },
      h("div", {}, h("h3", {}, t("listProjects")), projectTable),
      h("div", {}, h("h3", {}, t("listResources")), offerTable)),
  );
}

function count(id: string, title: string, value: number, detail: string): HTMLElement {
  return h("div", { class: "list-count", "data-list": id, "data-count": value },
    h("span", { class: "kpi-label" }, title),
    h("span", { class: "kpi-value" }, num(value)),
    h("span", { class: "list-detail" }, detail));
}
