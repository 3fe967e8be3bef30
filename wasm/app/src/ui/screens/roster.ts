// This week's duty roster of my stations, with check-in and check-out.

import { t, when } from "../../i18n.js";
import type { Session } from "../../session.js";
import type { Shift } from "../../views.js";
import { h, toast } from "../dom.js";

export function rosterScreen(session: Session): HTMLElement {
  const community = session.community();
  const week = thisWeek(new Date());
  const sections = session.device.stations.map((id) => {
    const ref = community?.stations[id];
    const station = ref ? session.station(ref.doc) : null;
    const shifts = station ? Object.values(station.shifts).filter((s) => week.includes(s.date)) : [];
    shifts.sort((a, b) => `${a.date}${a.start}`.localeCompare(`${b.date}${b.start}`));
    return h("section", { class: "card" },
      h("h2", {}, ref?.name ?? id),
      shifts.length === 0
        ? h("p", { class: "empty" }, t("noShifts"))
        : h("ul", { class: "shifts", "data-testid": "shifts" }, shifts.map((s) => shiftRow(session, ref?.doc ?? "", s))));
  });
  return h("main", { class: "screen" }, h("h1", {}, t("rosterTitle")), sections);
}

function shiftRow(session: Session, stationDoc: string, shift: Shift): HTMLElement {
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
  const names = Object.keys(shift.assignees).map((p) => session.personName(p));
  return h("li", { class: `shift${names.length === 0 ? " uncovered" : ""}`, "data-testid": "shift", "data-shift": shift.id },
    h("strong", {}, `${shift.date} ${shift.start}–${shift.end}`), " ",
    names.length ? names.join("、") : h("span", { class: "chip chip-conflict" }, t("uncovered")),
    onDuty ? h("span", { class: "chip status-in_progress" }, `${t("onDuty")} ${when(checkin.in)}`) : null,
    assigned
      ? h("button", { class: "primary", "data-testid": onDuty ? "check-out" : "check-in", onclick: act(onDuty ? "checkOut" : "checkIn") }, onDuty ? t("checkOut") : t("checkIn"))
      : null);
}

/** The dates (YYYY-MM-DD, local) from this Monday to Sunday. */
function thisWeek(today: Date): string[] {
  const monday = new Date(today);
  monday.setDate(today.getDate() - ((today.getDay() + 6) % 7));
  return Array.from({ length: 7 }, (_, i) => {
    const day = new Date(monday);
    day.setDate(monday.getDate() + i);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  });
}
