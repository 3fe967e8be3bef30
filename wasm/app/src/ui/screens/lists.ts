// 资源清单 and 项目清单 (#/lists): members and partners post offers (as themselves or
// their unit); coordinators retire offers and move projects 计划中 → 进行中 → 已完成.
// Every check is the wasm client's (and the server's).

import { label, MODULES, t } from "../../i18n.js";
import { randomHex, type Session } from "../../session.js";
import { field, formValues, h, select, toast } from "../dom.js";
import { moduleChip } from "../badges.js";
import type { WishDetail } from "../../views.js";

interface Offer {
  id: string;
  title: string;
  module: string;
  skills: string[];
  provider: string;
  provider_kind: "person" | "unit";
  capacity: number;
  active: boolean;
}

interface Project {
  id: string;
  title: string;
  module: string;
  status: "planned" | "running" | "done";
  lead: string;
}

interface Lists {
  offers: Record<string, Offer>;
  projects: Record<string, Project>;
  people: Record<string, { unit?: string | null }>;
}

const NEXT: Record<string, ["running" | "done", "projectStart" | "projectFinish"] | undefined> = {
  planned: ["running", "projectStart"],
  running: ["done", "projectFinish"],
};

export function listsScreen(session: Session): HTMLElement {
  const lists = session.community() as unknown as Lists | null;
  const offers = Object.values(lists?.offers ?? {});
  const projects = Object.values(lists?.projects ?? {});
  return h("main", { class: "screen", "data-testid": "lists" },
    h("h1", {}, t("listsTitle")),
    h("section", { class: "card", "data-testid": "offers" },
      h("h2", {}, t("offersTitle")),
      h("p", { class: "help" }, t("offersHelp")),
      offers.length === 0 ? h("p", { class: "empty" }, t("offersEmpty")) : h("ul", { class: "claims" }, offers.map((o) => offerRow(session, o))),
      session.device.role === "station_tablet" ? null : offerForm(session, lists)),
    h("section", { class: "card", "data-testid": "projects" },
      h("h2", {}, t("projectsTitle")),
      projects.length === 0 ? h("p", { class: "empty" }, t("projectsEmpty")) : h("ul", { class: "claims" }, projects.map((p) => projectRow(session, p)))));
}

function offerRow(session: Session, o: Offer): HTMLElement {
  const toggle = () => write(session, () => session.client.setOfferActive(session.communityId, o.id, !o.active, Date.now()));
  return h("li", { class: "claim", "data-testid": "offer", "data-title": o.title, "data-active": String(o.active) },
    h("strong", {}, o.title), " ", moduleChip(o.module), " ",
    session.personName(o.provider), o.skills.length ? ` · ${o.skills.join("、")}` : "", ` · ${o.capacity}`,
    o.active ? null : h("span", { class: "chip" }, t("offerRetired")),
    session.isCoordinator
      ? h("span", { class: "claim-actions" }, h("button", { "data-testid": "offer-toggle", onclick: toggle }, o.active ? t("retireOffer") : t("reviveOffer")))
      : null);
}

function projectRow(session: Session, p: Project): HTMLElement {
  const next = NEXT[p.status];
  const move = () => next && write(session, () => session.client.advanceProject(session.communityId, p.id, next[0], Date.now()));
  return h("li", { class: "claim", "data-testid": "project", "data-title": p.title, "data-status": p.status },
    h("strong", {}, p.title), " ", moduleChip(p.module), " ",
    h("span", { class: "chip" }, t(p.status)), ` · ${t("projectLead")} ${session.personName(p.lead)}`,
    session.isCoordinator && next
      ? h("span", { class: "claim-actions" }, h("button", { "data-testid": "project-next", onclick: move }, t(next[1])))
      : null);
}

/** Posting an offer as oneself, or (a partner with a unit) as the unit. */
function offerForm(session: Session, lists: Lists | null): HTMLElement {
  const unit = lists?.people[session.device.person]?.unit ?? null;
  const form = h("form", { class: "form", "data-testid": "offer-form" },
    field(t("offerTitle"), h("input", { name: "title", required: true, "data-testid": "offer-title" })),
    field(t("module"), select("module", MODULES.map((m): [string, string] => [m, label(m)]))),
    field(t("offerSkills"), h("input", { name: "skills", "data-testid": "offer-skills" })),
    field(t("offerPlaces"), h("input", { name: "capacity", type: "number", min: "1", value: "1" })),
    unit ? h("label", { class: "check" }, h("input", { type: "checkbox", name: "as_unit", "data-testid": "offer-as-unit" }), ` ${t("asMyUnit")}（${session.personName(unit)}）`) : null,
    h("button", { type: "submit", class: "primary", "data-testid": "offer-submit" }, t("postOffer"))) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = formValues(form);
    const asUnit = Boolean(v.as_unit) && unit;
    const offer = {
      id: randomHex(8), title: v.title, module: v.module,
      skills: String(v.skills).split(/[、,，\s]+/).filter(Boolean),
      provider: asUnit ? unit : session.device.person, provider_kind: asUnit ? "unit" : "person",
      capacity: Number(v.capacity) || 1,
    };
    void write(session, () => session.client.postOffer(session.communityId, JSON.stringify(offer), Date.now())).then(() => {
      // The screen waits with redraws while a field has focus: leave the form, then redraw.
      (document.activeElement as HTMLElement | null)?.blur();
      window.dispatchEvent(new Event("hashchange"));
    });
  });
  return form;
}

/** Links the wish to a project, or books it against an offer (the detail screen). */
export function listsOnWish(session: Session, d: WishDetail, project: string | null): HTMLElement | null {
  const lists = session.community() as unknown as Lists | null;
  if (!lists || !session.isCoordinator) return null;
  const doc = d.doc;
  const mayLink = d.extra_actions.includes("link");
  const mayBook = d.extra_actions.includes("book");
  const projects = Object.values(lists.projects).filter((p) => p.status !== "done");
  const offers = Object.values(lists.offers).filter((o) => o.active);
  const projectSelect = select("project", projects.map((p): [string, string] => [p.id, p.title]), project ?? "");
  const offerSelect = select("offer", offers.map((o): [string, string] => [o.id, `${o.title}（${session.personName(o.provider)}）`]));
  projectSelect.dataset.testid = "project-select";
  offerSelect.dataset.testid = "offer-select";
  const link = () => write(session, () => session.client.linkProject(doc, session.communityId, projectSelect.value, Date.now()));
  const book = () => write(session, () => session.client.bookOffer(doc, session.stamp(), session.communityId, offerSelect.value));
  return h("div", { class: "lists-on-wish" },
    project ? h("p", { "data-testid": "linked-project" }, `${t("linkedProject")}：${lists.projects[project]?.title ?? ""}`) : null,
    mayLink && projects.length ? h("div", { class: "row" }, projectSelect, h("button", { "data-testid": "link-project", onclick: link }, t("linkProject"))) : null,
    mayBook && offers.length ? h("div", { class: "row" }, offerSelect, h("button", { "data-testid": "book-offer", onclick: book }, t("bookOffer"))) : null);
}

async function write(session: Session, change: () => void): Promise<void> {
  try {
    await session.runtime.run(change);
  } catch (error) {
    toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
  }
}
