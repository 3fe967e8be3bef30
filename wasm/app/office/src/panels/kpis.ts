// The key figures of the period: wishes, in progress, fulfilled, overdue, rating, hours,
// and the party members' share of the hours.

import { h } from "../../../src/ui/dom.js";
import { t, type Strings } from "../../../src/i18n.js";
import type { Ctx } from "../context.js";
import { hours, num, share } from "../text.js";
import type { Overdue, Participation, Satisfaction, Summary } from "../types.js";

/** Statuses of wishes no longer in anyone's hands. */
const FINISHED = ["resolved", "rated", "closed", "rejected"];

export async function kpis(ctx: Ctx): Promise<HTMLElement> {
  const [summary, satisfaction, overdue, party] = await Promise.all([
    ctx.api.get<Summary>("summary", ctx.query),
    ctx.api.get<Satisfaction>("satisfaction", ctx.query),
    ctx.api.get<Overdue>("overdue", { ...ctx.query, per_page: 1 }),
    ctx.api.get<Participation>("participation", ctx.query),
  ]);
  const open = Object.entries(summary.by_status)
    .filter(([status]) => !FINISHED.includes(status))
    .reduce((sum, [, n]) => sum + n, 0);
  const figures: [string, keyof Strings, string, string?][] = [
    ["total", "kpiTotal", num(summary.total)],
    ["open", "kpiOpen", num(open)],
    ["completed", "kpiCompleted", num(summary.by_close_reason.fulfilled ?? 0)],
    ["overdue", "kpiOverdue", num(overdue.total), "warn"],
    ["rating", "kpiRating", num(satisfaction.average, 2)],
    ["hours", "kpiHours", `${hours(summary.hours)} ${t("hoursUnit")}`],
    ["party-hours", "kpiPartyHours", share(party.overall.hours_share)],
  ];
  return h(
    "section",
    { class: "kpis", id: "kpis" },
    figures.map(([id, label, value, kind]) =>
      h("div", { class: `kpi ${kind ?? ""}`, "data-kpi": id },
        h("span", { class: "kpi-label" }, t(label)),
        h("span", { class: "kpi-value" }, value)),
    ),
  );
}
