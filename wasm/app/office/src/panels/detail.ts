// A wish's detail in a dialog: what it is, who claimed it, what happened (names, never ids,
// no resident's contact details) and the street office's 督办: a note the station's
// tablets show until the wish is closed.

import { h, mount, toast } from "../../../src/ui/dom.js";
import { label, t } from "../../../src/i18n.js";
import { ApiError } from "../api.js";
import type { Ctx } from "../context.js";
import { dayTime, hours, tf } from "../text.js";
import type { Supervised, TimelineEntry, WishDetail } from "../types.js";

/** Statuses a wish can no longer be marked in. */
const CLOSED = ["closed", "rejected"];

export async function showWish(ctx: Ctx, dialog: HTMLDialogElement, doc: string): Promise<void> {
  const wish = await ctx.api.fresh().get<WishDetail>(`wishes/${encodeURIComponent(doc)}`);
  mount(dialog, h("article", { class: "detail", "data-doc": wish.doc_id },
    h("header", { class: "detail-head" },
      h("h2", { id: "detail-title" }, wish.title),
      h("button", { type: "button", class: "secondary", id: "detail-close", onclick: () => dialog.close() }, t("detailClose"))),
    wish.supervision ? h("p", { class: "supervised", id: "detail-mark" }, h("strong", {}, t("detailSupervision")), " ",
      tf("detailSupervisedBy", { name: markedBy(ctx, wish, wish.supervision.by, wish.supervision.by_name), time: dayTime(wish.supervision.at) }),
      wish.supervision.note ? ` · ${wish.supervision.note}` : "") : null,
    h("p", { class: "wish-text" }, wish.text),
    facts(wish),
    h("h3", {}, t("detailClaimants")),
    wish.claimants.length
      ? h("ul", { class: "claimants" }, wish.claimants.map((c) =>
          h("li", {}, c.name, " · ", label(c.kind), c.unit ? ` · ${tf("detailFor", { unit: c.unit })}` : "",
            c.filed_by_name ? ` · ${tf("detailFiledBy", { name: c.filed_by_name })}` : "")))
      : h("p", { class: "muted" }, t("detailNoClaimants")),
    h("h3", {}, t("detailSteps")),
    h("ol", { class: "timeline", id: "detail-timeline" }, wish.timeline.map((step) =>
      h("li", {}, h("time", {}, dayTime(step.at)), " ", h("strong", {}, label(step.kind)), stepDetails(ctx, wish, step).map((part) => ` · ${part}`)))),
    supervise(ctx, dialog, wish)));
  if (!dialog.open) dialog.showModal();
}

/** What a step says besides its kind and time: who, for whom, and the kind's own details. */
function stepDetails(ctx: Ctx, wish: WishDetail, step: TimelineEntry): string[] {
  const by = step.kind === "supervised" && step.by ? markedBy(ctx, wish, step.by, step.by_name) : step.by_name;
  const parts = [
    by, step.claimant_name, step.module ? label(step.module) : null,
    step.reason ? label(step.reason) : null,
    step.hours !== null ? `${hours(step.hours)} ${t("hoursUnit")}` : null,
    step.score !== null ? `${step.score} ★` : null,
    step.on_behalf ? t("detailOnBehalf") : null, step.comment, step.note,
  ];
  return parts.filter((part): part is string => Boolean(part));
}

/**
 * Who marked a wish 督办: the person's name when the office computer is enrolled for
 * someone of the directory, else the street office itself (a shared office computer has
 * no person of the community behind it).
 */
function markedBy(ctx: Ctx, wish: WishDetail, by: string, byName: string | null): string {
  const known = ctx.names.names.directories[wish.community]?.people[by];
  return known ?? (byName && !byName.includes(by) ? byName : t("officeStreetOffice"));
}

function facts(wish: WishDetail): HTMLElement {
  const rows: [string, string][] = [
    [t("colCommunity"), wish.community_name],
    [t("officeStation"), wish.station_name],
    [t("colModule"), label(wish.module ?? "untriaged")],
    [t("colStatus"), label(wish.status)],
    [t("colUrgency"), label(wish.urgency)],
    [t("detailCreated"), dayTime(wish.created_at)],
    [t("detailCollector"), wish.created_by_name ?? "–"],
    [t("detailClaimed"), dayTime(wish.claimed_at)],
    [t("detailResolved"), dayTime(wish.resolved_at)],
    [t("detailHours"), hours(wish.hours)],
    [t("detailRating"), wish.rating === null ? "–" : `${wish.rating} ★`],
  ];
  return h("dl", { class: "facts" }, rows.map(([name, value]) => [h("dt", {}, name), h("dd", {}, value)]));
}

function supervise(ctx: Ctx, dialog: HTMLDialogElement, wish: WishDetail): HTMLElement {
  if (CLOSED.includes(wish.status)) return h("p", { class: "muted" }, t("detailClosed"));
  if (ctx.admin) return h("p", { class: "muted" }, t("detailNotOffice"));
  const note = h("textarea", { id: "supervise-note", rows: 2, maxlength: 500, placeholder: t("detailSuperviseHint") }) as HTMLTextAreaElement;
  const button = h("button", { type: "submit", id: "supervise" }, t("detailSupervise")) as HTMLButtonElement;
  const form = h("form", { class: "supervise" }, h("label", {}, h("span", {}, t("detailSuperviseNote")), note), button) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    button.disabled = true;
    const body = { note: note.value.trim() || null };
    ctx.api.post<Supervised>(`wishes/${encodeURIComponent(wish.doc_id)}/supervise`, body).then(
      async () => {
        toast(t("detailSupervised"));
        await showWish(ctx, dialog, wish.doc_id);
      },
      (error: unknown) => {
        button.disabled = false;
        toast(error instanceof ApiError && error.status === 409 ? t("detailClosed") : String((error as Error).message), "error");
      },
    );
  });
  return form;
}
