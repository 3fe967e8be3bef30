// The coordinator's part of 排班: the station's template (weekday × time slot, e.g.
// 晚间一小时 on weekdays and 红色周末 on Saturday), building next week from it, and
// staffing shifts: assign a person or partner unit (covering an uncovered shift) and
// swap two people's shifts (换班). Every check is in the wasm client.

import { type Directory, type RosterStation, type TemplateSlot, activePeople, attempt, byName, localDate, refusalText } from "../../directory.js";
import { t } from "../../i18n.js";
import { randomHex, type Session } from "../../session.js";
import type { Shift } from "../../views.js";
import { field, formValues, h, select, toast } from "../dom.js";

const PRESETS: Record<string, Omit<TemplateSlot, "id" | "note">> = {
  presetEvening: { weekdays: [1, 2, 3, 4, 5], start: "19:00", end: "20:00" },
  presetWeekend: { weekdays: [6], start: "09:00", end: "11:00" },
};

/** What was picked in a roster select, by select: a redraw from sync between picking
 *  and tapping the button must not lose the choice. */
const picked = new Map<string, string>();

/** Keeps a select's choice across redraws under `key`. */
function remember(choice: HTMLSelectElement, key: string): HTMLSelectElement {
  const kept = picked.get(key);
  if (kept && Array.from(choice.options).some((o) => o.value === kept)) choice.value = kept;
  choice.addEventListener("change", () => picked.set(key, choice.value));
  return choice;
}

function weekdayName(day: number): string {
  return t("weekdayNames").split(",")[day - 1] ?? String(day);
}

/** The template card: its slots, a form to add one, and the build button. */
export function templateCard(session: Session, stationDoc: string, station: RosterStation): HTMLElement {
  const slots = Object.values(station.template ?? {}).sort((a, b) => a.start.localeCompare(b.start));
  const remove = (slot: TemplateSlot) => () =>
    attempt(session, () => session.client.removeTemplateSlot(stationDoc, slot.id, Date.now()), t("saved"));
  const build = (thisWeek: boolean) => async () => {
    try {
      const today = localDate();
      const added = await session.runtime.run(() => thisWeek
        ? session.client.buildRestOfWeek(stationDoc, today, Date.now())
        : session.client.buildWeek(stationDoc, session.client.nextMonday(today), Date.now()));
      toast(added === 0 ? t("weekUpToDate") : t("weekBuilt"));
      session.changed();
    } catch (error) {
      toast(refusalText(error), "error");
    }
  };
  return h("section", { class: "card", "data-testid": "roster-template" },
    h("h2", {}, t("templateTitle")),
    slots.length === 0
      ? h("p", { class: "empty" }, t("empty"))
      : h("ul", { class: "shifts" }, slots.map((slot) =>
          h("li", { "data-testid": "template-slot", "data-slot": slot.id },
            h("strong", {}, `${slot.start}–${slot.end}`), " ",
            slot.note ? h("span", { class: "chip" }, slot.note) : null,
            h("span", {}, slot.weekdays.map(weekdayName).join("、")),
            h("button", { "data-testid": "remove-slot", onclick: remove(slot) }, t("remove"))))),
    slotForm(session, stationDoc),
    h("div", { class: "row" },
      h("button", { class: "primary big", "data-testid": "build-week", onclick: build(false) }, t("buildWeek")),
      h("button", { class: "big", "data-testid": "build-this-week", onclick: build(true) }, t("buildThisWeek"))));
}

function slotForm(session: Session, stationDoc: string): HTMLFormElement {
  const days = [1, 2, 3, 4, 5, 6, 7].map((d) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name: `wd_${d}`, "data-testid": `slot-wd-${d}` }), weekdayName(d)));
  const form = h("form", { class: "form", "data-testid": "slot-form" },
    h("h2", {}, t("addSlot")),
    h("div", { class: "actions" }, Object.keys(PRESETS).map((key) =>
      h("button", { type: "button", "data-testid": `preset-${key}`, onclick: () => fillPreset(form, key) }, t(key as "presetEvening")))),
    h("div", { class: "row" },
      field(t("slotNote"), h("input", { name: "note", autocomplete: "off", "data-testid": "slot-note" })),
      field(t("start"), h("input", { name: "start", type: "time", required: true, "data-testid": "slot-start" })),
      field(t("end"), h("input", { name: "end", type: "time", required: true, "data-testid": "slot-end" }))),
    h("fieldset", {}, h("legend", {}, t("weekdays")), h("div", { class: "checks" }, days)),
    h("button", { type: "submit", class: "primary", "data-testid": "slot-save" }, t("save")),
  ) as HTMLFormElement;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const slot: TemplateSlot = {
      id: randomHex(8),
      weekdays: [1, 2, 3, 4, 5, 6, 7].filter((d) => v[`wd_${d}`]),
      start: String(v.start), end: String(v.end), note: String(v.note).trim(),
    };
    if (await attempt(session, () => session.client.setTemplateSlot(stationDoc, JSON.stringify(slot), Date.now()), t("saved"))) form.reset();
  });
  return form;
}

function fillPreset(form: HTMLFormElement, key: string): void {
  const preset = PRESETS[key];
  const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  input("note").value = t(key as "presetEvening");
  input("start").value = preset.start;
  input("end").value = preset.end;
  for (const d of [1, 2, 3, 4, 5, 6, 7]) input(`wd_${d}`).checked = preset.weekdays.includes(d);
  // Focus in the form keeps a sync redraw from resetting it before it is saved.
  input("note").focus();
}

/** Staffing controls of one shift row: swap a person with someone on another shift, and
 *  assign a person or unit. */
export function staffing(session: Session, dir: Directory | null, stationDoc: string, shift: Shift, others: Shift[]): HTMLElement {
  return h("div", { class: "staffing" },
    Object.entries(shift.assignees).filter(([, kind]) => kind === "person").map(([person]) =>
      exchangeControl(session, dir, stationDoc, shift, person, others)),
    assignControl(session, dir, stationDoc, shift));
}

function assignControl(session: Session, dir: Directory | null, stationDoc: string, shift: Shift): HTMLElement {
  const people = activePeople(dir).filter((p) => !(p.id in shift.assignees));
  const units = byName(Object.values(dir?.units ?? {})).filter((u) => !(u.id in shift.assignees));
  const choice = select("assignee", [
    ["", t("assignWho")],
    ...people.map((p): [string, string] => [`person:${p.id}`, p.name]),
    ...units.map((u): [string, string] => [`unit:${u.id}`, u.name]),
  ]);
  choice.dataset.testid = "assign-select";
  const key = `assign|${shift.id}`;
  remember(choice, key);
  const assign = () => {
    const [kind, id] = choice.value.split(":");
    if (!id) return;
    picked.delete(key);
    void attempt(session, () => session.client.assignToShift(stationDoc, session.communityId, shift.id, id, kind, Date.now()), t("saved"));
  };
  return h("span", { class: "assign" }, choice, h("button", { "data-testid": "assign-button", onclick: assign }, t("assign")));
}

/** 调换: swap `person` with someone on another shift (换班), or hand their place to an
 *  active person who is not on this shift (换人). */
function exchangeControl(session: Session, dir: Directory | null, stationDoc: string, shift: Shift, person: string, others: Shift[]): HTMLElement {
  const name = (id: string) => dir?.people[id]?.name ?? dir?.units[id]?.name ?? "";
  const swaps: [string, string][] = others
    .filter((o) => o.id !== shift.id && !(person in o.assignees))
    .flatMap((o) => Object.entries(o.assignees)
      .filter(([id, kind]) => kind === "person" && !(id in shift.assignees))
      .map(([id]): [string, string] => [`swap|${o.id}|${id}`, `${o.date} ${o.start} ${name(id)}`]));
  const handOvers: [string, string][] = activePeople(dir)
    .filter((p) => !(p.id in shift.assignees))
    .map((p): [string, string] => [`to|${p.id}`, p.name]);
  const choice = h("select", { name: "exchange", "data-testid": "exchange-select", "data-person": person },
    h("option", { value: "" }, `${name(person)} · ${t("exchangeWith")}`),
    group(t("exchange"), swaps),
    group(t("handOver"), handOvers)) as HTMLSelectElement;
  const key = `change|${shift.id}|${person}`;
  remember(choice, key);
  const change = () => {
    const [how, a, b] = choice.value.split("|");
    picked.delete(key);
    if (how === "swap" && b) {
      void attempt(session, () => session.client.exchangeShifts(stationDoc, shift.id, person, a, b, Date.now()), t("saved"));
    } else if (how === "to" && a) {
      void attempt(session, () => session.client.handOver(stationDoc, session.communityId, shift.id, person, a, "person", Date.now()), t("saved"));
    }
  };
  return h("span", { class: "exchange" }, choice, h("button", { "data-testid": "exchange-button", "data-person": person, onclick: change }, t("change")));
}

function group(label: string, options: [string, string][]): HTMLElement | null {
  if (options.length === 0) return null;
  return h("optgroup", { label }, options.map(([value, text]) => h("option", { value }, text)));
}
