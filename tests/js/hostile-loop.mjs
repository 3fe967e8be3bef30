#!/usr/bin/env node
// Hostile devices against closing the loop: the stock automerge-repo client with a
// normally enrolled token writes a wish's rating (代评), 回访 and 微故事 as the screens
// never would. Used by tests/tests/it/hostile_loop.rs.
//
//   hostile-loop.mjs --url ws://…/sync?token=ATTACKER --observer ws://…/sync?token=ADMIN
//       --community ID --ledger automerge:… --station center --attack NAME --person P
//       --device D [--closed]
//
// Ledger attacks (points you can operate: 兑换, 表彰, 冲正 on the screens) write the
// community ledger instead: an award to oneself, an unbalanced entry, a rewritten entry;
// "redeem-honest" is the control.
//
// The observer (the administrator) makes a wish of the station collected by p01, claimed
// by p06 (assigned, resolved), with a claim by p07 that p07 released, and — with
// --closed — closed as fulfilled. The attacker then appends the attack's event in its
// own name. Prints one JSON line:
//   {"refused": {...signal} | null, "kinds": [event kinds on the server], "stillSyncing": bool}

import * as A from "@automerge/automerge"
import { hostileScript, repos, sleep, until } from "./hostile-client.mjs"

const script = hostileScript("hostile-loop", {
  options: {
    community: { type: "string" },
    ledger: { type: "string" },
    station: { type: "string" },
    closed: { type: "boolean", default: false },
  },
})
const { opts, fail, connect } = script

const now = Date.now()
const ev = (id, kind, by, at, extra = {}) => ({ id, kind, at, by, device: "d-observer", ...extra })

/** The wish as the server's own screens would have left it. */
function wish() {
  const events = {
    e1: ev("e1", "collected", "p01", now - 9000),
    e2: ev("e2", "verified", "p01", now - 8000),
    e3: ev("e3", "published", "p01", now - 7000),
    e4: ev("e4", "released", "p07", now - 5500, { claim: "c7" }),
    e5: ev("e5", "started", "p06", now - 5000),
    e6: ev("e6", "resolved", "p06", now - 4000, { claim: "c6", hours: 2, note: "修好了" }),
  }
  if (opts.closed) events.e7 = ev("e7", "closed", "p01", now - 3000, { reason: "fulfilled" })
  return {
    "@type": "wish", schema: 1, id: `w-${Math.random().toString(36).slice(2, 8)}`,
    community: opts.community, station: opts.station, title: "修路由器", text: "家里网络坏了",
    module: "comprehensive", suggested_module: null, channel: "walk_in",
    area: { compound: "幸福花园", building: "5栋" }, urgency: "normal", capacity: 1,
    on_behalf: false, created_at: now - 9000, created_by: "p01", contact: null, events,
    claims: {
      c6: { id: "c6", kind: "person", claimant: "p06", at: now - 6000, by: "p06", device: "d-observer" },
      c7: { id: "c7", kind: "person", claimant: "p07", at: now - 6500, by: "p07", device: "d-observer" },
    },
    assigned: { c6: { at: now - 5900, by: "server", by_server: false } },
  }
}

/** Each attack: the event the attacker appends in its own name. */
const mine = (kind, extra) => ev("attack", kind, opts.person, now, { device: opts.device, ...extra })
const attacks = {
  rate: mine("rated", { score: 1, comment: "差评", on_behalf: true }),
  visit: mine("visited", { note: "伪造的回访" }),
  story: mine("story", { note: "伪造的故事" }),
}

const FORGED = `forged-${Math.random().toString(36).slice(2, 8)}`
const entry = (points, poolPoints, kind = "award") => ({
  id: FORGED, kind, at: now, by: opts.person, reason: "自己奖励自己",
  postings: [
    { account: `person:${opts.person}`, points, hours: 0 },
    { account: kind === "redeem" ? "community:redeemed" : "community:pool", points: poolPoints, hours: 0 },
  ],
})
const ledgerAttacks = {
  "award-self": doc => { doc.entries[FORGED] = entry(1000, -1000) },
  unbalanced: doc => { doc.entries[FORGED] = entry(1000, -1) },
  "rewrite-entry": doc => {
    const first = Object.keys(doc.entries).sort()[0]
    doc.entries[first].postings[0].points = 9999
  },
  "redeem-honest": doc => { doc.entries[FORGED] = entry(-1, 1, "redeem") },
}

async function attackLedger(change) {
  const observer = await connect(opts.observer, "observer")
  script.step = "observer: finding the ledger"
  const watched = await observer.find(opts.ledger)
  const attacker = await connect(opts.url, "attacker")
  script.step = "attacker: finding the ledger"
  const handle = await attacker.find(watched.url)
  const before = JSON.stringify(A.toJS(watched.doc()).entries)
  let refused = null
  handle.on("ephemeral-message", ({ message }) => {
    if (message?.type === "wish-station/refused") refused = message
  })
  script.step = "attacker: writing the ledger"
  handle.change(change)
  const deadline = Date.now() + 2000
  await until(() => refused !== null || Date.now() > deadline)
  script.step = "observer: an honest change after the attack reaches the attacker"
  const mark = `after-${Math.random().toString(36).slice(2, 8)}`
  watched.change(doc => { doc.observer_note = mark })
  await until(() => handle.doc().observer_note === mark)
  const entries = A.toJS(watched.doc()).entries
  finish({ refused, forged: FORGED in entries, unchanged: JSON.stringify(Object.fromEntries(Object.entries(entries).filter(([k]) => k !== FORGED))) === before, stillSyncing: true })
}

async function main() {
  if (ledgerAttacks[opts.attack]) return attackLedger(ledgerAttacks[opts.attack])
  const event = attacks[opts.attack] ?? fail(`unknown --attack ${opts.attack}; one of ${Object.keys(attacks).join(", ")}`, 2)
  const observer = await connect(opts.observer, "observer")
  script.step = "observer: making the wish"
  const watched = observer.create(wish())
  // The server must hold it before the attacker asks.
  await until(() => watched.doc()?.id)
  await sleep(300)
  const attacker = await connect(opts.url, "attacker")
  script.step = "attacker: finding the wish"
  let handle
  try {
    handle = await attacker.find(watched.url)
  } catch {
    return finish({ refused: null, unavailable: true, kinds: kinds(watched.doc()), stillSyncing: false })
  }
  let refused = null
  handle.on("ephemeral-message", ({ message }) => {
    if (message?.type === "wish-station/refused") refused = message
  })
  script.step = "attacker: appending the event"
  handle.change(doc => { doc.events.attack = event })
  const deadline = Date.now() + 2000
  await until(() => refused !== null || Date.now() > deadline)
  script.step = "observer: an honest change after the attack reaches the attacker"
  const mark = `after-${Math.random().toString(36).slice(2, 8)}`
  watched.change(doc => { doc.title = `修路由器 ${mark}` })
  await until(() => String(handle.doc().title).endsWith(mark))
  finish({ refused, unavailable: false, kinds: kinds(watched.doc()), stillSyncing: true })
}

function kinds(doc) {
  return Object.values(A.toJS(doc).events ?? {}).map(e => String(e.kind))
}

async function finish(result) {
  await Promise.all(repos.map(r => r.shutdown().catch(() => {})))
  process.stdout.write(JSON.stringify(result, (_, v) => typeof v === "bigint" ? Number(v) : v) + "\n", () => process.exit(0))
}

main().catch(err => fail(err.stack ?? String(err)))
