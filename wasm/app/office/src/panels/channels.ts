// What wishes ask for (服务模块), where they come from (收集渠道) and how they were closed (办结原因).

import { h } from "../../../src/ui/dom.js";
import { CHANNELS, CLOSE_REASONS, MODULES, label, t } from "../../../src/i18n.js";
import { doughnut } from "../charts.js";
import type { Ctx } from "../context.js";
import { card } from "../table.js";
import type { Counts, Summary } from "../types.js";

export async function channels(ctx: Ctx): Promise<HTMLElement> {
  const summary = await ctx.api.get<Summary>("summary", ctx.query);
  return h("div", { class: "three even" },
    card("modules", t("officeModules"), pie("chart-modules", [...MODULES, "untriaged"], summary.by_module)),
    card("channels", t("officeChannels"), pie("chart-channels", CHANNELS, summary.by_channel)),
    card("close-reasons", t("officeCloseReasons"), pie("chart-close-reasons", CLOSE_REASONS, summary.by_close_reason)));
}

function pie(id: string, order: string[], counts: Counts): HTMLElement {
  const codes = [...order, ...Object.keys(counts).filter((c) => !order.includes(c))].filter((c) => (counts[c] ?? 0) > 0);
  const chart = doughnut(codes.map((c) => label(c)), codes.map((c) => counts[c] ?? 0));
  chart.id = id;
  return h("div", { class: "chart-box small" }, chart);
}
