// The stock automerge-repo client the hostile scripts attack with (hostile-*.mjs): a Repo
// over the WebSocket adapter, nothing of ours, and the polling helpers they share.

import { parseArgs } from "node:util"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"

export const sleep = ms => new Promise(r => setTimeout(r, ms))

export async function until(predicate) {
  while (!predicate()) await sleep(50)
}

/** Every Repo opened, so a script can shut them all down before it exits. */
export const repos = []

/**
 * Connects a fresh Repo (peer id `<prefix>-<role>-<random>`) and waits for the server;
 * returns the repo and the server's peer metadata.
 */
export async function connectRepo(url, role, prefix = "hostile") {
  const adapter = new WebSocketClientAdapter(url, 1000)
  const repo = new Repo({ network: [adapter], peerId: `${prefix}-${role}-${Math.random().toString(36).slice(2, 8)}` })
  repos.push(repo)
  let server
  repo.networkSubsystem.on("peer", ({ peerMetadata }) => { server = peerMetadata ?? {} })
  await until(() => server !== undefined)
  return { repo, server }
}

/**
 * The start every hostile script shares. Parses the options every attack takes (`url`,
 * `observer`, `attack`, `person`, `device`, `timeout` in seconds) and the script's own;
 * `fail` exits with the script's name and a message; a watchdog fails naming the `step`
 * the script stalled in (scripts set `script.step` as they go); `connect` is
 * [`connectRepo`] that records the step.
 */
export function hostileScript(name, { options = {}, timeout = "60", peerPrefix = "hostile" } = {}) {
  const script = { step: "starting" }
  script.fail = (message, code = 1) => {
    process.stderr.write(`${name}: ${message}\n`)
    process.exit(code)
  }
  const common = ["url", "observer", "attack", "person", "device"].map(k => [k, { type: "string" }])
  script.opts = parseArgs({
    options: { ...Object.fromEntries(common), timeout: { type: "string", default: timeout }, ...options },
  }).values
  setTimeout(() => script.fail(`timed out while ${script.step}`, 3), Number(script.opts.timeout) * 1000)
  script.connect = (url, role) => {
    script.step = `${role}: connecting`
    return connectRepo(url, role, peerPrefix).then(c => c.repo)
  }
  script.connectWithServer = (url, role) => {
    script.step = `${role}: connecting`
    return connectRepo(url, role, peerPrefix)
  }
  return script
}
