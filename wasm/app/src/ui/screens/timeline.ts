// A wish's timeline: every step from the core (events, claims, assignments), each with
// the names of who did it and whose claim it is, never ids.

import { label, t, when } from "../../i18n.js";
import type { Session } from "../../session.js";
import { h } from "../dom.js";

interface TimelineStep {
  id: string;
  kind: string;
  at: number;
  by: string;
  claimant: string | null;
  note: string | null;
  reason: string | null;
  module: string | null;
  hours: number | null;
  score: number | null;
  comment: string | null;
  on_behalf: boolean;
}

export function timelineBlock(session: Session, doc: string): HTMLElement {
  let steps: TimelineStep[] = [];
  try {
    steps = JSON.parse(session.client.wishTimeline(doc)) as TimelineStep[];
  } catch {
    steps = [];
  }
  return h("section", { class: "card", "data-testid": "timeline" },
    h("h2", {}, t("detailTimeline")),
    h("ol", { class: "timeline" }, steps.map((s) => stepItem(session, s))));
}

function stepItem(session: Session, s: TimelineStep): HTMLElement {
  const who = doneBy(session, s);
  const parts = [
    s.claimant && s.claimant !== s.by ? `→ ${session.personName(s.claimant)}` : "",
    s.module ? label(s.module) : "",
    s.hours != null ? `${s.hours} ${t("units")}` : "",
    s.score != null ? "★".repeat(s.score) : "",
    s.on_behalf && s.kind === "rated" ? t("onBehalfRating") : "",
    s.reason ? label(s.reason) : "",
    s.comment ?? "",
    s.note ?? "",
  ].filter(Boolean);
  return h("li", { "data-testid": "timeline-step", "data-kind": s.kind },
    h("strong", {}, label(s.kind)), " ", when(s.at), " · ", who, ...parts.map((p) => ` · ${p}`));
}

/** Who took a step; the street office's computer (督办) is no person of the community: 街道. */
function doneBy(session: Session, s: TimelineStep): string {
  if (s.by === "server") return t("serverArbitration");
  const name = session.personName(s.by);
  return name === s.by && s.kind === "supervised" ? label("office") : name;
}
