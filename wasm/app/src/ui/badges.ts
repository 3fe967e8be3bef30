// Small pieces several screens show: the sync badge of a record, status and module chips.

import { label, t } from "../i18n.js";
import { h } from "./dom.js";

/** Whether the server durably holds this record. Every record shows one. */
export function syncBadge(saved: boolean): HTMLElement {
  return h(
    "span",
    { class: `badge ${saved ? "badge-saved" : "badge-local"}`, "data-testid": "sync-badge", "data-saved": String(saved) },
    saved ? `✓ ${t("savedOnServer")}` : `● ${t("notOnServer")}`,
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
