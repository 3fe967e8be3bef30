// After the work, on a wish's detail screen: the resolve form (服务内容 and hours), the
// 回访 records with a form to add one, and the coordinator's 微故事 of a fulfilled wish.
// Who may do what comes from the core (wishAftercare); the server checks it again.

import { label, t, when } from "../../i18n.js";
import type { Session } from "../../session.js";
import type { ClaimRow, WishDetail, WishEvent } from "../../views.js";
import { field, formValues, h, toast } from "../dom.js";
import { refusalText } from "../../directory.js";

export interface Aftercare {
  visitor: boolean;
  fulfilled: boolean;
  visits: WishEvent[];
  story: WishEvent | null;
}

export function aftercare(session: Session, doc: string): Aftercare | null {
  try {
    return JSON.parse(session.client.wishAftercare(doc, session.device.person)) as Aftercare;
  } catch {
    return null;
  }
}

/** The button on an assigned claim that opens the resolve form. */
export function resolveButton(session: Session, d: WishDetail, c: ClaimRow): HTMLElement {
  return h("button", { "data-testid": "resolve", onclick: () => openResolveForm(session, d, c) }, label("resolve"));
}

function openResolveForm(session: Session, d: WishDetail, c: ClaimRow): void {
  const form = h("form", { class: "form inline-form", "data-testid": "form-resolve" },
    field(t("serviceContent"), h("textarea", { name: "note", required: true, rows: 3, placeholder: t("serviceContentHelp"), "data-testid": "resolve-note" })),
    field(t("serviceHours"), h("input", { name: "hours", type: "number", min: "0", step: "0.5", value: "1", required: true, "data-testid": "resolve-hours" })),
    h("button", { type: "submit", class: "primary", "data-testid": "form-submit" }, t("save")),
    h("button", { type: "button", onclick: () => form.remove() }, t("cancel"))) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = formValues(form);
    form.remove();
    void write(() => session.act(d.doc, { op: "resolve", claim: c.id, hours: Number(v.hours), note: String(v.note).trim() }));
  });
  document.getElementById("action-form")?.replaceChildren(form);
}

/** 回访 records, and the form to add one for visitors, station people and coordinators. */
export function visitsBlock(session: Session, d: WishDetail, care: Aftercare): HTMLElement | null {
  const afterWork = ["resolved", "rated", "closed"].includes(d.status);
  if (!afterWork && care.visits.length === 0) return null;
  const mayVisit = care.visitor || session.isCoordinator || session.device.stations.includes(d.wish.station);
  return h("section", { class: "card", "data-testid": "visits" },
    h("h2", {}, t("visitsTitle")),
    care.visits.length === 0
      ? h("p", { class: "empty" }, t("noVisits"))
      : h("ul", { class: "visits" }, care.visits.map((v) =>
          h("li", { "data-testid": "visit" }, when(v.at), " · ", session.personName(v.by), " · ", v.note ?? ""))),
    afterWork && mayVisit ? visitForm(session, d) : null);
}

function visitForm(session: Session, d: WishDetail): HTMLElement {
  const form = h("form", { class: "form row", "data-testid": "visit-form" },
    field(t("visitResult"), h("input", { name: "result", required: true, autocomplete: "off", "data-testid": "visit-result" })),
    h("button", { type: "submit", "data-testid": "visit-save" }, t("addVisit"))) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const result = String(formValues(form).result);
    form.reset();
    void write(() => session.runtime.run(() => session.client.recordVisit(d.doc, session.stamp(), result)));
  });
  return form;
}

/** The story of a fulfilled wish: shown to all, written by the coordinator. */
export function storyBlock(session: Session, d: WishDetail, care: Aftercare): HTMLElement | null {
  if (!care.story && !(care.fulfilled && session.isCoordinator)) return null;
  return h("section", { class: "card", "data-testid": "story" },
    h("h2", {}, t("storyTitle")),
    care.story ? h("p", { class: "story-text", "data-testid": "story-text" }, care.story.note ?? "") : null,
    care.fulfilled && session.isCoordinator ? storyForm(session, d, care.story?.note ?? "") : null);
}

function storyForm(session: Session, d: WishDetail, current: string): HTMLElement {
  const form = h("form", { class: "form", "data-testid": "story-form" },
    field(t("storyText"), h("textarea", { name: "text", required: true, rows: 3, maxlength: "300", "data-testid": "story-input" }, current)),
    h("button", { type: "submit", class: "primary", "data-testid": "story-save" }, t("storySave"))) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = String(formValues(form).text);
    void write(() => session.runtime.run(() => session.client.markStory(d.doc, session.stamp(), text, d.wish.contact ?? undefined)));
  });
  return form;
}

async function write(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    toast(refusalText(error), "error");
  }
}
