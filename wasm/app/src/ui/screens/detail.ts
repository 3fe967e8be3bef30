// One wish: its card, contact (when this tablet may hold it), conflicts, claims, the steps
// that apply now, and the timeline.

import { CLOSE_REASONS, fieldLabel, label, MODULES, t, URGENCIES, when } from "../../i18n.js";
import type { Session } from "../../session.js";
import type { ClaimRow, WishDetail } from "../../views.js";
import { field, formValues, h, select, toast } from "../dom.js";
import { moduleChip, refusedMark, statusChip, supervisedChip, syncBadge, urgencyChip } from "../badges.js";
import { dispatchBlock } from "./dispatch.js";
import { aftercare, resolveButton, storyBlock, visitsBlock, type Aftercare } from "./aftercare.js";
import { timelineBlock } from "./timeline.js";

export function detailScreen(session: Session, doc: string): HTMLElement {
  const d = session.wish(doc);
  if (!d) return h("main", { class: "screen" }, h("p", { class: "empty" }, t("unknownWish")));
  const w = d.wish;
  const care = aftercare(session, doc);
  return h(
    "main",
    { class: "screen detail", "data-testid": "wish-detail", "data-doc": doc },
    h("section", { class: "card" },
      h("div", { class: "card-top" }, statusChip(d.status), moduleChip(w.module ?? w.suggested_module), urgencyChip(w.urgency), syncBadge(d.saved), supervisedChip(d.supervision, true)),
      h("h1", { "data-testid": "detail-title" }, w.title),
      h("p", { class: "meta" }, [w.compound, w.building].filter(Boolean).join(" · "), " · ", label(w.channel), " · ", when(w.created_at)),
      h("blockquote", { class: "resident-words" }, w.text),
      contactBlock(session, w.contact),
    ),
    d.refused ? refusedBlock(session, d) : null,
    d.conflicts.length ? conflictsBlock(session, d) : null,
    dispatchBlock(session, d),
    actionsBlock(session, d, care),
    claimsBlock(session, d),
    care ? visitsBlock(session, d, care) : null,
    care ? storyBlock(session, d, care) : null,
    timelineBlock(session, doc),
  );
}

function contactBlock(session: Session, contactDoc: string | null): HTMLElement | null {
  if (!contactDoc) return null;
  const contact = session.contact(contactDoc);
  if (!contact) {
    void session.fetch(contactDoc);
    return h("p", { class: "help" }, t("contactHidden"));
  }
  return h("dl", { class: "contact", "data-testid": "contact" },
    h("dt", {}, t("residentName")), h("dd", {}, contact.name),
    h("dt", {}, t("phone")), h("dd", {}, h("a", { href: `tel:${contact.phone}` }, contact.phone)),
    h("dt", {}, t("room")), h("dd", {}, contact.room),
    contact.vulnerability.length ? [h("dt", {}, t("vulnerability")), h("dd", {}, contact.vulnerability.map(label).join("、"))] : null,
  );
}

/** The server refused a change this tablet holds: why, and undoing it. */
function refusedBlock(session: Session, d: WishDetail): HTMLElement {
  return h("section", { class: "card refused-card", "data-testid": "refused-block" },
    refusedMark(d.refused),
    h("p", { class: "help" }, t("refusedHelp")),
    h("button", { class: "primary", "data-testid": "undo-local", onclick: () => run(() => session.undoLocal(d.doc)) }, t("undoLocal")));
}

function conflictsBlock(session: Session, d: WishDetail): HTMLElement {
  return h("section", { class: "card conflicts", "data-testid": "conflicts" },
    h("h2", {}, `⚠ ${t("detailConflicts")}`),
    h("p", { class: "help" }, t("conflictHelp")),
    d.conflicts.map((c) => h("div", { class: "conflict", "data-testid": "conflict", "data-path": c.path },
      h("strong", {}, fieldLabel(c.path)),
      c.values.map((value) => h("div", { class: "conflict-value" },
        h("span", {}, label(value)),
        session.isCoordinator
          ? h("button", { "data-testid": "choose", onclick: () => run(() => session.runtime.run(() => session.client.resolveConflict(d.doc, c.path, value))) }, t("choose"))
          : null)))));
}

function actionsBlock(session: Session, d: WishDetail, care: Aftercare | null): HTMLElement | null {
  const coordinatorOnly = new Set(["verify", "reject", "triage", "publish", "close", "rate"]);
  // The visiting volunteer (collector or claimant) records the resident's rating (代评).
  const mayRate = (a: string) => a === "rate" && care?.visitor === true;
  const allowed = d.actions.filter((a) => session.isCoordinator || !coordinatorOnly.has(a) || mayRate(a));
  const buttons = allowed.map((action) =>
    h("button", { class: action === "claim" ? "primary" : "", "data-testid": `action-${action}`, onclick: () => openForm(session, d, action) }, label(action)));
  const editButton = d.extra_actions.includes("edit")
    ? h("button", { "data-testid": "action-edit", onclick: () => openForm(session, d, "edit") }, t("edit"))
    : null;
  if (buttons.length === 0 && !editButton) return null;
  return h("section", { class: "card actions", "data-testid": "actions" }, buttons, editButton, h("div", { id: "action-form" }));
}

/** Steps with parameters ask for them first; the others run at once. */
function openForm(session: Session, d: WishDetail, action: string): void {
  const simple = ["verify", "publish", "start"];
  if (simple.includes(action)) return void run(() => session.act(d.doc, { op: action }));
  if (action === "claim") {
    return void run(() => session.act(d.doc, { op: "claim", kind: "person", claimant: session.device.person, note: null }));
  }
  const fields: Record<string, () => HTMLElement[]> = {
    reject: () => [field(t("reason"), h("input", { name: "reason", required: true }))],
    triage: () => [field(t("module"), select("module", MODULES.map((m): [string, string] => [m, label(m)]), d.wish.module ?? d.wish.suggested_module ?? ""))],
    rate: () => [field(t("score"), select("score", ["5", "4", "3", "2", "1"].map((s): [string, string] => [s, "★".repeat(Number(s))]))), field(t("comment"), h("input", { name: "comment", "data-testid": "rate-comment" })),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "on_behalf", checked: true, "data-testid": "rate-on-behalf" }), t("onBehalfRating"))],
    close: () => [field(t("reason"), select("reason", CLOSE_REASONS.map((r): [string, string] => [r, label(r)]))), field(t("notes"), h("input", { name: "note" }))],
    edit: () => [
      field(t("title"), h("input", { name: "title", value: d.wish.title, "data-testid": "edit-title" })),
      field(t("urgency"), select("urgency", URGENCIES.map((u): [string, string] => [u, label(u)]), d.wish.urgency)),
      field(t("compound"), h("input", { name: "compound", value: d.wish.compound })),
      field(t("building"), h("input", { name: "building", value: d.wish.building })),
    ],
  };
  const form = h("form", { class: "form inline-form", "data-testid": `form-${action}` },
    fields[action]?.() ?? [],
    h("button", { type: "submit", class: "primary", "data-testid": "form-submit" }, label(action) || t("save")),
    h("button", { type: "button", onclick: () => form.remove() }, t("cancel"))) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = formValues(form);
    const payload: Record<string, Record<string, unknown>> = {
      reject: { op: "reject", reason: v.reason },
      triage: { op: "triage", module: v.module },
      rate: { op: "rate", score: Number(v.score), comment: v.comment, on_behalf: v.on_behalf === true },
      close: { op: "close", reason: v.reason, note: v.note || null },
      edit: { op: "edit", title: v.title, urgency: v.urgency, compound: v.compound, building: v.building },
    };
    form.remove();
    void run(() => session.act(d.doc, payload[action]));
  });
  document.getElementById("action-form")?.replaceChildren(form);
}

function claimsBlock(session: Session, d: WishDetail): HTMLElement | null {
  if (d.claims.length === 0) return null;
  return h("section", { class: "card" },
    h("h2", {}, `${t("detailClaims")} · ${d.claims.filter((c) => c.state === "assigned").length}/${d.wish.capacity} ${t("places")}`),
    h("ul", { class: "claims" }, d.claims.map((c) => claimRow(session, d, c))));
}

function claimRow(session: Session, d: WishDetail, c: ClaimRow): HTMLElement {
  const mine = c.claimant === session.device.person;
  const stamp = (op: string, extra: Record<string, unknown> = {}) => () => run(() => session.act(d.doc, { op, claim: c.id, note: null, ...extra }));
  // The core decides which steps apply (a closed wish offers none); the role decides who.
  const allowed = new Set(c.actions);
  const buttons: (HTMLElement | null)[] = [];
  if (allowed.has("release") && (mine || session.isCoordinator)) {
    buttons.push(h("button", { onclick: stamp("release") }, label("release")));
  }
  if (allowed.has("assign") && session.isCoordinator) buttons.push(h("button", { onclick: stamp("assign") }, label("assign")));
  if (allowed.has("resolve") && c.resolved_hours === null && (mine || session.isCoordinator)) {
    buttons.push(resolveButton(session, d, c));
  }
  if (allowed.has("confirm") && session.isCoordinator) {
    buttons.push(h("button", { onclick: () => run(() => session.runtime.run(() => session.client.confirm(d.doc, session.ledger ?? undefined, session.stamp(), c.id))) }, label("confirm")));
  }
  return h("li", { class: "claim", "data-testid": "claim-row", "data-state": c.state, "data-mine": String(mine) },
    h("span", { class: `chip claim-${c.state}` }, label(c.state)), " ",
    session.personName(c.claimant), " · ", when(c.at),
    c.resolved_hours !== null ? ` · ${c.resolved_hours} ${t("units")}${c.confirmed ? " ✓" : ""}` : "",
    h("span", { class: "claim-actions" }, buttons));
}

async function run(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
  }
}
