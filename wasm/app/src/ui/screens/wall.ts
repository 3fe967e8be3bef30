// The wish wall: published wishes open for claiming, most urgent first.

import { label, t } from "../../i18n.js";
import type { Session } from "../../session.js";
import type { WishRow } from "../../views.js";
import { h, toast } from "../dom.js";
import { moduleChip, refusedMark, statusChip, syncBadge, urgencyChip } from "../badges.js";

/** Cards drawn at first (the wall is community-wide; the first are the most urgent). */
const PAGE = 60;
let shownCount = PAGE;

export function wallScreen(session: Session): HTMLElement {
  const rows = session.wall();
  const more = () => {
    shownCount += PAGE;
    window.dispatchEvent(new Event("hashchange"));
  };
  return h(
    "main",
    { class: "screen" },
    rows.length === 0
      ? h("p", { class: "empty" }, t("wallEmpty"))
      : h("ul", { class: "cards", "data-testid": "wall" }, rows.slice(0, shownCount).map((w) => wallCard(session, w))),
    rows.length > shownCount ? h("button", { class: "big", onclick: more }, `${t("more")} (${rows.length - shownCount})`) : null,
  );
}

function wallCard(session: Session, w: WishRow): HTMLElement {
  const claim = async () => {
    try {
      await session.act(w.doc, { op: "claim", kind: "person", claimant: session.device.person, note: null });
    } catch (error) {
      toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
    }
  };
  // Who may write which wish is the server's policy (server/src/access.rs): volunteers and
  // partners claim anywhere on the wall, coordinators at their own stations.
  const mayClaim = ["volunteer", "partner"].includes(session.device.role) || session.device.stations.includes(w.station);
  const action = w.my_claim
    ? h("span", { class: `chip claim-${w.my_claim}`, "data-testid": "my-claim", "data-state": w.my_claim }, `${t("claimed")} · ${label(w.my_claim)}`)
    : mayClaim
      ? h("button", { class: "primary", "data-testid": "claim", onclick: claim }, t("claim"))
      : null;
  return h(
    "li",
    { class: "card wish-card", "data-testid": "wall-card", "data-doc": w.doc, "data-title": w.title, "data-free": w.capacity - w.assigned_claims },
    h("div", { class: "card-top" }, statusChip(w.status), moduleChip(w.module ?? w.suggested_module), urgencyChip(w.urgency)),
    h("a", { href: `#/wish/${w.doc}`, class: "card-link" }, h("h2", {}, w.title)),
    h("p", { class: "meta" }, [w.compound, w.building].filter(Boolean).join(" · "), " · ", `${w.assigned_claims}/${w.capacity} ${t("places")}`),
    h("div", { class: "card-bottom" }, syncBadge(w.saved), action),
    refusedMark(w.refused),
  );
}
