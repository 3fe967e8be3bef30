// Communities side by side (`/office/communities`): a table of every figure and a chart of
// wishes, claimed and fulfilled per community.

import { h } from "../../../src/ui/dom.js";
import { t } from "../../../src/i18n.js";
import { bars } from "../charts.js";
import type { Ctx } from "../context.js";
import { card, table } from "../table.js";
import { hours, num, share } from "../text.js";
import type { Communities } from "../types.js";

export async function compare(ctx: Ctx): Promise<HTMLElement> {
  const { rows } = await ctx.api.get<Communities>("communities", ctx.query);
  const grid = table(
    "communities",
    [
      [t("colCommunity")], [t("colStations"), true], [t("colWishes"), true], [t("colClaimed"), true],
      [t("colCompleted"), true], [t("colClosedOther"), true], [t("colOpenOverdue"), true],
      [t("colClaimHours"), true], [t("colResolveHours"), true], [t("colRating"), true],
      [t("colVolunteers"), true], [t("colServiceHours"), true], [t("colPartyClaims"), true],
      [t("colPartyHours"), true],
    ],
    rows.map((r) => [
      r.name, num(r.stations), num(r.wishes), num(r.claimed), num(r.completed), num(r.closed_other),
      num(r.open_overdue), hours(r.median_hours_to_claim), hours(r.median_hours_to_resolve),
      num(r.average_rating, 2), num(r.volunteers_active), hours(r.service_hours),
      share(r.party_claim_share), share(r.party_hours_share),
    ]),
  );
  const chart = bars(
    rows.map((r) => r.name),
    [
      { label: t("seriesWishes"), values: rows.map((r) => r.wishes) },
      { label: t("seriesClaimed"), values: rows.map((r) => r.claimed) },
      { label: t("seriesCompleted"), values: rows.map((r) => r.completed) },
    ],
  );
  chart.id = "chart-communities";
  return card("compare", t("officeCompare"), h("div", { class: "chart-box" }, chart), grid);
}
