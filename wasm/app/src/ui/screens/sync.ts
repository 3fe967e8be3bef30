// The sync panel: online or offline, what is still to upload, when the server last
// confirmed, and the device.

import { label, t, when } from "../../i18n.js";
import type { Session } from "../../session.js";
import { h } from "../dom.js";

export function syncScreen(session: Session, leave: () => void): HTMLElement {
  const d = session.device;
  const toggle = session.workOffline
    ? h("button", { class: "primary big", "data-testid": "go-online", onclick: () => session.setWorkOffline(false) }, t("goOnline"))
    : h("button", { class: "big", "data-testid": "work-offline", onclick: () => session.setWorkOffline(true) }, t("workOffline"));
  return h("main", { class: "screen narrow" },
    h("section", { class: "card", "data-testid": "sync-panel" },
      h("h1", {}, t("syncTitle")),
      h("dl", { class: "facts" },
        h("dt", {}, t("connection")), h("dd", { "data-testid": "connection", "data-state": session.connection }, connectionText(session.connection)),
        h("dt", {}, t("pendingChanges")), h("dd", { "data-testid": "pending-count" }, String(session.pendingCount())),
        h("dt", {}, t("lastSaved")), h("dd", { "data-testid": "last-saved" }, when(session.lastSavedAt)),
        h("dt", {}, t("documents")), h("dd", {}, String(session.documentCount())),
        h("dt", {}, t("device")), h("dd", {}, `${d.name} (${d.device_id})`),
        h("dt", {}, t("person")), h("dd", {}, session.personName(d.person)),
        h("dt", {}, t("role")), h("dd", {}, label(d.role))),
      toggle,
      h("button", { class: "danger", onclick: () => confirm(t("leaveConfirm")) && leave() }, t("leave"))));
}

export function connectionText(state: string): string {
  return state === "online" ? t("online") : state === "connecting" ? t("connecting") : t("offline");
}
