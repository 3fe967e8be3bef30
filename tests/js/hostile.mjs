#!/usr/bin/env node
// A hostile tablet: the stock automerge-repo client with a normally enrolled device token,
// writing what the app's screens never would. Used by tests/tests/it/hostile_devices.rs.
//
//   hostile.mjs --url ws://…/sync?token=ATTACKER --observer ws://…/sync?token=ADMIN
//               --doc automerge:… --attack NAME --person P --device D
//
// An observer (another peer) opens the document first; the attacker opens it, makes the
// attack's change and waits for the server's refusal signal (an `ephemeral` message of
// type "wish-station/refused"). Then the observer makes an honest change and the script
// checks that the attacker, still connected, receives it. Prints one JSON line:
// {"refused": {...signal} | null, "observer": {...doc}, "stillSyncing": true}.

import { createHash } from "node:crypto"
import * as A from "@automerge/automerge"
import { hostileScript, repos, until } from "./hostile-client.mjs"

const script = hostileScript("hostile", { options: { doc: { type: "string" } }, timeout: "20" })
const { opts, fail } = script
const connect = script.connectWithServer

const now = Date.now()
const id = prefix => `${prefix}-${Math.random().toString(36).slice(2, 10)}`
const me = () => ({ by: opts.person, device: opts.device })
const claim = (cid, claimant, by = opts.person) =>
  ({ id: cid, kind: "person", claimant, at: now, by, device: opts.device })

/** Each attack: a change the screens never make. */
const attacks = {
  // Claim, and in the same change assign the claim as if the server had.
  "forge-assignment": doc => {
    const cid = id("claim")
    doc.claims[cid] = claim(cid, opts.person)
    doc.assigned[cid] = { at: now, by: "server", by_server: true }
  },
  // Assign three claims at once on a wish of capacity 2.
  "over-capacity": doc => {
    for (const n of [1, 2, 3]) {
      const cid = id(`claim${n}`)
      doc.claims[cid] = claim(cid, `p-extra-${n}`, opts.person)
      doc.assigned[cid] = { at: now, by: opts.person, by_server: false }
    }
  },
  "claim-as-other": doc => {
    const cid = id("claim")
    doc.claims[cid] = claim(cid, "p-someone-else", "p-someone-else")
  },
  retitle: doc => { doc.title = "标题被改掉了" },
  "delete-collected": doc => {
    for (const [key, event] of Object.entries(doc.events)) {
      if (String(event.kind) === "collected") delete doc.events[key]
    }
  },
  "rate-as-other": doc => {
    const eid = id("rated")
    doc.events[eid] = { id: eid, kind: "rated", at: now, by: "p-someone-else", device: opts.device, score: 5, comment: "", on_behalf: false }
  },
  "publish-as-volunteer": doc => {
    const eid = id("published")
    doc.events[eid] = { id: eid, kind: "published", at: now, ...me() }
  },
  "move-station": doc => { doc.station = "s-elsewhere" },
  // Point the wish at a contact document of the attacker's choosing (after a deletion
  // only the station's coordinator may link a new one).
  "relink-contact": doc => { doc.contact = "4XJzcmnmqdBhDAvmkEXoLmXeuQyc" },
  "server-actor": doc => { doc.title = "以服务器的名义" },
}

async function main() {
  const attack = attacks[opts.attack]
  if (!attack) fail(`unknown --attack ${opts.attack}; one of ${Object.keys(attacks).join(", ")}`, 2)
  const observer = await connect(opts.observer, "observer")
  script.step = "observer: finding the document"
  const watched = await observer.repo.find(opts.doc)
  const attacker = await connect(opts.url, "attacker")
  script.step = "attacker: finding the document"
  const handle = await attacker.repo.find(opts.doc)
  let refused = null
  handle.on("ephemeral-message", ({ message }) => {
    if (message?.type === "wish-station/refused") refused = message
  })
  if (opts.attack === "server-actor") useServerActor(handle, attacker.server.storageId)
  script.step = "attacker: waiting for the server's refusal"
  handle.change(attack)
  await until(() => refused !== null)
  script.step = "observer: an honest change after the refusal reaches the attacker"
  const mark = id("after")
  watched.change(doc => { doc.observer_note = mark })
  await until(() => handle.doc().observer_note === mark)
  const result = { refused, observer: A.toJS(watched.doc()), stillSyncing: true }
  await Promise.all(repos.map(r => r.shutdown().catch(() => {})))
  process.stdout.write(JSON.stringify(result, (_, v) => typeof v === "bigint" ? Number(v) : v) + "\n", () => process.exit(0))
}

/** Makes the handle write with the server's actor id, which every peer can compute from
 * the storage id the server announces (server/src/domain.rs `server_actor`). */
function useServerActor(handle, storageId) {
  if (!storageId) fail("the server announced no storage id")
  const actor = createHash("sha256").update(`wish-station-server:${storageId}`).digest("hex").slice(0, 32)
  handle.update(doc => A.clone(doc, { actor }))
  if (A.getActorId(handle.doc()) !== actor) fail(`could not take the server's actor ${actor}`)
}

main().catch(err => fail(err.stack ?? String(err)))
