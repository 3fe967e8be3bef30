// The downloads of the period: the wishes table, the volunteer service records and the
// points ledger (names in every person and station column), and the month's report.

import { h, toast } from "../../../src/ui/dom.js";
import { t, type Strings } from "../../../src/i18n.js";
import type { Query } from "../api.js";
import type { Ctx } from "../context.js";
import { tf } from "../text.js";

export function exportsBar(ctx: Ctx, month: string): HTMLElement {
  const files: [string, keyof Strings, string, Query][] = [
    ["export/wishes.xlsx", "exportWishes", "心愿.xlsx", ctx.query],
    ["export/service-records.csv", "exportRecords", "志愿服务记录.csv", ctx.query],
    ["export/ledger.csv", "exportLedger", "积分账本.csv", { community: ctx.query.community }],
    ["report.xlsx", "exportReport", `月度报告-${month}.xlsx`, { month, community: ctx.query.community }],
  ];
  return h("div", { class: "exports", id: "exports" },
    h("span", { class: "muted" }, t("officeExports")),
    files.map(([path, key, name, query]) =>
      h("button", { type: "button", class: "secondary", "data-export": path, onclick: () => {
        ctx.api.download(path, query, name).then(
          () => toast(tf("exported", { name })),
          (error: Error) => toast(error.message, "error"),
        );
      } }, t(key))));
}
