// 创建社区: the first screen of a server with no community. The setup code (printed when
// the server started, or from the QR's link), the community, its first stations and the
// first account; the server creates them and enrolls this browser on the spot.

import { t } from "../../i18n.js";
import { setUp, type SetupForm } from "../../manage_api.js";
import { randomHex, type Identity } from "../../session.js";
import { field, formValues, h, select, toast } from "../dom.js";

/** The kinds of station, as the form offers them. */
const STATION_KINDS: [string, () => string][] = [
  ["station", () => t("kindStation")],
  ["red_station", () => t("kindRedStation")],
];

/** The roles the first account may take. */
const FIRST_ROLES = ["coordinator", "office"];

export function setupScreen(
  onEnrolled: (identity: Identity) => Promise<void>,
  code: string,
  toEnrollment: () => void,
): HTMLElement {
  const form = h("form", { class: "card form", "data-testid": "setup-form" },
    h("h1", {}, t("setupTitle")),
    h("p", { class: "help" }, t("setupHelp")),
    field(t("setupCode"), h("input", { name: "code", required: true, value: code, autocomplete: "off", "data-testid": "setup-code" })),
    communityFieldset(),
    stationsFieldset(),
    h("fieldset", {}, h("legend", {}, t("firstAccount")),
      h("div", { class: "row" },
        field(t("yourName"), h("input", { name: "person", required: true, "data-testid": "setup-person" })),
        field(t("accountRole"), roleSelect()))),
    h("button", { type: "submit", class: "primary big", "data-testid": "setup-submit" }, t("createCommunity")),
    h("button", { type: "button", class: "big", "data-testid": "setup-have-code", onclick: toEnrollment }, t("haveCode")),
  ) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submit(form, onEnrolled);
  });
  return h("main", { class: "screen narrow" }, form);
}

function roleSelect(): HTMLSelectElement {
  const element = select("role", FIRST_ROLES.map((r) => [r, labelOf(r)]), "coordinator");
  element.setAttribute("data-testid", "setup-role");
  return element;
}

/** The first account's roles in the words of who takes them, and what each may then do:
 *  only the office's account makes a 驿站社工's code, so a 社区书记 who will enroll
 *  the stations' workers takes it. */
function labelOf(role: string): string {
  return role === "coordinator" ? t("firstRoleCoordinator") : t("firstRoleOffice");
}

/** The stations part of the form (one station row, a button for more): shared with
 *  新增社区. */
export function stationsFieldset(): HTMLElement {
  const stations = h("div", { class: "stations", "data-testid": "setup-stations" });
  const addStation = () => stations.appendChild(stationFields(stations.children.length));
  addStation();
  return h("fieldset", {}, h("legend", {}, t("stationsSection")), stations,
    h("button", { type: "button", "data-testid": "setup-add-station", onclick: addStation }, t("addStation")));
}

/** The stations as filled in. */
export function stationsOf(form: HTMLElement): SetupForm["stations"] {
  return Array.from(form.querySelectorAll<HTMLElement>(".station-fields")).map((row) => ({
    name: (row.querySelector("[name=station-name]") as HTMLInputElement).value,
    kind: (row.querySelector("[name=kind]") as HTMLSelectElement).value,
    address: (row.querySelector("[name=address]") as HTMLInputElement).value,
  }));
}

/** Community name and district. */
export function communityFieldset(): HTMLElement {
  return h("fieldset", {}, h("legend", {}, t("communityName")),
    h("div", { class: "row" },
      field(t("communityName"), h("input", { name: "community", required: true, "data-testid": "setup-community" })),
      field(t("district"), h("input", { name: "district", "data-testid": "setup-district" }))));
}

function stationFields(index: number): HTMLElement {
  const kinds = select("kind", STATION_KINDS.map(([value, text]) => [value, text()]), "station");
  kinds.setAttribute("data-testid", `setup-station-kind-${index}`);
  const row = h("div", { class: "row station-fields", "data-testid": "setup-station" },
    field(t("stationName"), h("input", { name: "station-name", required: true, "data-testid": `setup-station-name-${index}` })),
    field(t("stationKind"), kinds),
    field(t("stationAddress"), h("input", { name: "address", "data-testid": `setup-station-address-${index}` })));
  if (index > 0) {
    row.appendChild(h("button", { type: "button", class: "remove", onclick: () => row.remove() }, t("removeStation")));
  }
  return row;
}

async function submit(form: HTMLFormElement, onEnrolled: (identity: Identity) => Promise<void>): Promise<void> {
  const values = formValues(form);
  const request: SetupForm = {
    code: String(values.code),
    community: { name: String(values.community), district: String(values.district) },
    stations: stationsOf(form),
    person: String(values.person),
    role: String(values.role),
    device_name: t("deviceNameDefault"),
  };
  try {
    const { token, device } = await setUp(request);
    await onEnrolled({ token, device, peerId: `tablet-${device.device_id}-${randomHex(4)}`, storageId: randomHex(16) });
  } catch (error) {
    toast(`${t("setupFailed")}: ${(error as Error).message}`, "error");
  }
}
