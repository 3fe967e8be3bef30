// Roster coverage per station (`/office/roster-coverage`): shifts, covered, the share
// covered and past shifts nobody signed in to.

import { h } from "../../../src/ui/dom.js";
import { t } from "../../../src/i18n.js";
import { bars } from "../charts.js";
import type { Ctx } from "../context.js";
import { card, table } from "../table.js";
import { num, share, tf } from "../text.js";
import type { RosterCoverage } from "../types.js";

export async function roster(ctx: Ctx): Promise<HTMLElement> {
  const coverage = await ctx.api.get<RosterCoverage>("roster-coverage", ctx.query);
  const rows = [...coverage.stations].sort((a, b) =>
    ctx.names.community(a.community).localeCompare(ctx.names.community(b.community), "zh-CN") || a.name.localeCompare(b.name, "zh-CN"));
  const rate = (covered: number, shifts: number) => (shifts ? covered / shifts : null);
  const grid = table(
    "roster-table",
    [[t("colCommunity")], [t("officeStation")], [t("colShifts"), true], [t("colCovered"), true], [t("colCoverage"), true], [t("colMissed"), true]],
    rows.map((s) => [ctx.names.community(s.community), s.name, num(s.shifts), num(s.covered), share(rate(s.covered, s.shifts)), num(s.past_without_checkin)]),
  );
  const chart = bars(
    rows.map((s) => s.name),
    [
      { label: t("colCovered"), values: rows.map((s) => s.covered) },
      { label: t("colMissed"), values: rows.map((s) => s.past_without_checkin) },
    ],
    { horizontal: true },
  );
  chart.id = "chart-roster";
  const totals = coverage.totals;
  return card(
    "roster",
    t("officeRoster"),
    h("p", { class: "muted" }, tf("rosterTotals", { stations: num(totals.stations), shifts: num(totals.shifts), covered: num(totals.covered) })),
    h("div", { class: "two" }, grid, h("div", { class: "chart-box tall" }, chart)),
  );
}
