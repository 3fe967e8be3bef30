// 星级公示: volunteers by stars, then hours of service, for showing at the station.
// Names only, no personal data; stars and hours come from the core's ledger derivation.

import { t } from "../../i18n.js";
import type { Session } from "../../session.js";
import { h } from "../dom.js";

interface StarRow {
  person: string;
  name: string;
  hours: number;
  stars: number;
}

export function starsScreen(session: Session): HTMLElement {
  let rows: StarRow[] = [];
  try {
    rows = JSON.parse(session.client.starBoard(session.communityId, session.ledger ?? undefined)) as StarRow[];
  } catch {
    rows = [];
  }
  return h("main", { class: "screen board", "data-testid": "stars" },
    h("h1", {}, `★ ${t("starsTitle")}`),
    h("p", { class: "meta" }, session.community()?.name ?? "", " · ", t("starsHelp")),
    rows.length === 0
      ? h("p", { class: "empty" }, t("starsEmpty"))
      : h("ol", { class: "star-board" }, rows.map((r) =>
          h("li", { class: "card star-row", "data-testid": "star-row", "data-name": r.name, "data-stars": r.stars },
            h("strong", { class: "star-name" }, r.name),
            h("span", { class: "star-level" }, "★".repeat(r.stars) + "☆".repeat(5 - r.stars)),
            h("span", { class: "meta" }, `${r.hours.toFixed(1)} ${t("units")}`)))));
}
