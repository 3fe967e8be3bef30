// Party members' participation (`/office/participation`): their share of claims and hours,
// overall and per community.

import { h } from "../../../src/ui/dom.js";
import { t } from "../../../src/i18n.js";
import { bars } from "../charts.js";
import type { Ctx } from "../context.js";
import { card, table } from "../table.js";
import { hours, num, share, tf } from "../text.js";
import type { Participation } from "../types.js";

export async function party(ctx: Ctx): Promise<HTMLElement> {
  const figures = await ctx.api.get<Participation>("participation", ctx.query);
  const all = figures.overall;
  const rows = figures.by_community;
  const grid = table(
    "party-table",
    [[t("colCommunity")], [t("partyClaims"), true], [t("colPartyClaims"), true], [t("partyHours"), true], [t("colPartyHours"), true], [t("partyVolunteers"), true]],
    rows.map((r) => [r.name, `${num(r.party_claims)} / ${num(r.claims)}`, share(r.claim_share), `${hours(r.party_hours)} / ${hours(r.hours)}`, share(r.hours_share), `${num(r.party_volunteers)} / ${num(r.volunteers)}`]),
  );
  const percent = (v: number | null) => Math.round((v ?? 0) * 1000) / 10;
  const chart = bars(
    rows.map((r) => r.name),
    [
      { label: t("colPartyClaims"), values: rows.map((r) => percent(r.claim_share)) },
      { label: t("colPartyHours"), values: rows.map((r) => percent(r.hours_share)) },
    ],
    { percent: true },
  );
  chart.id = "chart-party";
  const summary = tf("partySummary", {
    claims: num(all.party_claims), claimShare: share(all.claim_share),
    hours: hours(all.party_hours), hoursShare: share(all.hours_share), people: num(all.party_volunteers),
  });
  return card("party", t("officeParty"), h("p", { class: "lead" }, summary), h("div", { class: "two" }, grid, h("div", { class: "chart-box" }, chart)));
}
