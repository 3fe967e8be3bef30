// 人员: the community's volunteers, party members and experts by name, with their kind,
// modules, skills, unit and stations; add a person, open one to edit, import a list.

import { type Directory, type DirectoryPerson, attempt, byName, directory, labelled, PERSON_KINDS } from "../../directory.js";
import { label, t } from "../../i18n.js";
import { randomHex, type Session } from "../../session.js";
import { h, select } from "../dom.js";
import { personForm } from "./person-form.js";

let showLeft = false;
let adding = false;
/** The list's filters: a kind, and text found in the name or skills. */
const filters = { kind: "", text: "" };

export function peopleScreen(session: Session): HTMLElement {
  const dir = directory(session);
  if (!dir) return h("main", { class: "screen" }, h("p", { class: "empty" }, t("loading")));
  const redraw = () => window.dispatchEvent(new Event("hashchange"));
  const toggleLeft = h("label", { class: "check" },
    h("input", { type: "checkbox", checked: showLeft, "data-testid": "show-left", onchange: () => { showLeft = !showLeft; redraw(); } }),
    t("showLeft"));
  const list = h("div", {});
  const count = h("span", { class: "count", "data-testid": "people-count" });
  const fill = () => {
    const people = shown(dir);
    count.textContent = String(people.length);
    list.replaceChildren(people.length === 0
      ? h("p", { class: "empty" }, t("empty"))
      : h("ul", { class: "cards", "data-testid": "people" }, people.map((p) => personCard(dir, p))));
  };
  fill();
  return h("main", { class: "screen" },
    h("div", { class: "toolbar" },
      h("h1", {}, t("peopleTitle")),
      session.isCoordinator ? h("button", { class: "primary", "data-testid": "add-person", onclick: () => { adding = !adding; redraw(); } }, t("addPerson")) : null,
      session.isCoordinator ? h("a", { href: "#/import/people", class: "button-link", "data-testid": "import-people" }, t("importPeople")) : null),
    h("div", { class: "toolbar" }, search(fill), kindFilter(fill), toggleLeft, count),
    adding && session.isCoordinator ? addForm(session, dir) : null,
    list);
}

/** People by name, filtered; those who left only when asked for. */
function shown(dir: Directory): DirectoryPerson[] {
  const text = filters.text.trim();
  return byName(Object.values(dir.people)).filter((p) =>
    (showLeft || p.left_at === null) &&
    (!filters.kind || p.role === filters.kind) &&
    (!text || p.name.includes(text) || p.skills.some((skill) => skill.includes(text))));
}

/** Redraws only the list while typing, so the search box keeps its focus. */
function search(fill: () => void): HTMLElement {
  const input = h("input", { type: "search", value: filters.text, placeholder: t("searchPeople"), "data-testid": "people-search", class: "search" }) as HTMLInputElement;
  input.addEventListener("input", () => {
    filters.text = input.value;
    fill();
  });
  return input;
}

function kindFilter(fill: () => void): HTMLElement {
  const kinds = select("kind", [["", `${t("personKind")}: ${t("all")}`], ...PERSON_KINDS.map((k): [string, string] => [k, label(k)])], filters.kind);
  kinds.dataset.testid = "people-kind";
  kinds.addEventListener("change", () => {
    filters.kind = kinds.value;
    fill();
  });
  return kinds;
}

function addForm(session: Session, dir: Directory): HTMLElement {
  return personForm(dir, null, async (person) => {
    const added = { ...person, id: randomHex(16) };
    const ok = await attempt(session, () => session.client.addPerson(session.communityId, JSON.stringify(added), Date.now()), t("saved"));
    if (ok) adding = false;
    window.dispatchEvent(new Event("hashchange"));
  });
}

function personCard(dir: Directory, person: DirectoryPerson): HTMLElement {
  const unit = person.unit ? dir.units[person.unit]?.name : null;
  const stations = person.stations.map((s) => dir.stations[s]?.name).filter(Boolean);
  return h("li", { class: `card person${person.left_at === null ? "" : " left"}`, "data-testid": "person", "data-person": person.id, "data-name": person.name },
    h("a", { href: `#/person/${person.id}`, class: "card-link" },
      h("div", { class: "card-top" },
        h("strong", { class: "person-name" }, person.name),
        h("span", { class: "chip", "data-testid": "person-kind" }, label(person.role)),
        // Kind 党员 already says it; the flag shows for volunteers and experts who are members.
        person.party_member && person.role !== "member" ? h("span", { class: "chip chip-party" }, t("partyMember")) : null,
        person.left_at === null ? null : h("span", { class: "chip chip-left", "data-testid": "person-left" }, t("hasLeft"))),
      person.modules.length ? h("div", { class: "card-top" }, person.modules.map((m) => h("span", { class: "chip chip-module" }, label(m)))) : null,
      person.skills.length ? h("p", { class: "meta" }, labelled(t("skillsShort"), person.skills.join("、"))) : null,
      unit ? h("p", { class: "meta" }, labelled(t("unit"), unit)) : null,
      stations.length ? h("p", { class: "meta" }, labelled(t("stations"), stations.join("、"))) : null));
}
