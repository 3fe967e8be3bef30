// My hours, points and star level (from the community ledger).

import { label, t } from "../../i18n.js";
import type { Session } from "../../session.js";
import { h } from "../dom.js";

export function meScreen(session: Session): HTMLElement {
  const standing = session.standing();
  const hours = standing?.hours ?? 0;
  const stars = standing?.stars ?? 0;
  const next = standing?.next_threshold ?? null;
  return h("main", { class: "screen narrow" },
    h("section", { class: "card me", "data-testid": "me" },
      h("h1", {}, session.personName(session.device.person)),
      h("p", { class: "meta" }, label(session.device.role)),
      h("div", { class: "figures" },
        figure(t("hoursTotal"), `${hours.toFixed(1)} ${t("units")}`, "hours"),
        figure(t("points"), String(standing?.points ?? 0), "points"),
        figure(t("stars"), "★".repeat(stars) + "☆".repeat(5 - stars), "stars")),
      next !== null
        ? h("div", { class: "progress" },
            h("span", {}, `${t("nextStar")}: ${(next - hours).toFixed(1)} ${t("units")}`),
            h("progress", { max: next, value: hours }))
        : null),
    h("nav", { class: "card links", "data-testid": "loop-links" },
      h("h2", {}, t("loopLinks")),
      h("a", { href: "#/points", "data-testid": "link-points" }, t("pointsTitle")), " · ",
      h("a", { href: "#/stars", "data-testid": "link-stars" }, t("starsTitle")), " · ",
      h("a", { href: "#/stories", "data-testid": "link-stories" }, t("storiesTitle"))));
}

function figure(name: string, value: string, testid: string): HTMLElement {
  return h("div", { class: "figure" }, h("span", { class: "figure-value", "data-testid": testid }, value), h("span", { class: "figure-name" }, name));
}
