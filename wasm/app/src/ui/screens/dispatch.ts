// 派单 on a wish's detail screen: the coordinator's ranked suggestions (from the wasm
// client's `dispatchSuggestions`), and the claims a partner makes as its unit and a
// volunteer as the lead of a 帮帮团. The ranking and every check are the core's.

import { label, t } from "../../i18n.js";
import type { Session } from "../../session.js";
import type { WishDetail } from "../../views.js";
import { field, h, toast } from "../dom.js";
import { listsOnWish } from "./lists.js";

/** One candidate (`Suggestion` in client-core/src/model/matching/suggest.rs). */
export interface Suggestion {
  kind: "person" | "unit";
  id: string;
  name: string;
  score: number;
  load: number;
  reasons: Reason[];
}

type Reason =
  | { kind: "module"; module: string }
  | { kind: "skill"; skill: string }
  | { kind: "offer"; offer: string; title: string }
  | { kind: "station"; station: string };

interface DirectoryPerson {
  id: string;
  name: string;
  role: string;
  unit?: string | null;
  left_at?: number | null;
}

/** The dispatch card (coordinators) or the unit / group claim (partners, volunteers). */
export function dispatchBlock(session: Session, d: WishDetail): HTMLElement | null {
  const open = d.on_wall && d.free_capacity > 0;
  const dispatched = dispatchedLines(session, d);
  const alone = dispatched ? h("section", { class: "card" }, dispatched) : null;
  if (session.isCoordinator) {
    const lists = listsOnWish(session, d, (d.wish as { project?: string | null }).project ?? null);
    if (!open) return lists ? h("section", { class: "card" }, lists, dispatched) : alone;
    return suggestionsCard(session, d, dispatched, lists);
  }
  if (!open) return alone;
  if (session.device.role === "partner") return unitClaimCard(session, d, dispatched) ?? alone;
  if (session.device.role === "volunteer") return groupClaimCard(session, d, dispatched);
  return alone;
}

function suggestionsCard(session: Session, d: WishDetail, dispatched: HTMLElement | null, lists: HTMLElement | null): HTMLElement {
  const found = suggestions(session, d.doc);
  return h("section", { class: "card dispatch", "data-testid": "dispatch" },
    h("h2", {}, t("dispatchTitle")),
    h("p", { class: "help" }, t("dispatchHelp")),
    found.length === 0
      ? h("p", { class: "empty" }, t("dispatchNone"))
      : h("ul", { class: "claims" }, found.map((s) => suggestionRow(session, d, s))),
    lists,
    dispatched);
}

function suggestionRow(session: Session, d: WishDetail, s: Suggestion): HTMLElement {
  const send = () => run(() => session.runtime.run(() => session.client.dispatch(d.doc, session.stamp(), s.kind, s.id)));
  return h("li", { class: "claim suggestion", "data-testid": "suggestion", "data-id": s.id, "data-kind": s.kind, "data-name": s.name },
    h("strong", {}, s.name), " ",
    h("span", { class: "chip" }, s.kind === "unit" ? t("kindUnit") : t("kindPerson")), " ",
    s.reasons.map(reasonChip),
    h("span", { class: "meta" }, ` · ${t("load")} ${s.load}`),
    h("span", { class: "claim-actions" },
      h("button", { class: "primary", "data-testid": "dispatch-to", onclick: send }, t("dispatchTo"))));
}

function reasonChip(r: Reason): HTMLElement {
  const text = {
    module: () => `${t("reasonModule")}：${label((r as { module: string }).module)}`,
    skill: () => `${t("reasonSkill")}：${(r as { skill: string }).skill}`,
    offer: () => `${t("reasonOffer")}：${(r as { title: string }).title}`,
    station: () => t("reasonStation"),
  }[r.kind]();
  return h("span", { class: "chip chip-module", "data-testid": "reason", "data-reason": r.kind }, text);
}

/** A partner claims as the unit its directory entry names. */
function unitClaimCard(session: Session, d: WishDetail, dispatched: HTMLElement | null): HTMLElement | null {
  const unit = me(session)?.unit;
  if (!unit) return null;
  const claim = () => run(() => session.runtime.run(() =>
    session.client.claimAs(d.doc, session.stamp(), JSON.stringify({ kind: "unit", claimant: unit }))));
  return h("section", { class: "card", "data-testid": "unit-claim" },
    h("button", { class: "primary big", "data-testid": "claim-unit", onclick: claim },
      `${t("claimAsUnit")}（${session.personName(unit)}）`),
    dispatched);
}

/** A volunteer claims as the lead of a 帮帮团, choosing its members by name. */
function groupClaimCard(session: Session, d: WishDetail, dispatched: HTMLElement | null): HTMLElement {
  const people = Object.values((session.community()?.people ?? {}) as Record<string, DirectoryPerson>)
    .filter((p) => !p.left_at && p.id !== session.device.person && p.role !== "coordinator");
  const boxes = people.map((p) => h("label", { class: "check" },
    h("input", { type: "checkbox", value: p.id, "data-testid": "group-member", "data-name": p.name }), ` ${p.name}`));
  const claim = () => {
    const members = boxes
      .map((b) => b.querySelector("input") as HTMLInputElement)
      .filter((i) => i.checked).map((i) => i.value);
    const lead = session.device.person;
    const input = { kind: "group", claimant: lead, members: [lead, ...members] };
    return run(() => session.runtime.run(() => session.client.claimAs(d.doc, session.stamp(), JSON.stringify(input))));
  };
  return h("details", { class: "card", "data-testid": "group-claim" },
    h("summary", {}, t("claimAsGroup")),
    h("p", { class: "help" }, t("groupHelp")),
    field(t("groupMembers"), h("div", { class: "checks" }, boxes)),
    h("button", { class: "primary", "data-testid": "claim-group", onclick: claim }, t("claimAsGroup")),
    dispatched);
}

/** Who dispatched which claim, by name. */
function dispatchedLines(session: Session, d: WishDetail): HTMLElement | null {
  const sent = d.claims.filter((c) => (c as { dispatched?: boolean }).dispatched && c.state !== "released");
  if (sent.length === 0) return null;
  return h("ul", { class: "dispatched", "data-testid": "dispatched" }, sent.map((c) =>
    h("li", { "data-testid": "dispatched-claim", "data-claimant": c.claimant },
      `${t("dispatched")}：${session.personName(c.claimant)} · ${t("dispatchedBy")} ${session.personName(c.by)}`)));
}

function suggestions(session: Session, doc: string): Suggestion[] {
  try {
    return JSON.parse(session.client.dispatchSuggestions(doc, session.communityId)) as Suggestion[];
  } catch {
    return [];
  }
}

function me(session: Session): DirectoryPerson | undefined {
  const people = (session.community()?.people ?? {}) as Record<string, DirectoryPerson>;
  return people[session.device.person];
}

async function run(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
  }
}
