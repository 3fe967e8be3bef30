#!/usr/bin/env node
// Hostile devices against the coordinator's documents: the stock automerge-repo client
// with a normally enrolled token (a volunteer, a coordinator, a station's shared tablet)
// writes the community directory, the catalogue, a station's template, roster and
// check-ins as the app's screens never would. Used by tests/tests/it/hostile_people.rs.
//
//   hostile-people.mjs --url ws://…/sync?token=ATTACKER --observer ws://…/sync?token=ADMIN
//       --community automerge:… --station center --attack NAME --device D
//
// The observer (the administrator) opens the community and the station, and puts a test
// shift on the station's roster with person p05 on it; the attacker then makes the
// attack's change. Prints one JSON line:
//   {"refused": {...signal} | null, "unavailable": bool, "observer": {...}, "stillSyncing": bool}
// where "observer" is the server's copy of what the attack touched, read after the
// observer's own later change has reached the attacker (so the server has handled the
// attack by then).

import * as A from "@automerge/automerge"
import { hostileScript, repos, until } from "./hostile-client.mjs"

const script = hostileScript("hostile-people", {
  options: {
    community: { type: "string" },
    station: { type: "string" },
  },
})
const { opts, fail, connect } = script

const now = Date.now()
const SHIFT = `hostile-${Math.random().toString(36).slice(2, 8)}`
const checkin = (device) => ({ in: now, out: null, device })

/** Each attack: the document it writes ("community" or "station") and the change. */
const attacks = {
  // A volunteer or a shared tablet adds a person to the directory.
  "add-person": ["community", doc => {
    doc.people["p-forged"] = { id: "p-forged", name: "冒名志愿者", role: "coordinator", modules: [], skills: [], party_member: false, unit: null, stations: [] }
  }],
  // A volunteer makes the catalogue cheaper.
  "edit-catalogue": ["community", doc => { doc.catalogue.c4.points = 1 }],
  // A volunteer deactivates the coordinator.
  "deactivate-person": ["community", doc => { doc.people.p01.left_at = now }],
  // A volunteer checks in someone else (p05 is on the shift; the attacker is not p05).
  "checkin-other": ["station", doc => { doc.shifts[SHIFT].checkins.p05 = checkin(opts.device) }],
  // A shared tablet checks in someone who is not on the shift.
  "tablet-not-on-shift": ["station", doc => { doc.shifts[SHIFT].checkins.p06 = checkin(opts.device) }],
  // A shared tablet's check-in that names another device.
  "tablet-other-device": ["station", doc => { doc.shifts[SHIFT].checkins.p05 = checkin("d-someone-else") }],
  // A shared tablet puts someone on the shift, then checks them in.
  "tablet-edits-roster": ["station", doc => {
    doc.shifts[SHIFT].assignees.p06 = { kind: "person" }
    doc.shifts[SHIFT].checkins.p06 = checkin(opts.device)
  }],
  // A volunteer rewrites the station's roster template.
  "edit-template": ["station", doc => {
    doc.template = doc.template ?? {}
    doc.template.forged = { weekdays: [7], start: "06:00", end: "07:00", note: "凌晨值班" }
  }],
  // A volunteer removes a shift.
  "delete-shift": ["station", doc => { delete doc.shifts[SHIFT] }],
  // The honest control: a shared tablet checks in the person on the shift, naming itself.
  "tablet-honest": ["station", doc => { doc.shifts[SHIFT].checkins.p05 = checkin(opts.device) }],
}

/** The server's copy of what an attack touched. */
function slice(target, doc) {
  const js = A.toJS(doc)
  if (target === "community") {
    return { people: Object.keys(js.people ?? {}), coordinator_left: js.people?.p01?.left_at ?? null, c4_points: js.catalogue?.c4?.points }
  }
  return { shift: js.shifts?.[SHIFT] ?? null, template: js.template ?? {} }
}

async function main() {
  const [target, attack] = attacks[opts.attack] ?? fail(`unknown --attack ${opts.attack}; one of ${Object.keys(attacks).join(", ")}`, 2)
  const observer = await connect(opts.observer, "observer")
  script.step = "observer: finding the community"
  const community = await observer.find(opts.community)
  const stationUrl = `automerge:${community.doc().stations[opts.station].doc}`
  script.step = "observer: finding the station"
  const station = await observer.find(stationUrl)
  station.change(doc => {
    doc.shifts[SHIFT] = { id: SHIFT, date: "2030-01-07", start: "19:00", end: "20:00", note: "", assignees: { p05: { kind: "person" } }, checkins: {} }
  })
  const watched = target === "community" ? community : station
  const attacker = await connect(opts.url, "attacker")
  script.step = "attacker: finding the document"
  let handle
  try {
    handle = await attacker.find(watched.url)
  } catch (error) {
    return finish({ refused: null, unavailable: true, observer: slice(target, watched.doc()), stillSyncing: false })
  }
  await until(() => target !== "station" || handle.doc().shifts?.[SHIFT])
  let refused = null
  handle.on("ephemeral-message", ({ message }) => {
    if (message?.type === "wish-station/refused") refused = message
  })
  script.step = "attacker: making the change"
  handle.change(attack)
  // A refusal arrives as a signal (a read-only device's change too: `access.read-only`).
  const deadline = Date.now() + 2000
  await until(() => refused !== null || Date.now() > deadline)
  script.step = "observer: an honest change after the attack reaches the attacker"
  const mark = `after-${Math.random().toString(36).slice(2, 8)}`
  watched.change(doc => { doc.observer_note = mark })
  await until(() => handle.doc().observer_note === mark)
  finish({ refused, unavailable: false, observer: slice(target, watched.doc()), stillSyncing: true })
}

async function finish(result) {
  await Promise.all(repos.map(r => r.shutdown().catch(() => {})))
  process.stdout.write(JSON.stringify(result, (_, v) => typeof v === "bigint" ? Number(v) : v) + "\n", () => process.exit(0))
}

main().catch(err => fail(err.stack ?? String(err)))
