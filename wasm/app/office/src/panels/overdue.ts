// Overdue wishes (past the office's target for their urgency) and the targets themselves,
// which an enrolled office computer edits (hours per urgency).

import { h, toast } from "../../../src/ui/dom.js";
import { URGENCIES, label, t } from "../../../src/i18n.js";
import type { Ctx } from "../context.js";
import { card, table } from "../table.js";
import { num, tf } from "../text.js";
import type { Overdue, OverdueTargets } from "../types.js";

const SHOWN = 10;

export async function overdue(ctx: Ctx): Promise<HTMLElement> {
  const [list, targets] = await Promise.all([
    ctx.api.get<Overdue>("overdue", { ...ctx.query, per_page: SHOWN }),
    ctx.api.get<OverdueTargets>("overdue-targets"),
  ]);
  const grid = table(
    "overdue",
    [[t("colTitle")], [t("colCommunity")], [t("officeStation")], [t("colUrgency")], [t("colStatus")], [t("colOverdueBy"), true]],
    list.items.map((w) => [w.title, w.names.community, w.names.station, label(w.urgency), label(w.status), late(w.overdue_hours)]),
  );
  grid.querySelectorAll("tbody tr").forEach((tr, i) => {
    const wish = list.items[i];
    if (!wish) return;
    tr.classList.add("clickable");
    tr.setAttribute("data-doc", wish.doc_id);
    tr.addEventListener("click", () => ctx.openWish(wish.doc_id));
  });
  return h("div", { class: "two wide-first" },
    card("overdue-panel", h("span", {}, t("officeOverdue"), " ", h("span", { class: "count", id: "overdue-count" }, tf("officeOverdueCount", { n: num(list.total) }))), grid),
    card("targets", t("officeTargets"), targetForm(ctx, targets)));
}

function late(hoursLate: number): string {
  return hoursLate >= 48 ? tf("overdueDays", { n: num(hoursLate / 24, 1) }) : tf("overdueHours", { n: num(hoursLate) });
}

function targetForm(ctx: Ctx, targets: OverdueTargets): HTMLElement {
  const inputs = URGENCIES.map((urgency) => {
    const input = h("input", {
      type: "number", min: 1, max: 8760, step: 1, name: urgency, required: true,
      value: targets.hours[urgency] ?? "", disabled: ctx.admin,
    }) as HTMLInputElement;
    return [urgency, input] as const;
  });
  const form = h("form", { id: "targets-form", class: "targets" },
    h("p", { class: "muted" }, t("targetsHelp"), targets.default ? ` ${t("targetsDefault")}` : ""),
    inputs.map(([urgency, input]) => h("label", { class: "target" }, h("span", {}, label(urgency)), input, h("span", { class: "unit" }, t("hoursUnit")))),
    ctx.admin
      ? h("p", { class: "muted" }, t("targetsOfficeOnly"))
      : h("button", { type: "submit", id: "targets-save" }, t("targetsSave")),
  ) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const hours = Object.fromEntries(inputs.map(([urgency, input]) => [urgency, Number(input.value)]));
    ctx.api.put<OverdueTargets>("overdue-targets", { hours }).then(
      () => {
        toast(t("targetsSaved"));
        ctx.reload();
      },
      (error: Error) => toast(error.message, "error"),
    );
  });
  return form;
}
