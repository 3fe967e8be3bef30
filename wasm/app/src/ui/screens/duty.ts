// The shared station tablet (驿站公用平板): today's shifts at its station, and signing in
// and out whoever is on duty, by tapping their name or typing / scanning their personal
// code (the person's code in the directory, or their name). The server accepts these
// check-ins only from this station's tablet and only for people on the shift.

import { type Directory, directory, localDate, refusalText, rosterStation } from "../../directory.js";
import { t, when } from "../../i18n.js";
import type { Session } from "../../session.js";
import type { Shift } from "../../views.js";
import { field, h, toast } from "../dom.js";

export function dutyScreen(session: Session): HTMLElement {
  const dir = directory(session);
  const stationId = session.device.stations[0] ?? "";
  const ref = dir?.stations[stationId];
  const station = ref ? rosterStation(session, ref.doc) : null;
  const today = localDate();
  const shifts = Object.values(station?.shifts ?? {})
    .filter((s) => s.date === today)
    .sort((a, b) => a.start.localeCompare(b.start));
  return h("main", { class: "screen narrow", "data-testid": "duty" },
    h("h1", {}, t("dutyTitle"), ref ? ` · ${ref.name}` : ""),
    h("p", { class: "help" }, t("dutyHelp")),
    ref ? codeForm(session, dir, ref.doc, today) : null,
    shifts.length === 0
      ? h("p", { class: "empty" }, t("noShiftsToday"))
      : shifts.map((s) => shiftCard(session, dir, ref?.doc ?? "", s)));
}

function shiftCard(session: Session, dir: Directory | null, stationDoc: string, shift: Shift): HTMLElement {
  const people = Object.entries(shift.assignees).filter(([, kind]) => kind === "person").map(([id]) => id);
  return h("section", { class: "card", "data-testid": "duty-shift", "data-shift": shift.id },
    h("h2", {}, `${shift.start}–${shift.end}`, shift.note ? ` · ${shift.note}` : ""),
    h("ul", { class: "shifts" }, people.map((person) => {
      const checkin = shift.checkins[person];
      const state = !checkin ? null : checkin.out === null ? `${t("signedIn")} ${when(checkin.in)}` : `${t("signedOut")} ${when(checkin.out)}`;
      const button = !checkin
        ? h("button", { class: "primary", "data-testid": "duty-check-in", onclick: () => sign(session, stationDoc, shift, person) }, t("checkIn"))
        : checkin.out === null
          ? h("button", { "data-testid": "duty-check-out", onclick: () => sign(session, stationDoc, shift, person) }, t("checkOut"))
          : null;
      return h("li", { "data-testid": "duty-person", "data-person": person },
        h("strong", {}, dir?.people[person]?.name ?? ""),
        state ? h("span", { class: "chip status-in_progress", "data-testid": "duty-state" }, state) : null,
        button);
    })));
}

/** Signs the person in, or out if they are on duty. */
async function sign(session: Session, stationDoc: string, shift: Shift, person: string): Promise<void> {
  const checkin = shift.checkins[person];
  const now = Date.now();
  const write = !checkin
    ? () => session.client.checkInOnDuty(stationDoc, shift.id, person, session.device.device_id, now)
    : () => session.client.checkOut(stationDoc, shift.id, person, now);
  try {
    await session.runtime.run(write);
    toast(`${session.personName(person)} ${checkin ? t("signedOut") : t("signedIn")}`);
    session.changed();
  } catch (error) {
    toast(refusalText(error), "error");
  }
}

function codeForm(session: Session, dir: Directory | null, stationDoc: string, today: string): HTMLElement {
  const input = h("input", { name: "code", autocomplete: "off", "data-testid": "duty-code" }) as HTMLInputElement;
  const form = h("form", { class: "card form inline-code" },
    field(t("personalCode"), input),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary", "data-testid": "duty-submit" }, `${t("checkIn")} / ${t("checkOut")}`),
      scanButton(input, () => form.requestSubmit()))) as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const person = personOf(dir, input.value.trim());
    const shifts = person ? (JSON.parse(session.client.shiftsOf(stationDoc, person, today)) as Shift[]) : [];
    // The first shift they have not finished: sign in, or out if on duty.
    const open = shifts.find((s) => !s.checkins[person ?? ""] || s.checkins[person ?? ""].out === null);
    if (!person || !open) {
      toast(t("notOnDutyToday"), "error");
      return;
    }
    input.value = "";
    void sign(session, stationDoc, open, person);
  });
  return form;
}

/** The person a personal code names: their directory code (a scanned QR) or name. */
function personOf(dir: Directory | null, code: string): string | null {
  if (!dir || !code) return null;
  if (dir.people[code]) return code;
  const named = Object.values(dir.people).filter((p) => p.name === code && p.left_at === null);
  return named.length === 1 ? named[0].id : null;
}

type Detector = new (options: object) => { detect(video: HTMLVideoElement): Promise<{ rawValue: string }[]> };

/** Scans a personal QR code with the camera where the browser can read QR codes; the
 *  code's text goes into `input` and the form is submitted. */
function scanButton(input: HTMLInputElement, submit: () => void): HTMLElement | null {
  const BarcodeDetector = (window as unknown as { BarcodeDetector?: Detector }).BarcodeDetector;
  if (!BarcodeDetector || !navigator.mediaDevices) return null;
  const button = h("button", { type: "button" }, t("scanButton"));
  button.addEventListener("click", async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    const video = h("video", { class: "scanner", autoplay: true, playsinline: true }) as HTMLVideoElement;
    video.srcObject = stream;
    button.replaceWith(video);
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    const look = async () => {
      const found = (await detector.detect(video).catch(() => []))[0]?.rawValue;
      if (!found) return void requestAnimationFrame(look);
      stream.getTracks().forEach((track) => track.stop());
      video.replaceWith(button);
      input.value = found.trim();
      submit();
    };
    void look();
  });
  return button;
}
