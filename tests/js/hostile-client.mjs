// The stock automerge-repo client the hostile scripts attack with (hostile-*.mjs): a Repo
// over the WebSocket adapter, nothing of ours, and the polling helpers they share.

import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"

export const sleep = ms => new Promise(r => setTimeout(r, ms))

export async function until(predicate) {
  while (!predicate()) await sleep(50)
}

/** Every Repo opened, so a script can shut them all down before it exits. */
export const repos = []

/** Connects a fresh Repo (peer id `<prefix>-<role>-<random>`) and waits for the server. */
export async function connectRepo(url, role, prefix = "hostile") {
  const adapter = new WebSocketClientAdapter(url, 1000)
  const repo = new Repo({ network: [adapter], peerId: `${prefix}-${role}-${Math.random().toString(36).slice(2, 8)}` })
  repos.push(repo)
  let connected = false
  repo.networkSubsystem.on("peer", () => { connected = true })
  await until(() => connected)
  return repo
}
