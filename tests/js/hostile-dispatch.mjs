#!/usr/bin/env node
// Hostile claims against 派单 and claims as a unit or a group (issue 14): the stock
// automerge-repo client with a normally enrolled token (a volunteer, a partner) writes
// claims the app's screens never would, and writes the community's 资源清单 and 项目清单
// beyond posting its own offers. Used by tests/tests/it/hostile_dispatch.rs.
//
//   hostile-dispatch.mjs --url ws://…/sync?token=ATTACKER --observer ws://…/sync?token=ADMIN
//       --community automerge:… --station center --attack NAME --person P --device D
//
// The observer (the administrator) holds the community document open (the server reads
// a partner's unit from it) and creates a published wish at the station with two places;
// the attacker then adds the attack's claim. Prints one JSON line:
//   {"refused": {...signal} | null, "observer": {"claims": {...}, "assigned": [...]}, "stillSyncing": bool}
// where "observer" is the server's copy, read after the observer's own later change has
// reached the attacker (so the server has handled the attack by then).

import * as A from "@automerge/automerge"
import { hostileScript, repos, until } from "./hostile-client.mjs"

const script = hostileScript("hostile-dispatch", {
  options: {
    community: { type: "string" },
    station: { type: "string" },
  },
})
const { opts, fail, connect } = script

const now = Date.now()
const CLAIM = `hostile-${Math.random().toString(36).slice(2, 8)}`

/** A claim stamped by the attacker (its own person and device). */
const claim = (fields) => ({ id: CLAIM, at: now, by: opts.person, device: opts.device, ...fields })

/** An offer of the 资源清单 posted by the attacker. */
const offer = (fields) => ({ id: CLAIM, title: "冒名资源", module: "medical", skills: [], capacity: 1, active: true, ...fields })

/** Attacks on the community's lists: [document, change]. */
const listAttacks = {
  // A volunteer posts an offer in an expert's name.
  "offer-as-other": doc => { doc.offers[CLAIM] = offer({ provider: "p23", provider_kind: "person" }) },
  // A partner posts an offer as another unit.
  "offer-as-other-unit": doc => { doc.offers[CLAIM] = offer({ provider: "u-law", provider_kind: "unit" }) },
  // A volunteer retires another's offer.
  "retire-offer": doc => { doc.offers.o01.active = false },
  // A volunteer moves a project along.
  "advance-project": doc => { doc.projects.pr3.status = "running" },
  // The honest control: a volunteer posts an offer in their own name.
  "offer-own": doc => { doc.offers[CLAIM] = offer({ provider: opts.person, provider_kind: "person" }) },
  // The honest control: a partner posts an offer as its own unit.
  "offer-own-unit": doc => { doc.offers[CLAIM] = offer({ provider: "u-hospital", provider_kind: "unit" }) },
}

/** Each attack on the wish: the claim (or other entry) the attacker adds. */
const attacks = {
  // A volunteer links the wish to a project (the coordinator's).
  "link-project": doc => { doc.project = "pr1" },
  // A volunteer books the wish against an offer, in their own name.
  "book-offer-as-volunteer": doc => {
    doc.claims[CLAIM] = claim({ kind: "person", claimant: opts.person, offer: "o01" })
  },
  // A volunteer dispatches the wish to an expert (派单 is the coordinator's).
  "dispatch-for-other": doc => {
    doc.claims[CLAIM] = claim({ kind: "person", claimant: "p23", dispatched: true })
  },
  // A volunteer dispatches to an expert and assigns it, as a coordinator's dispatch does.
  "dispatch-and-assign": doc => {
    doc.claims[CLAIM] = claim({ kind: "person", claimant: "p23", dispatched: true })
    doc.assigned[CLAIM] = { at: now, by: opts.person, by_server: false }
  },
  // A volunteer marks their own claim as dispatched.
  "own-claim-marked-dispatched": doc => {
    doc.claims[CLAIM] = claim({ kind: "person", claimant: opts.person, dispatched: true })
  },
  // A volunteer claims as a partner unit.
  "unit-as-volunteer": doc => {
    doc.claims[CLAIM] = claim({ kind: "unit", claimant: "u-hospital" })
  },
  // A partner claims as another unit than its own.
  "unit-as-other-unit": doc => {
    doc.claims[CLAIM] = claim({ kind: "unit", claimant: "u-law" })
  },
  // A volunteer writes a 帮帮团 claim led by someone else.
  "group-for-other-lead": doc => {
    doc.claims[CLAIM] = claim({ kind: "group", claimant: "p05", members: ["p05", "p06"] })
  },
  // The honest control: a partner claims as its own unit.
  "unit-own": doc => {
    doc.claims[CLAIM] = claim({ kind: "unit", claimant: "u-hospital" })
  },
}

/** A published wish at the station with two places, written by the administrator. */
function publishedWish(doc, community) {
  const event = (id, kind, at, by) => ({ id, kind, at, by, device: "observer" })
  Object.assign(doc, {
    "@type": "wish", schema: 1, id: `wish-${CLAIM}`, community, station: opts.station,
    title: "测试：独居老人需要上门问诊", text: "希望有医生上门测血压。", module: "medical",
    suggested_module: "medical", channel: "door_to_door", area: { compound: "幸福里", building: "3栋" },
    urgency: "high", capacity: 2, on_behalf: false, created_at: now - 3000, created_by: "p05",
    contact: null, claims: {}, assigned: {},
    events: {
      c: event("c", "collected", now - 3000, "p05"),
      v: event("v", "verified", now - 2000, "p01"),
      p: event("p", "published", now - 1000, "p01"),
    },
  })
}

/** The server's copy of the wish's claims and assignments (and project). */
function slice(doc) {
  const js = A.toJS(doc)
  return { claims: js.claims ?? {}, assigned: Object.keys(js.assigned ?? {}), project: js.project ?? null }
}

/** The server's copy of the lists the list attacks touch. */
function listSlice(doc) {
  const js = A.toJS(doc)
  return { offer: js.offers?.[CLAIM] ?? null, o01_active: js.offers?.o01?.active, pr3_status: js.projects?.pr3?.status }
}

async function main() {
  const known = [...Object.keys(attacks), ...Object.keys(listAttacks)]
  if (!known.includes(opts.attack)) fail(`unknown --attack ${opts.attack}; one of ${known.join(", ")}`, 2)
  const observer = await connect(opts.observer, "observer")
  script.step = "observer: finding the community"
  const community = await observer.find(opts.community)
  await until(() => community.doc()?.people)
  if (listAttacks[opts.attack]) return attackLists(observer, community, listAttacks[opts.attack])
  const attack = attacks[opts.attack]
  script.step = "observer: creating a published wish"
  const wish = observer.create()
  wish.change(doc => publishedWish(doc, opts.community.replace(/^automerge:/, "")))
  const attacker = await connect(opts.url, "attacker")
  script.step = "attacker: finding the wish"
  const handle = await attacker.find(wish.url)
  await until(() => handle.doc()?.events?.p)
  let refused = null
  handle.on("ephemeral-message", ({ message }) => {
    if (message?.type === "wish-station/refused") refused = message
  })
  script.step = "attacker: making the change"
  handle.change(attack)
  const deadline = Date.now() + 2000
  await until(() => refused !== null || Date.now() > deadline)
  script.step = "observer: an honest change after the attack reaches the attacker"
  const mark = `after-${Math.random().toString(36).slice(2, 8)}`
  wish.change(doc => { doc.observer_note = mark })
  await until(() => handle.doc().observer_note === mark)
  finish({ refused, claim: CLAIM, observer: slice(wish.doc()), stillSyncing: true })
}

/** A list attack on the community document, judged like a wish attack. */
async function attackLists(observer, community, attack) {
  const attacker = await connect(opts.url, "attacker")
  script.step = "attacker: finding the community"
  const handle = await attacker.find(community.url)
  await until(() => handle.doc()?.offers?.o01)
  let refused = null
  handle.on("ephemeral-message", ({ message }) => {
    if (message?.type === "wish-station/refused") refused = message
  })
  script.step = "attacker: changing the lists"
  handle.change(attack)
  const deadline = Date.now() + 2000
  await until(() => refused !== null || Date.now() > deadline)
  script.step = "observer: an honest change after the attack reaches the attacker"
  const mark = `after-${Math.random().toString(36).slice(2, 8)}`
  community.change(doc => { doc.observer_note = mark })
  await until(() => handle.doc().observer_note === mark)
  finish({ refused, claim: CLAIM, observer: listSlice(community.doc()), stillSyncing: true })
}

async function finish(result) {
  await Promise.all(repos.map(r => r.shutdown().catch(() => {})))
  process.stdout.write(JSON.stringify(result, (_, v) => typeof v === "bigint" ? Number(v) : v) + "\n", () => process.exit(0))
}

main().catch(err => fail(err.stack ?? String(err)))
