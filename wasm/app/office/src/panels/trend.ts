// Wishes created and resolved per week over the period (`summary.by_week`).

import { h } from "../../../src/ui/dom.js";
import { t } from "../../../src/i18n.js";
import { lines } from "../charts.js";
import type { Ctx } from "../context.js";
import { card } from "../table.js";
import type { Summary } from "../types.js";

/** At most this many weeks are drawn (the latest). */
const MAX_WEEKS = 26;

export async function trend(ctx: Ctx): Promise<HTMLElement> {
  const summary = await ctx.api.get<Summary>("summary", ctx.query);
  const weeks = summary.by_week.slice(-MAX_WEEKS);
  const chart = lines(
    weeks.map((w) => w.week.replace(/^(\d{4})-W(\d+)$/, t("officeWeekLabel"))),
    [
      { label: t("seriesCreated"), values: weeks.map((w) => w.created) },
      { label: t("seriesResolved"), values: weeks.map((w) => w.resolved) },
    ],
  );
  chart.id = "chart-weeks";
  return card("trend", t("chartTrend"), h("div", { class: "chart-box" }, chart));
}
