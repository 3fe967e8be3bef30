#!/usr/bin/env node
// Interop scenarios for an automerge-repo sync server, driven with the real
// JavaScript automerge-repo client (the same code a browser tablet runs).
//
// Each command connects one or more fresh Repos (no storage, so every run
// starts from nothing) to the server given with --url, runs one scenario, prints
// exactly one JSON line with its result on stdout and exits 0. On failure it
// prints a message on stderr and exits non-zero. A global timeout (--timeout,
// default 20 s) guarantees it never hangs; the timeout message names the step
// that was being waited for.
//
// Commands:
//   create      --url U --json '{...}'                   -> {"url": "automerge:...", "heads": [...]}
//   read        --url U --doc automerge:... [--expect-key K --expect-value V]
//               [--wait-for '{"k": v}']                  -> {"doc": {...}, "heads": [...]}
//   edit        --url U --doc automerge:... --set K=V    -> {"heads": [...], "doc": {...}}
//   concurrent  --url U                                  -> {"converged": true, "doc": {...}, ...}
//   concurrent-text --url U                              -> {"converged": true, "text": "...", ...}
//   unavailable --url U                                  -> {"unavailable": true, ...}
//   saved       --url U                                  -> {"saved": true, "heads": [...], ...}
//
// Values given to --set, --expect-value and --wait-for are parsed as JSON when
// they are valid JSON (so 1 is a number and "1" is a string); otherwise they
// are taken as plain strings.

import { parseArgs } from "node:util"
import { setTimeout as sleep } from "node:timers/promises"
import * as A from "@automerge/automerge"
import { Repo, generateAutomergeUrl, isValidAutomergeUrl } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"

// ---------------------------------------------------------------------------
// Failure handling: one place that prints the reason and exits non-zero.

/** What the script is currently waiting for; quoted in timeout messages. */
let currentStep = "starting"

function step(description) {
  currentStep = description
}

function fail(message, exitCode = 1) {
  process.stderr.write(`interop: ${message}\n`)
  process.exit(exitCode)
}

// automerge-repo reports some network failures (for example an HTTP 401 on
// the upgrade) by throwing from an event handler, so catch those too.
process.on("uncaughtException", err => fail(`uncaught exception while ${currentStep}: ${err?.stack ?? err}`))
process.on("unhandledRejection", err => fail(`unhandled rejection while ${currentStep}: ${err?.stack ?? err}`))

// ---------------------------------------------------------------------------
// Small helpers.

/** Parses a command-line value as JSON if possible, else keeps the string. */
function parseValue(text) {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function sortedHeads(heads) {
  return [...heads].sort()
}

function sameHeads(a, b) {
  return JSON.stringify(sortedHeads(a)) === JSON.stringify(sortedHeads(b))
}

/** Deep equality through a canonical JSON form (sorted object keys). */
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map(k => [k, canonical(value[k])]))
  }
  return value
}

function deepEqual(a, b) {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}

/** The plain JSON contents of a ready handle. */
function contents(handle) {
  return A.toJS(handle.doc())
}

/** True if every key of `expected` has a deep-equal value in `doc`. */
function containsAll(doc, expected) {
  return Object.entries(expected).every(([k, v]) => deepEqual(doc?.[k], v))
}

/**
 * Resolves once `predicate()` is true. It is checked on every document change
 * of the given handles and also polled, because some state (peers, sync
 * states) changes without a document event.
 */
async function waitUntil(predicate, handles = []) {
  if (predicate()) return
  await new Promise(resolve => {
    const check = () => {
      if (!predicate()) return
      clearInterval(timer)
      for (const h of handles) h.off("heads-changed", check)
      resolve()
    }
    const timer = setInterval(check, 50)
    for (const h of handles) h.on("heads-changed", check)
  })
}

// ---------------------------------------------------------------------------
// Repos and connections.

/** Every Repo we open, so we can close their sockets before exiting. */
const openRepos = []

let peerCounter = 0
function newPeerId(role) {
  peerCounter += 1
  return `interop-${role}-${peerCounter}-${Math.random().toString(36).slice(2, 10)}`
}

/**
 * Opens a Repo with a single WebSocket client adapter and waits until the
 * server has answered our join with a `peer` message. Waiting matters: the
 * client adapter declares itself ready after 1 s even without an answer, and a
 * `find` before the server is a peer would wrongly report "unavailable".
 */
async function connectRepo(url, role, { enableRemoteHeadsGossiping = false } = {}) {
  const adapter = new WebSocketClientAdapter(url, 1000)
  const repo = new Repo({
    network: [adapter],
    peerId: newPeerId(role),
    enableRemoteHeadsGossiping,
  })
  openRepos.push(repo)
  const client = { repo, adapter, role, serverPeerId: undefined, serverMetadata: undefined }
  // Track the current server peer across disconnects and reconnects.
  repo.networkSubsystem.on("peer", ({ peerId, peerMetadata }) => {
    client.serverPeerId = peerId
    client.serverMetadata = peerMetadata
  })
  repo.networkSubsystem.on("peer-disconnected", () => {
    client.serverPeerId = undefined
  })
  step(`${role}: connecting to ${url} (waiting for the server's "peer" answer to our "join")`)
  await waitUntil(() => client.serverPeerId !== undefined)
  return client
}

/** Closes the socket of a connected client, as if it went offline. */
function goOffline(client) {
  client.savedMetadata = client.adapter.peerMetadata
  client.adapter.disconnect()
}

/** Reconnects a client that went offline and waits for the server's answer. */
async function goOnline(client) {
  client.adapter.connect(client.repo.peerId, client.savedMetadata)
  step(`${client.role}: reconnecting (waiting for the server's "peer" answer)`)
  await waitUntil(() => client.serverPeerId !== undefined)
}

async function closeRepo(repo) {
  const index = openRepos.indexOf(repo)
  if (index >= 0) openRepos.splice(index, 1)
  try {
    await repo.shutdown()
  } catch {
    // Shutting down a repo whose adapter is already offline may throw; the
    // socket is gone either way.
  }
}

/**
 * Finds a document on the server with a fresh Repo and waits until it has at
 * least `heads` (hex change hashes). This is how we know the server really
 * holds a change: an independent peer got it from the server.
 *
 * If the server answers doc-unavailable (it may not have received the
 * document yet), we retry with another fresh Repo, because a Repo caches the
 * unavailable state of a document.
 */
async function confirmServerHas(url, docUrl, heads) {
  for (let attempt = 1; ; attempt++) {
    const verifier = await connectRepo(url, `verifier${attempt}`)
    step(`verifier: finding ${docUrl} on the server (attempt ${attempt})`)
    let handle
    try {
      handle = await verifier.repo.find(docUrl)
    } catch {
      await closeRepo(verifier.repo)
      await sleep(200)
      continue
    }
    step(`verifier: waiting until the server's copy of ${docUrl} has heads ${heads.join(",")}`)
    await waitUntil(() => A.hasHeads(handle.doc(), heads), [handle])
    await closeRepo(verifier.repo)
    return attempt
  }
}

/** Finds a document, failing with a clear message if the server says it is unavailable. */
async function findOrFail(client, docUrl) {
  step(`${client.role}: finding ${docUrl}`)
  try {
    return await client.repo.find(docUrl)
  } catch (err) {
    fail(`${client.role}: could not find ${docUrl}: ${err.message}`)
  }
}

/** Finds a document, retrying with fresh Repos while the server says it is unavailable. */
async function findWithRetry(url, role, docUrl) {
  for (let attempt = 1; ; attempt++) {
    const client = await connectRepo(url, role)
    step(`${role}: finding ${docUrl} (attempt ${attempt})`)
    try {
      return { client, handle: await client.repo.find(docUrl) }
    } catch {
      await closeRepo(client.repo)
      await sleep(200)
    }
  }
}

/** Information about the server peer, to help debugging. */
function serverInfo(client) {
  return {
    peerId: client.serverPeerId,
    storageId: client.serverMetadata?.storageId ?? null,
    isEphemeral: client.serverMetadata?.isEphemeral ?? null,
  }
}

// ---------------------------------------------------------------------------
// Scenarios.

async function createCommand(opts) {
  if (!opts.json) fail("create needs --json '{...}'", 2)
  const initial = parseValue(opts.json)
  if (!initial || typeof initial !== "object" || Array.isArray(initial)) {
    fail("--json must be a JSON object", 2)
  }
  const creator = await connectRepo(opts.url, "creator")
  const handle = creator.repo.create(initial)
  const heads = A.getHeads(handle.doc())
  const attempts = await confirmServerHas(opts.url, handle.url, heads)
  return { url: handle.url, heads: handle.heads(), verifyAttempts: attempts, server: serverInfo(creator) }
}

async function readCommand(opts) {
  requireDoc(opts)
  let waitFor
  if (opts["wait-for"] !== undefined) {
    waitFor = parseValue(opts["wait-for"])
    if (!waitFor || typeof waitFor !== "object") fail("--wait-for must be a JSON object", 2)
  }
  if ((opts["expect-key"] === undefined) !== (opts["expect-value"] === undefined)) {
    fail("--expect-key and --expect-value go together", 2)
  }

  let client, handle
  if (waitFor) {
    // The document may not have reached the server yet: keep asking.
    const found = await findWithRetry(opts.url, "reader", opts.doc)
    client = found.client
    handle = found.handle
    step(`reader: waiting until ${opts.doc} contains ${JSON.stringify(waitFor)}`)
    await waitUntil(() => containsAll(contents(handle), waitFor), [handle])
  } else {
    client = await connectRepo(opts.url, "reader")
    handle = await findOrFail(client, opts.doc)
  }

  const doc = contents(handle)
  if (opts["expect-key"] !== undefined) {
    const key = opts["expect-key"]
    const expected = parseValue(opts["expect-value"])
    if (!deepEqual(doc[key], expected)) {
      fail(`expected ${key} = ${JSON.stringify(expected)}, got ${JSON.stringify(doc[key])}; doc: ${JSON.stringify(doc)}`)
    }
  }
  return { doc, heads: handle.heads(), server: serverInfo(client) }
}

async function editCommand(opts) {
  requireDoc(opts)
  const assignment = opts.set ?? fail("edit needs --set K=V", 2)
  const eq = assignment.indexOf("=")
  if (eq <= 0) fail(`--set must look like K=V, got ${JSON.stringify(assignment)}`, 2)
  const key = assignment.slice(0, eq)
  const value = parseValue(assignment.slice(eq + 1))

  const editor = await connectRepo(opts.url, "editor")
  const handle = await findOrFail(editor, opts.doc)
  handle.change(doc => {
    doc[key] = value
  })
  const heads = A.getHeads(handle.doc())
  await confirmServerHas(opts.url, opts.doc, heads)
  return { heads: handle.heads(), doc: contents(handle) }
}

/**
 * Two peers edit the same document while both are offline, so that neither
 * edit can have seen the other, then reconnect and must converge.
 * `setup(doc)` builds the initial document, `editA`/`editB` are the concurrent
 * changes and `check(doc)` returns an error string if the merged document does
 * not contain both edits.
 */
async function runConcurrent(url, { initial, editA, editB, check }) {
  const a = await connectRepo(url, "peerA")
  const handleA = a.repo.create(initial)
  await confirmServerHas(url, handleA.url, A.getHeads(handleA.doc()))

  const b = await connectRepo(url, "peerB")
  const handleB = await findOrFail(b, handleA.url)
  step("peerB: waiting for the initial document")
  await waitUntil(() => sameHeads(handleA.heads(), handleB.heads()), [handleB])
  const baseHeads = handleA.heads()

  // Both go offline, then edit: the edits are concurrent by construction.
  goOffline(a)
  goOffline(b)
  handleA.change(editA)
  handleB.change(editB)
  const headsA = handleA.heads()
  const headsB = handleB.heads()
  if (sameHeads(headsA, headsB) || sameHeads(headsA, baseHeads) || sameHeads(headsB, baseHeads)) {
    fail("offline edits did not produce two distinct branches")
  }

  await goOnline(a)
  await goOnline(b)

  step("peerA and peerB: waiting until both have the same heads, containing both offline edits")
  const hexA = A.getHeads(handleA.doc())
  const hexB = A.getHeads(handleB.doc())
  await waitUntil(
    () =>
      sameHeads(handleA.heads(), handleB.heads()) &&
      A.hasHeads(handleA.doc(), hexB) &&
      A.hasHeads(handleB.doc(), hexA),
    [handleA, handleB],
  )

  const docA = contents(handleA)
  const docB = contents(handleB)
  if (!deepEqual(docA, docB)) {
    fail(`same heads but different contents: A=${JSON.stringify(docA)} B=${JSON.stringify(docB)}`)
  }
  const problem = check(docA)
  if (problem) fail(`merged document is wrong: ${problem}; doc: ${JSON.stringify(docA)}`)

  return { converged: true, url: handleA.url, doc: docA, heads: handleA.heads(), branchHeads: { a: headsA, b: headsB } }
}

async function concurrentCommand(opts) {
  return runConcurrent(opts.url, {
    initial: { title: "shared", items: ["start"] },
    editA: doc => {
      doc.a = 1
      doc.items.push("from-a")
    },
    editB: doc => {
      doc.b = 2
      doc.items.push("from-b")
    },
    check: doc => {
      if (doc.a !== 1) return "a != 1"
      if (doc.b !== 2) return "b != 2"
      if (doc.title !== "shared") return "title lost"
      const items = doc.items ?? []
      if (items.length !== 3 || items[0] !== "start") return `items should be start + both pushes, got ${JSON.stringify(items)}`
      if (!items.includes("from-a") || !items.includes("from-b")) return "a list push is missing"
      return null
    },
  })
}

async function concurrentTextCommand(opts) {
  const result = await runConcurrent(opts.url, {
    initial: { text: "The quick fox" },
    // A inserts before "fox" and appends "!".
    editA: doc => {
      A.splice(doc, ["text"], 10, 0, "brown ")
      A.splice(doc, ["text"], doc.text.length, 0, "!")
    },
    // B replaces "quick " by "very slow " and appends "?" at the same position as A's "!".
    editB: doc => {
      A.splice(doc, ["text"], 4, 6, "very slow ")
      A.splice(doc, ["text"], doc.text.length, 0, "?")
    },
    check: doc => {
      const text = doc.text
      if (typeof text !== "string") return "text is not a string"
      // The order of "!" and "?" (same insert position) depends on actor ids,
      // but it must be the same on both peers, which runConcurrent checked.
      const expected = ["The very slow brown fox!?", "The very slow brown fox?!"]
      if (!expected.includes(text)) return `text should be one of ${JSON.stringify(expected)}`
      return null
    },
  })
  return { ...result, text: result.doc.text }
}

async function unavailableCommand(opts) {
  const client = await connectRepo(opts.url, "asker")
  // A given --doc (e.g. a deleted contact) or a never-created one.
  const docUrl = opts.doc ?? generateAutomergeUrl()
  // Record the server's explicit answer, so that we do not mistake a local
  // timeout or a lost connection for "unavailable".
  let serverAnswered = false
  client.repo.networkSubsystem.on("message", msg => {
    if (msg.type === "doc-unavailable" && docUrl.endsWith(msg.documentId)) serverAnswered = true
  })
  step(`asker: requesting never-created ${docUrl} (waiting for doc-unavailable)`)
  let handle
  try {
    handle = await client.repo.find(docUrl)
  } catch (err) {
    if (!/unavailable/.test(err.message)) throw err
  }
  if (handle) fail(`a never-created document was found: ${JSON.stringify(contents(handle))}`)
  if (!serverAnswered) fail("the handle became unavailable without a doc-unavailable message from the server")
  return { unavailable: true, url: docUrl, server: serverInfo(client) }
}

/** A published wish with capacity 1, following docs/schema.md. */
function publishedWish(now) {
  const event = (id, kind, at) => ({ id, kind, at, by: "p-coordinator", device: "d-station" })
  return {
    "@type": "wish",
    schema: 1,
    id: `wish-${Math.random().toString(36).slice(2)}`,
    community: "c-xingfu",
    station: "s-xingfu-1",
    title: "帮独居老人安装路由器",
    text: "家里的路由器坏了，想请人帮忙装一个新的",
    module: "comprehensive",
    suggested_module: "comprehensive",
    channel: "door_to_door",
    area: { compound: "幸福小区", building: "3栋" },
    urgency: "normal",
    capacity: 1,
    on_behalf: true,
    created_at: now,
    created_by: "p-collector",
    contact: null,
    events: {
      e1: event("e1", "collected", now),
      e2: event("e2", "verified", now + 1),
      e3: event("e3", "published", now + 2),
    },
    claims: {},
    assigned: {},
  }
}

/**
 * Two partners claim a capacity-1 wish while both are offline. The server must
 * assign exactly one claim, and both replicas must end with the same decision.
 */
async function claimRaceCommand(opts) {
  const now = Date.now()
  const a = await connectRepo(opts.url, "partnerA")
  const handleA = a.repo.create(publishedWish(now))
  await confirmServerHas(opts.url, handleA.url, A.getHeads(handleA.doc()))
  const b = await connectRepo(opts.url, "partnerB")
  const handleB = await findOrFail(b, handleA.url)
  step("partnerB: waiting for the wish")
  await waitUntil(() => sameHeads(handleA.heads(), handleB.heads()), [handleB])

  goOffline(a)
  goOffline(b)
  const claim = (id, claimant) => ({ id, kind: "person", claimant, at: Date.now(), by: claimant, device: `d-${claimant}` })
  handleA.change(doc => { doc.claims["claim-a"] = claim("claim-a", "p-a") })
  handleB.change(doc => { doc.claims["claim-b"] = claim("claim-b", "p-b") })
  await goOnline(a)
  await goOnline(b)

  step("both partners: waiting for the server's assignment")
  const settled = () => {
    const docA = contents(handleA)
    return sameHeads(handleA.heads(), handleB.heads()) &&
      Object.keys(docA.claims ?? {}).length === 2 &&
      Object.keys(docA.assigned ?? {}).length >= 1
  }
  await waitUntil(settled, [handleA, handleB])
  // Give a wrong second assignment the chance to show up before judging.
  await new Promise(resolve => setTimeout(resolve, 500))
  await waitUntil(settled, [handleA, handleB])
  const docA = contents(handleA)
  const docB = contents(handleB)
  if (!deepEqual(docA, docB)) fail(`replicas differ: A=${JSON.stringify(docA.assigned)} B=${JSON.stringify(docB.assigned)}`)
  const assigned = Object.keys(docA.assigned)
  if (assigned.length !== 1) fail(`expected exactly one assignment, got ${JSON.stringify(docA.assigned)}`)
  if (docA.assigned[assigned[0]].by_server !== true) fail(`the assignment was not made by the server: ${JSON.stringify(docA.assigned)}`)
  return { settled: true, url: handleA.url, assigned, claims: Object.keys(docA.claims).sort() }
}

/** The heads a client believes the server holds ("saved"), by the server's storage id. */
function savedHeads(client, handle) {
  const storageId = client.serverMetadata?.storageId
  return storageId ? handle.getSyncInfo(storageId)?.lastHeads : undefined
}

/**
 * What a tablet shows as "saved": two writers send bursts of changes to one document
 * while a reader follows it (all three subscribed to the server's heads, as a tablet
 * is). Once they converge, every client's view of the server's heads must be its own
 * heads, whether it learned them from a sync message or from `remote-heads-changed`.
 * A server that skipped `remote-heads-changed` where no sync message carried the final
 * heads leaves a client showing "not saved" and fails here.
 */
async function savedCommand(opts) {
  const clients = []
  for (const role of ["writerA", "writerB", "reader"]) {
    const client = await connectRepo(opts.url, role, { enableRemoteHeadsGossiping: true })
    const storageId = client.serverMetadata?.storageId
    if (!storageId) fail(`${role}: the server announced no storage id`)
    client.repo.subscribeToRemotes([storageId])
    clients.push(client)
  }
  const [a, b, reader] = clients
  const handleA = a.repo.create({ a: 0, b: 0, log: [] })
  await confirmServerHas(opts.url, handleA.url, A.getHeads(handleA.doc()))
  const handleB = await findOrFail(b, handleA.url)
  const handleR = await findOrFail(reader, handleA.url)
  const handles = [handleA, handleB, handleR]

  const bursts = 5
  const perBurst = 10
  for (let burst = 0; burst < bursts; burst++) {
    for (let i = 0; i < perBurst; i++) {
      handleA.change(doc => {
        doc.a += 1
        doc.log.push(`a${burst}.${i}`)
      })
      handleB.change(doc => {
        doc.b += 1
        doc.log.push(`b${burst}.${i}`)
      })
    }
    await sleep(30)
  }

  step("writers and reader: waiting until all three hold both writers' changes")
  const lastA = A.getHeads(handleA.doc())
  const lastB = A.getHeads(handleB.doc())
  await waitUntil(
    () =>
      handles.every(h => A.hasHeads(h.doc(), lastA) && A.hasHeads(h.doc(), lastB)) &&
      sameHeads(handleA.heads(), handleB.heads()) &&
      sameHeads(handleA.heads(), handleR.heads()),
    handles,
  )
  const doc = contents(handleR)
  if (doc.a !== bursts * perBurst || doc.b !== bursts * perBurst) {
    fail(`counters lost changes: ${JSON.stringify({ a: doc.a, b: doc.b })}`)
  }

  step("every client: waiting until its view of the server's heads is its own heads (saved)")
  await waitUntil(() => clients.every((c, i) => sameHeads(savedHeads(c, handles[i]) ?? [], handles[i].heads())))
  return {
    saved: true,
    heads: handleR.heads(),
    changes: doc.log.length,
    server: serverInfo(reader),
  }
}

function requireDoc(opts) {
  if (!opts.doc) fail("--doc automerge:... is required", 2)
  if (!isValidAutomergeUrl(opts.doc)) fail(`--doc is not a valid automerge URL: ${opts.doc}`, 2)
}

// ---------------------------------------------------------------------------
// Command line.

const commands = {
  create: createCommand,
  read: readCommand,
  edit: editCommand,
  concurrent: concurrentCommand,
  "concurrent-text": concurrentTextCommand,
  unavailable: unavailableCommand,
  "claim-race": claimRaceCommand,
  saved: savedCommand,
}

async function main() {
  let parsed
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        url: { type: "string" },
        json: { type: "string" },
        doc: { type: "string" },
        set: { type: "string" },
        "expect-key": { type: "string" },
        "expect-value": { type: "string" },
        "wait-for": { type: "string" },
        timeout: { type: "string", default: "20" },
      },
    })
  } catch (err) {
    fail(err.message, 2)
  }
  const { values: opts, positionals } = parsed
  const name = positionals[0]
  const command = commands[name]
  if (!command || positionals.length !== 1) {
    fail(`usage: interop.mjs <${Object.keys(commands).join("|")}> --url ws://... [options]`, 2)
  }
  if (!opts.url) fail("--url is required", 2)
  const timeoutSeconds = Number(opts.timeout)
  if (!(timeoutSeconds > 0)) fail(`invalid --timeout ${opts.timeout}`, 2)

  setTimeout(() => fail(`${name}: timed out after ${timeoutSeconds} s while ${currentStep}`, 3), timeoutSeconds * 1000)

  const result = await command(opts)

  step("closing connections")
  await Promise.all([...openRepos].map(closeRepo))
  // Write the result and exit once it is flushed: open timers inside the
  // repos would otherwise keep the process alive.
  process.stdout.write(JSON.stringify(result) + "\n", () => process.exit(0))
}

main().catch(err => fail(`${currentStep}: ${err?.stack ?? err}`))
