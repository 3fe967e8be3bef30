// The volunteer leaderboard by hours (`/office/volunteers`), by name.

import { t } from "../../../src/i18n.js";
import type { Ctx } from "../context.js";
import { card, table } from "../table.js";
import { hours, num } from "../text.js";
import type { Volunteers } from "../types.js";

const SHOWN = 10;

export async function leaderboard(ctx: Ctx): Promise<HTMLElement> {
  const board = await ctx.api.get<Volunteers>("volunteers", { ...ctx.query, per_page: SHOWN });
  return card(
    "leaderboard",
    t("officeLeaderboard"),
    table(
      "volunteers",
      [[t("colRank"), true], [t("colClaimant")], [t("colHours"), true], [t("colWishCount"), true], [t("colResolved"), true]],
      board.leaderboard.map((r) => [num(r.rank), r.name, hours(r.hours), num(r.wishes), num(r.resolved)]),
    ),
  );
}
