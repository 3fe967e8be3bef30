// One person of the directory (#/person/<id>): edit their details, or mark them as
// having left (kept in history, hidden from pickers).

import { attempt, directory } from "../../directory.js";
import { t, when } from "../../i18n.js";
import type { Session } from "../../session.js";
import { h } from "../dom.js";
import { personForm } from "./person-form.js";

export function personScreen(session: Session, id: string): HTMLElement {
  const dir = directory(session);
  const person = dir?.people[id];
  const back = h("a", { href: "#/people", class: "button-link", "data-testid": "back-to-people" }, `← ${t("backToPeople")}`);
  if (!dir || !person) return h("main", { class: "screen narrow" }, back, h("p", { class: "empty" }, t("unknownPerson")));
  const community = session.communityId;
  if (!session.isCoordinator) {
    return h("main", { class: "screen narrow" }, back, h("h1", {}, person.name), h("p", { class: "help" }, t("coordinatorsOnly")));
  }
  const form = personForm(dir, person, (edited) => {
    void attempt(session, () => session.client.editPerson(community, JSON.stringify(edited), Date.now()), t("saved"));
  });
  const deactivate = async () => {
    if (!confirm(t("deactivateConfirm"))) return;
    await attempt(session, () => session.client.deactivatePerson(community, id, Date.now()), t("saved"));
  };
  return h("main", { class: "screen narrow", "data-testid": "person-detail", "data-person": id },
    back,
    h("h1", {}, t("personTitle"), " · ", person.name),
    person.left_at === null
      ? null
      : h("p", { class: "chip chip-left", "data-testid": "person-left" }, `${t("hasLeft")} ${when(person.left_at)}`),
    form,
    person.left_at === null
      ? h("button", { class: "danger big", "data-testid": "deactivate-person", onclick: deactivate }, t("deactivate"))
      : null);
}
