#!/usr/bin/env node
// 督办 written by a device that may not write it: the stock automerge-repo client with a
// normally enrolled token (a volunteer or the coordinator of the wish's station, or, as
// the honest control, the office) adds a `supervised` event to a wish, stamped in its own
// name, as only the office's console does. Used by tests/tests/it/hostile_supervise.rs.
//
//   hostile-supervise.mjs --url ws://…/sync?token=WRITER --observer ws://…/sync?token=ADMIN
//       --wish automerge:… --person P --device D
//
// Prints one JSON line:
//   {"refused": {...signal} | null, "supervised": [ids of supervised events on the server], "stillSyncing": bool}
// read after the observer's own later change has reached the writer (so the server has
// handled the write by then).

import * as A from "@automerge/automerge"
import { hostileScript, repos, until } from "./hostile-client.mjs"

const script = hostileScript("hostile-supervise", { options: { wish: { type: "string" } }, peerPrefix: "supervise" })
const { opts, fail, connect } = script

const supervised = doc =>
  Object.values(A.toJS(doc).events ?? {}).filter(e => e.kind === "supervised").map(e => e.id)

async function main() {
  const observer = await connect(opts.observer, "observer")
  script.step = "observer: finding the wish"
  const watched = await observer.find(opts.wish)
  const writer = await connect(opts.url, "writer")
  script.step = "writer: finding the wish"
  const handle = await writer.find(opts.wish)
  let refused = null
  handle.on("ephemeral-message", ({ message }) => {
    if (message?.type === "wish-station/refused") refused = message
  })
  script.step = "writer: marking the wish 督办"
  const id = `dubban-${Math.random().toString(36).slice(2, 8)}`
  handle.change(doc => {
    doc.events[id] = { id, kind: "supervised", at: Date.now(), by: opts.person, device: opts.device, note: "已超期，请尽快回访" }
  })
  const deadline = Date.now() + 2000
  await until(() => refused !== null || Date.now() > deadline)
  script.step = "observer: an honest change after the write reaches the writer"
  const mark = `after-${Math.random().toString(36).slice(2, 8)}`
  watched.change(doc => { doc.observer_note = mark })
  await until(() => handle.doc().observer_note === mark)
  finish({ refused, supervised: supervised(watched.doc()), stillSyncing: true })
}

async function finish(result) {
  await Promise.all(repos.map(r => r.shutdown().catch(() => {})))
  process.stdout.write(JSON.stringify(result, (_, v) => typeof v === "bigint" ? Number(v) : v) + "\n", () => process.exit(0))
}

main().catch(err => fail(err.stack ?? String(err)))
