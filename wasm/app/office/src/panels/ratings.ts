// Ratings: the distribution, per partner unit and per claimant (`/office/ratings`).

import { h } from "../../../src/ui/dom.js";
import { label, t } from "../../../src/i18n.js";
import { bars } from "../charts.js";
import type { Ctx } from "../context.js";
import { card, table } from "../table.js";
import { num, tf } from "../text.js";
import type { Ratings, Satisfaction } from "../types.js";

/** Claimants listed (the most rated first). */
const SHOWN = 15;

export async function ratings(ctx: Ctx): Promise<HTMLElement> {
  const [ratings, satisfaction] = await Promise.all([
    ctx.api.get<Ratings>("ratings", { ...ctx.query, per_page: SHOWN }),
    ctx.api.get<Satisfaction>("satisfaction", ctx.query),
  ]);
  const stars = ["1", "2", "3", "4", "5"];
  const chart = bars(stars.map((s) => `${s} ★`), [{ label: t("colRated"), values: stars.map((s) => satisfaction.distribution[s] ?? 0) }]);
  chart.id = "chart-ratings";
  const units = table(
    "ratings-units",
    [[t("colName")], [t("colCommunity")], [t("colRated"), true], [t("colAverage"), true]],
    ratings.by_unit.map((u) => [u.name, u.community_name, num(u.rated), num(u.average, 2)]),
  );
  const claimants = table(
    "ratings-claimants",
    [[t("colName")], [t("colKind")], [t("colCommunity")], [t("colRated"), true], [t("colAverage"), true]],
    ratings.by_claimant.map((c) => [
      c.name, c.party_member ? t("kindPartyMember") : label(c.kind), c.community_name, num(c.rated), num(c.average, 2),
    ]),
  );
  return card(
    "ratings",
    t("officeRatings"),
    h("div", { class: "three" },
      h("div", { class: "chart-box small" }, chart),
      h("div", {}, h("h3", {}, t("ratingsByUnit")), units),
      h("div", {}, h("h3", {}, t("ratingsByClaimant"), " ", h("span", { class: "count" }, tf("officeOverdueCount", { n: num(ratings.claimants) }))), claimants)),
  );
}
