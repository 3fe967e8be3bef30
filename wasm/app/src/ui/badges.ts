// Small pieces several screens show: the sync badge of a record, status and module chips.

import { currentLang, label, t } from "../i18n.js";
import type { RefusedMark, SupervisionMark } from "../views.js";
import { h } from "./dom.js";

/** Whether the server durably holds this record. Every record shows one. */
export function syncBadge(saved: boolean): HTMLElement {
  return h(
    "span",
    { class: `badge ${saved ? "badge-saved" : "badge-local"}`, "data-testid": "sync-badge", "data-saved": String(saved) },
    saved ? `✓ ${t("savedOnServer")}` : `● ${t("notOnServer")}`,
  );
}

/** 服务器拒绝 and the reason (English in the English mode) on a refused record. */
export function refusedMark(refused: RefusedMark | null): HTMLElement | null {
  if (!refused) return null;
  const reason = currentLang() === "en" ? refused.reason_en : refused.reason_zh;
  return h(
    "div",
    { class: "refused", "data-testid": "refused", "data-rule": refused.rule, title: refused.reason },
    h("strong", {}, `⚠ ${t("refused")}`),
    h("span", { class: "refused-reason", "data-testid": "refused-reason" }, reason),
  );
}

export function statusChip(status: string): HTMLElement {
  return h("span", { class: `chip status-${status}`, "data-testid": "status", "data-status": status }, label(status));
}

export function moduleChip(module: string | null): HTMLElement {
  return h("span", { class: "chip chip-module" }, module ? label(module) : t("noModule"));
}

export function urgencyChip(urgency: string): HTMLElement {
  return h("span", { class: `chip urgency-${urgency}` }, label(urgency));
}

/** 街道督办: the street office asked the station to follow this wish up (with its note, if `withNote`). */
export function supervisedChip(mark: SupervisionMark | null, withNote = false): HTMLElement | null {
  if (!mark) return null;
  const text = withNote && mark.note ? `${label("supervised")} · ${mark.note}` : label("supervised");
  return h("span", { class: "chip chip-supervised", "data-testid": "supervised", title: mark.note ?? "" }, `⚑ ${text}`);
}
