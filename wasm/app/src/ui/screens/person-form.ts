// The form that adds or edits a person of the directory: name, kind, party membership,
// modules, skills, unit and stations.

import { type Directory, type DirectoryPerson, byName, PERSON_KINDS, splitList } from "../../directory.js";
import { label, MODULES, t } from "../../i18n.js";
import { field, formValues, h, select } from "../dom.js";

/** The person the form describes (`id` as given; `left_at` kept from `current`). */
export type PersonInput = Omit<DirectoryPerson, "left_at">;

export function personForm(
  dir: Directory,
  current: DirectoryPerson | null,
  onSubmit: (person: PersonInput, form: HTMLFormElement) => void,
): HTMLFormElement {
  const check = (name: string, text: string, checked: boolean) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name, checked, "data-testid": `person-${name}` }), text);
  const units: [string, string][] = [["", t("noUnit")], ...byName(Object.values(dir.units)).map((u): [string, string] => [u.id, u.name])];
  const kind = select("role", PERSON_KINDS.map((k): [string, string] => [k, label(k)]), current?.role ?? "volunteer");
  kind.dataset.testid = "person-role";
  const unit = select("unit", units, current?.unit ?? "");
  unit.dataset.testid = "person-unit";
  const stations = Object.entries(dir.stations).map(([id, s]) => check(`station_${id}`, s.name, current?.stations.includes(id) ?? false));
  const form = h("form", { class: "card form", "data-testid": "person-form" },
    h("div", { class: "row" },
      field(t("personName"), h("input", { name: "name", required: true, value: current?.name ?? "", autocomplete: "off", "data-testid": "person-name" })),
      field(t("personKind"), kind),
      field(t("unit"), unit)),
    check("party_member", t("partyMember"), current?.party_member ?? false),
    h("fieldset", {}, h("legend", {}, t("modules")),
      h("div", { class: "checks" }, MODULES.map((m) => check(`module_${m}`, label(m), current?.modules.includes(m) ?? false)))),
    field(t("skills"), h("input", { name: "skills", value: current?.skills.join("、") ?? "", autocomplete: "off", "data-testid": "person-skills" })),
    h("fieldset", {}, h("legend", {}, t("stations")), h("div", { class: "checks" }, stations)),
    h("button", { type: "submit", class: "primary big", "data-testid": "person-save" }, t("save")),
  ) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = formValues(form);
    onSubmit({
      id: current?.id ?? "",
      name: String(v.name).trim(),
      role: String(v.role),
      modules: MODULES.filter((m) => v[`module_${m}`]),
      skills: splitList(String(v.skills)),
      party_member: Boolean(v.party_member),
      unit: v.unit ? String(v.unit) : null,
      stations: Object.keys(dir.stations).filter((id) => v[`station_${id}`]),
    }, form);
  });
  return form;
}
