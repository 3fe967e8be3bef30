// 设备: enrollment codes for a person of the directory (QR and text), the devices of my
// stations (revoke one), and a printable sheet of codes for many people at once (双报到).
// Scope is the server's: a coordinator is offered the roles and stations it may give.

import { label, t, when } from "../../i18n.js";
import { coveredCommunities, createCode, createCodes, devices, revoke, type Code, type DeviceRecord } from "../../manage_api.js";
import type { Session } from "../../session.js";
import { field, h, select, toast } from "../dom.js";
import { namesPerson, rolesFor } from "./device_roles.js";

export function devicesScreen(session: Session): HTMLElement {
  const list = h("section", { class: "card", "data-testid": "device-list" }, h("h2", {}, t("deviceList")), h("p", { class: "empty" }, t("loading")));
  void fillDevices(session, list);
  return h("main", { class: "screen" },
    h("h1", {}, t("devicesTitle")),
    codeCard(session),
    list,
    bulkCard(session));
}

// ---- one code ----

function codeCard(session: Session): HTMLElement {
  const result = h("div", { class: "code-result", "data-testid": "code-result" });
  const people = peopleSelect(session);
  const roles = select("role", rolesFor(session.device.role).map((r) => [r, label(r)]), "volunteer");
  roles.setAttribute("data-testid", "code-role");
  const stations = stationChecks(session, "code-station");
  const covers = coverChecks(session);
  const showCovers = () => covers.toggleAttribute("hidden", roles.value !== "office");
  roles.addEventListener("change", showCovers);
  showCovers();
  const make = async () => {
    const picked = checkedValues(stations);
    const covered = roles.value === "office" ? checkedValues(covers) : [];
    if (roles.value === "office" && covered.length === 0) return toast(t("pickCovers"), "error");
    const forPerson = namesPerson(roles.value);
    if (forPerson && !people.value) return toast(t("pickPerson"), "error");
    if (picked.length === 0 && roles.value !== "office" && roles.value !== "partner") return toast(t("pickStation"), "error");
    if (!forPerson && picked.length !== 1) return toast(t("pickOneStation"), "error");
    try {
      const person = forPerson ? people.value : "";
      const community = session.communityId;
      const others = covered.filter((c) => c !== community);
      const code = await createCode(session.identity.token, { role: roles.value, person, community, stations: picked, covers: others });
      result.replaceChildren(codeView(session, code, picked, coverNames(covers, covered)));
      keep(result);
    } catch (error) {
      toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
    }
  };
  return h("section", { class: "card form", onchange: (e: Event) => keep(e.target as HTMLElement) },
    h("h2", {}, t("newCode")),
    h("div", { class: "row" }, field(t("codePerson"), people), field(t("codeRole"), roles)),
    field(t("codeStations"), stations),
    covers,
    h("button", { type: "button", class: "primary", "data-testid": "code-make", onclick: () => void make() }, t("makeCode")),
    result);
}

function codeView(session: Session, code: Code, stations: string[], communities: string): HTMLElement {
  return h("div", { class: "code-card", "data-testid": "code-card" },
    h("img", { class: "qr", alt: code.code, src: svgUrl(code.qr_svg) }),
    h("div", {},
      h("p", {}, t("codeReady")),
      h("p", { class: "code-text", "data-testid": "code-text" }, code.code),
      h("p", { class: "meta" }, `${who(session, code.role, code.person)} · ${communities || placeOf(session, stations)}`),
      h("p", { class: "meta" }, `${t("codeValidUntil")} ${when(code.expires_ms)}`)));
}

/** A person's name, or for a shared station tablet the words for it. */
function who(session: Session, role: string, person: string): string {
  return namesPerson(role) ? session.personName(person) : label("station_tablet");
}

/** For a 街道 code: the communities the issuing device covers, by name, its own ticked
 *  (the server refuses any other: scope.rs). Hidden unless the role is office. */
function coverChecks(session: Session): HTMLElement {
  const own = session.communityId;
  const box = field(t("codeCovers"),
    h("div", { class: "checks", "data-testid": "code-covers" }, check("code-cover", own, session.community()?.name ?? own, true)));
  if (session.device.role === "office") void fillCovers(session, box);
  return box;
}

async function fillCovers(session: Session, box: HTMLElement): Promise<void> {
  try {
    const names = await coveredCommunities(session.identity.token);
    const own = session.communityId;
    const ids = Object.keys(names).sort((a, b) => (a === own ? -1 : b === own ? 1 : names[a].localeCompare(names[b], "zh-CN")));
    box.querySelector(".checks")?.replaceChildren(...ids.map((id) => check("code-cover", id, names[id], id === own)));
  } catch (error) {
    toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
  }
}

/** The ticked communities' names, joined. */
function coverNames(covers: HTMLElement, ids: string[]): string {
  return ids.map((id) => covers.querySelector<HTMLInputElement>(`input[value="${CSS.escape(id)}"]`)?.dataset.name ?? "").filter(Boolean).join("、");
}

// ---- the devices of my stations ----

async function fillDevices(session: Session, list: HTMLElement): Promise<void> {
  try {
    const found = (await devices(session.identity.token)).filter((d) => d.device_id !== session.device.device_id);
    const rows = found.length === 0
      ? h("p", { class: "empty" }, t("noDevices"))
      : h("ul", { class: "devices" }, found.map((d) => deviceRow(session, d, list)));
    list.replaceChildren(h("h2", {}, t("deviceList")), rows);
  } catch (error) {
    list.replaceChildren(h("h2", {}, t("deviceList")), h("p", { class: "error" }, (error as Error).message));
  }
}

function deviceRow(session: Session, device: DeviceRecord, list: HTMLElement): HTMLElement {
  const stop = async () => {
    if (!confirm(t("revokeConfirm"))) return;
    try {
      await revoke(session.identity.token, device.device_id);
      await fillDevices(session, list);
    } catch (error) {
      toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
    }
  };
  return h("li", { class: "device", "data-testid": "device-row", "data-revoked": String(device.revoked) },
    h("strong", {}, who(session, device.role, device.person)), " ",
    h("span", { class: "chip" }, label(device.role)), " ",
    h("span", { class: "meta" }, `${device.name} · ${placeOf(session, device.stations)} · ${when(device.created_ms)}`),
    device.revoked
      ? h("span", { class: "chip status-closed" }, t("deviceRevoked"))
      : h("button", { class: "danger", "data-testid": "device-revoke", onclick: () => void stop() }, t("revokeDevice")));
}

// ---- bulk cards for a 双报到 drive ----

function bulkCard(session: Session): HTMLElement {
  const sheet = h("div", { class: "print-sheet", "data-testid": "print-sheet" });
  const roles = select("bulk-role", rolesFor(session.device.role).filter(namesPerson).map((r) => [r, label(r)]), "volunteer");
  const stations = stationChecks(session, "bulk-station");
  const people = h("div", { class: "checks people-checks", "data-testid": "bulk-people" },
    sortedPeople(session).map(([id, name]) => check("bulk-person", id, name)));
  const all = h("input", { type: "checkbox", "data-testid": "bulk-all", onchange: (e: Event) => {
    const on = (e.target as HTMLInputElement).checked;
    people.querySelectorAll<HTMLInputElement>("input").forEach((box) => (box.checked = on));
  } });
  const make = async () => {
    const chosen = checkedValues(people);
    if (chosen.length === 0) return toast(t("pickPerson"), "error");
    try {
      const codes = await createCodes(session.identity.token, { role: roles.value, community: session.communityId, stations: checkedValues(stations), people: chosen });
      sheet.replaceChildren(...codes.map((c) => printCard(session, c, checkedValues(stations))));
      keep(sheet);
      sheet.prepend(h("button", { class: "primary no-print", "data-testid": "bulk-print", onclick: () => window.print() }, t("printSheet")));
    } catch (error) {
      toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
    }
  };
  return h("section", { class: "card form bulk", onchange: (e: Event) => keep(e.target as HTMLElement) },
    h("h2", {}, t("bulkTitle")),
    h("p", { class: "help" }, t("bulkHelp")),
    h("div", { class: "row" }, field(t("codeRole"), roles), field(t("codeStations"), stations)),
    h("label", { class: "check" }, all, t("selectAll")),
    people,
    h("button", { type: "button", class: "primary", "data-testid": "bulk-make", onclick: () => void make() }, t("makeCodes")),
    sheet);
}

function printCard(session: Session, code: Code, stations: string[]): HTMLElement {
  return h("div", { class: "qr-card", "data-testid": "qr-card" },
    h("img", { class: "qr", alt: code.code, src: svgUrl(code.qr_svg) }),
    h("strong", {}, session.personName(code.person)),
    h("span", { class: "code-text" }, code.code),
    h("span", { class: "meta" }, stationNames(session, stations)),
    h("span", { class: "meta" }, `${t("codeValidUntil")} ${when(code.expires_ms)}`));
}

// ---- shared pieces ----

function peopleSelect(session: Session): HTMLSelectElement {
  const options: [string, string][] = [["", t("pickPerson")], ...sortedPeople(session)];
  const element = select("person", options, "");
  element.setAttribute("data-testid", "code-person");
  return element;
}

/** The directory's people as (id, name), by name; ids never shown. */
function sortedPeople(session: Session): [string, string][] {
  const people = Object.values(session.community()?.people ?? {});
  return people.map((p): [string, string] => [p.id, p.name]).sort((a, b) => a[1].localeCompare(b[1], "zh-CN"));
}

/** Checkboxes of the stations I may give: mine (coordinator) or the community's. */
function stationChecks(session: Session, name: string): HTMLElement {
  const community = session.community();
  const ids = session.device.role === "coordinator" ? session.device.stations : Object.keys(community?.stations ?? {});
  return h("div", { class: "checks", "data-testid": name }, ids.map((id) =>
    check(name, id, community?.stations[id]?.name ?? id, ids.length === 1)));
}

function check(name: string, value: string, text: string, checked = false): HTMLElement {
  return h("label", { class: "check" }, h("input", { type: "checkbox", name, value, checked, "data-name": text }), text);
}

function checkedValues(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")).map((b) => b.value);
}

/** Where a code or device works: its stations, or for a 街道 device (no station) the
 *  community, so the line never ends in an empty "·". */
function placeOf(session: Session, stations: string[]): string {
  return stations.length > 0 ? stationNames(session, stations) : session.community()?.name ?? "";
}

function stationNames(session: Session, ids: string[]): string {
  const stations = session.community()?.stations ?? {};
  return ids.map((id) => stations[id]?.name ?? "").filter(Boolean).join("、");
}

function svgUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** Sync must not redraw this screen now: it shows codes that are given only once. */
function keep(element: HTMLElement): void {
  element.closest("main")?.setAttribute("data-keep", "");
}
