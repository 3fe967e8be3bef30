// The duty roster of my stations: this week with check-in and check-out; for
// coordinators (and the office) also next week, staffing controls on each shift and the
// station's template (roster-plan.ts).

import { type Directory, directory, localDate, managedStations, rosterStation } from "../../directory.js";
import { t, when } from "../../i18n.js";
import type { Session } from "../../session.js";
import type { Shift } from "../../views.js";
import { h, toast } from "../dom.js";
import { staffing, templateCard } from "./roster-plan.js";

export function rosterScreen(session: Session): HTMLElement {
  const dir = directory(session);
  const manager = session.isCoordinator;
  const stations = manager ? managedStations(session, dir) : session.device.stations;
  const sections = stations.map((id) => stationSection(session, dir, id, manager));
  return h("main", { class: "screen" }, h("h1", {}, t("rosterTitle")), sections);
}

function stationSection(session: Session, dir: Directory | null, id: string, manager: boolean): HTMLElement {
  const ref = dir?.stations[id];
  const doc = ref?.doc ?? "";
  const station = ref ? rosterStation(session, doc) : null;
  const all = station ? Object.values(station.shifts) : [];
  const thisWeek = weekOf(new Date());
  const nextWeek = weekOf(new Date(Date.now() + 7 * 86_400_000));
  const shown = manager ? [...thisWeek, ...nextWeek] : thisWeek;
  const week = (dates: string[]) => sorted(all.filter((s) => dates.includes(s.date)));
  const list = (shifts: Shift[], empty: string) => shifts.length === 0
    ? h("p", { class: "empty" }, empty)
    : h("ul", { class: "shifts", "data-testid": "shifts" }, shifts.map((s) =>
        shiftRow(session, dir, doc, s, manager ? sorted(all.filter((o) => shown.includes(o.date) && o.date >= localDate())) : null)));
  return h("section", { class: "card", "data-testid": "roster-station", "data-station": id },
    h("h2", {}, ref?.name ?? ""),
    list(week(thisWeek), t("noShifts")),
    manager ? h("h2", {}, t("nextWeek")) : null,
    manager ? list(week(nextWeek), t("empty")) : null,
    manager && station ? templateCard(session, doc, station) : null);
}

function sorted(shifts: Shift[]): Shift[] {
  return [...shifts].sort((a, b) => `${a.date}${a.start}`.localeCompare(`${b.date}${b.start}`));
}

function shiftRow(session: Session, dir: Directory | null, stationDoc: string, shift: Shift, others: Shift[] | null): HTMLElement {
  const me = session.device.person;
  const assigned = me in shift.assignees;
  const checkin = shift.checkins[me];
  const onDuty = checkin && checkin.out === null;
  const act = (method: "checkIn" | "checkOut") => async () => {
    try {
      await session.runtime.run(() => session.client[method](stationDoc, shift.id, me, Date.now()));
    } catch (error) {
      toast(`${t("actionFailed")}: ${(error as Error).message}`, "error");
    }
  };
  // Names from the directory read once per screen (session.personName reads it per call).
  const names = Object.keys(shift.assignees).map((p) => assigneeName(dir, p));
  return h("li", { class: `shift${names.length === 0 ? " uncovered" : ""}`, "data-testid": "shift", "data-shift": shift.id, "data-date": shift.date, "data-start": shift.start },
    h("strong", {}, `${dayLabel(shift.date)} ${shift.start}–${shift.end}`), " ",
    shift.note ? h("span", { class: "chip" }, shift.note) : null,
    h("span", { "data-testid": "assignees" }, names.length ? names.join("、") : h("span", { class: "chip chip-conflict" }, t("uncovered"))),
    onDuty ? h("span", { class: "chip status-in_progress" }, `${t("onDuty")} ${when(checkin.in)}`) : null,
    assigned
      ? h("button", { class: "primary", "data-testid": onDuty ? "check-out" : "check-in", onclick: act(onDuty ? "checkOut" : "checkIn") }, onDuty ? t("checkOut") : t("checkIn"))
      : null,
    // Past shifts are history: only today's and later ones are staffed.
    others && shift.date >= localDate() ? staffing(session, dir, stationDoc, shift, others) : null);
}

/** A person's or unit's name; someone who left is marked so the coordinator replaces them. */
function assigneeName(dir: Directory | null, id: string): string {
  const person = dir?.people[id];
  if (!person) return dir?.units[id]?.name ?? "";
  return person.left_at === null ? person.name : `${person.name}（${t("hasLeft")}）`;
}

/** `11-30 周一` for `2026-11-30`. */
function dayLabel(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  const weekday = (new Date(year, month - 1, day).getDay() + 6) % 7;
  return `${date.slice(5)} ${t("weekdayNames").split(",")[weekday] ?? ""}`;
}

/** The dates (YYYY-MM-DD, local) from the Monday of `day`'s week to its Sunday. */
function weekOf(day: Date): string[] {
  const monday = new Date(day);
  monday.setDate(day.getDate() - ((day.getDay() + 6) % 7));
  return Array.from({ length: 7 }, (_, i) => {
    const date = new Date(monday);
    date.setDate(monday.getDate() + i);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  });
}
