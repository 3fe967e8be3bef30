// 共建单位: the partner units (驻区单位 / 共建单位) that staff shifts and claim wishes:
// name, kind and contact person; add one, edit one in place.

import { type Unit, attempt, byName, directory, labelled, UNIT_KINDS } from "../../directory.js";
import { label, t } from "../../i18n.js";
import { randomHex, type Session } from "../../session.js";
import { field, formValues, h, select } from "../dom.js";

let editing: string | null = null;

export function unitsScreen(session: Session): HTMLElement {
  const dir = directory(session);
  if (!dir) return h("main", { class: "screen" }, h("p", { class: "empty" }, t("loading")));
  const units = byName(Object.values(dir.units));
  return h("main", { class: "screen" },
    h("h1", {}, t("unitsTitle")),
    session.isCoordinator ? unitForm(session, null) : null,
    units.length === 0
      ? h("p", { class: "empty" }, t("empty"))
      : h("ul", { class: "cards", "data-testid": "units" }, units.map((u) => editing === u.id ? h("li", {}, unitForm(session, u)) : unitCard(u, session.isCoordinator))));
}

function unitCard(unit: Unit, editable: boolean): HTMLElement {
  const edit = () => {
    editing = unit.id;
    window.dispatchEvent(new Event("hashchange"));
  };
  return h("li", { class: "card", "data-testid": "unit", "data-unit": unit.id, "data-name": unit.name },
    h("div", { class: "card-top" }, h("strong", {}, unit.name), unit.kind ? h("span", { class: "chip" }, label(unit.kind)) : null),
    unit.contact_person ? h("p", { class: "meta" }, labelled(t("contactPerson"), unit.contact_person)) : null,
    editable ? h("button", { "data-testid": "edit-unit", onclick: edit }, t("edit")) : null);
}

/** Adds a unit (`current` null) or edits one. */
function unitForm(session: Session, current: Unit | null): HTMLElement {
  const kinds = UNIT_KINDS.includes(current?.kind ?? "") || !current?.kind ? UNIT_KINDS : [current.kind, ...UNIT_KINDS];
  const kind = select("kind", kinds.map((k): [string, string] => [k, label(k)]), current?.kind ?? "enterprise");
  kind.dataset.testid = "unit-kind";
  const form = h("form", { class: "card form", "data-testid": current ? "unit-edit-form" : "unit-form" },
    current ? null : h("h2", {}, t("addUnit")),
    h("div", { class: "row" },
      field(t("unitName"), h("input", { name: "name", required: true, value: current?.name ?? "", autocomplete: "off", "data-testid": "unit-name" })),
      field(t("unitKind"), kind),
      field(t("contactPerson"), h("input", { name: "contact_person", value: current?.contact_person ?? "", autocomplete: "off", "data-testid": "unit-contact" }))),
    h("button", { type: "submit", class: "primary", "data-testid": "unit-save" }, t("save")),
    current ? h("button", { type: "button", onclick: () => { editing = null; window.dispatchEvent(new Event("hashchange")); } }, t("cancel")) : null,
  ) as HTMLFormElement;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const unit: Unit = { id: current?.id ?? randomHex(16), name: String(v.name).trim(), kind: String(v.kind), contact_person: String(v.contact_person).trim() };
    const community = session.communityId;
    const write = current
      ? () => session.client.editUnit(community, JSON.stringify(unit), Date.now())
      : () => session.client.addUnit(community, JSON.stringify(unit), Date.now());
    if (await attempt(session, write, t("saved"))) {
      editing = null;
      form.reset();
    }
    window.dispatchEvent(new Event("hashchange"));
  });
  return form;
}
