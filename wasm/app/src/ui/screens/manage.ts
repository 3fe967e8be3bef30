// 管理: the management screens of a coordinator or the office, by name, each with what
// it is for in one line.

import { t, type Strings } from "../../i18n.js";
import type { Session } from "../../session.js";
import { field, h, select } from "../dom.js";

/** Route, name and one-line description of each management screen. */
export const MANAGE_SCREENS: [string, keyof Strings, keyof Strings][] = [
  ["people", "managePeople", "managePeopleHelp"],
  ["units", "manageUnits", "manageUnitsHelp"],
  ["roster", "manageRoster", "manageRosterHelp"],
  ["catalogue", "manageCatalogue", "manageCatalogueHelp"],
  ["devices", "manageDevices", "manageDevicesHelp"],
  ["import/wishes", "manageImportWishes", "manageImportWishesHelp"],
  ["import/people", "manageImportPeople", "manageImportPeopleHelp"],
  ["new-community", "manageNewCommunity", "manageNewCommunityHelp"],
];

/** Screens the server would refuse to a role: the office reads residents' contacts but
 *  does not write them, so it imports no wish cards (scope.rs); only a 街道 adds a
 *  community (http/api/communities.rs). */
const NOT_FOR: Record<string, string[]> = { office: ["import/wishes"], coordinator: ["new-community"] };

export function manageScreen(session: Session): HTMLElement {
  const role = session.device.role;
  const screens = MANAGE_SCREENS.filter(([route]) => !(NOT_FOR[role] ?? []).includes(route));
  return h("main", { class: "screen" },
    h("h1", {}, t("manageTitle")),
    role === "office" ? workingCommunity(session) : null,
    h("ul", { class: "manage-list", "data-testid": "manage-list" }, screens.map(([route, name, help]) =>
      h("li", {},
        h("a", { class: "card manage-item", href: `#/${route}`, "data-testid": `manage-${route.replace("/", "-")}` },
          h("strong", {}, t(name)),
          h("span", { class: "meta" }, t(help)))))));
}

/** 当前社区: a 街道 picks, by name, which of the communities it covers the management
 *  screens (人员, 设备, 排班…) work on. */
function workingCommunity(session: Session): HTMLElement {
  const covered = session.covered;
  if (!covered) void session.askCovered();
  const names = covered ?? { [session.communityId]: session.community()?.name ?? "" };
  const options = Object.entries(names).sort((a, b) => a[1].localeCompare(b[1], "zh-CN"));
  const picker = select("community", options, session.communityId);
  picker.setAttribute("data-testid", "manage-community");
  picker.addEventListener("change", () => void session.workIn(picker.value));
  return h("section", { class: "card form" },
    field(t("workingCommunity"), picker),
    h("p", { class: "meta" }, t("workingCommunityHelp")));
}
