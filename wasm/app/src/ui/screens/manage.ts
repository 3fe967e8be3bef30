// 管理: the management screens of a coordinator or the office, by name, each with what
// it is for in one line.

import { t, type Strings } from "../../i18n.js";
import { h } from "../dom.js";

/** Route, name and one-line description of each management screen. */
export const MANAGE_SCREENS: [string, keyof Strings, keyof Strings][] = [
  ["people", "managePeople", "managePeopleHelp"],
  ["units", "manageUnits", "manageUnitsHelp"],
  ["roster", "manageRoster", "manageRosterHelp"],
  ["catalogue", "manageCatalogue", "manageCatalogueHelp"],
  ["devices", "manageDevices", "manageDevicesHelp"],
  ["import/wishes", "manageImportWishes", "manageImportWishesHelp"],
  ["import/people", "manageImportPeople", "manageImportPeopleHelp"],
];

export function manageScreen(): HTMLElement {
  return h("main", { class: "screen" },
    h("h1", {}, t("manageTitle")),
    h("ul", { class: "manage-list", "data-testid": "manage-list" }, MANAGE_SCREENS.map(([route, name, help]) =>
      h("li", {},
        h("a", { class: "card manage-item", href: `#/${route}`, "data-testid": `manage-${route.replace("/", "-")}` },
          h("strong", {}, t(name)),
          h("span", { class: "meta" }, t(help)))))));
}
