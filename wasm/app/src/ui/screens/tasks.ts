// 我的任务: the wishes I claimed or was dispatched, across stations, with the next step
// and the due date (the wasm client's `myTasks`; partners also see their unit's tasks).

import { t, when } from "../../i18n.js";
import type { Session } from "../../session.js";
import { h } from "../dom.js";
import { moduleChip, statusChip, urgencyChip } from "../badges.js";

/** One task (`Task` in client-core/src/model/tasks.rs) with its wish's document. */
interface TaskRow {
  doc: string;
  wish: string;
  title: string;
  station: string;
  module: string | null;
  urgency: string;
  status: string;
  claim: string;
  claim_kind: "person" | "unit" | "group";
  claimant: string;
  dispatched_by: string | null;
  next: string;
  due_at: number;
  overdue: boolean;
  needs_me: boolean;
}

interface Tasks {
  tasks: TaskRow[];
  badge: number;
}

const STEPS = {
  await_assignment: "stepAwaitAssignment",
  start: "stepStart",
  resolve: "stepResolve",
  await_confirmation: "stepAwaitConfirmation",
  await_rating: "stepAwaitRating",
  done: "stepDone",
} as const;

export function tasksScreen(session: Session): HTMLElement {
  const { tasks } = myTasks(session);
  return h("main", { class: "screen", "data-testid": "tasks" },
    h("h1", {}, t("tasksTitle")),
    h("p", { class: "help" }, t("tasksHelp"), " ", h("a", { href: "#/lists", "data-testid": "lists-link" }, t("listsLink"))),
    tasks.length === 0
      ? h("p", { class: "empty" }, t("tasksEmpty"))
      : h("ul", { class: "cards", "data-testid": "task-list" }, tasks.map((task) => taskCard(session, task))));
}

/** The badge on the tab: tasks waiting for me to start or record them. */
export function tasksBadge(session: Session): HTMLElement | null {
  const { badge } = myTasks(session);
  return badge > 0 ? h("span", { class: "chip chip-conflict tab-badge", "data-testid": "tasks-badge" }, String(badge)) : null;
}

function taskCard(session: Session, task: TaskRow): HTMLElement {
  const stations = session.community()?.stations ?? {};
  const kind = { person: null, unit: t("kindUnit"), group: t("kindGroup") }[task.claim_kind];
  return h("li", { class: "card wish-card", "data-testid": "task", "data-doc": task.doc, "data-next": task.next, "data-title": task.title },
    h("a", { href: `#/wish/${task.doc}`, class: "card-link" },
      h("div", { class: "card-top" }, statusChip(task.status), moduleChip(task.module), urgencyChip(task.urgency),
        kind ? h("span", { class: "chip" }, kind) : null,
        task.overdue ? h("span", { class: "chip chip-conflict", "data-testid": "overdue" }, t("overdue")) : null),
      h("h2", {}, task.title),
      h("p", { class: "meta" },
        stations[task.station]?.name ?? "", " · ", `${t("dueAt")} ${when(task.due_at)}`,
        task.dispatched_by ? ` · ${t("dispatchedBy")} ${session.personName(task.dispatched_by)}` : ""),
      h("p", { class: task.needs_me ? "next-step mine" : "next-step", "data-testid": "next-step" },
        `${t("nextStep")}：`, h("strong", {}, t(STEPS[task.next as keyof typeof STEPS] ?? "stepDone")),
        task.claim_kind === "unit" ? ` · ${session.personName(task.claimant)}` : "")));
}

function myTasks(session: Session): Tasks {
  const people = (session.community()?.people ?? {}) as Record<string, { unit?: string | null }>;
  const unit = people[session.device.person]?.unit ?? undefined;
  try {
    return JSON.parse(session.client.myTasks(session.device.person, unit, Date.now())) as Tasks;
  } catch {
    return { tasks: [], badge: 0 };
  }
}

