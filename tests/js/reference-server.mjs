#!/usr/bin/env node
// The automerge-repo reference sync server, configured like the upstream
// automerge-repo-sync-server: a Repo with a WebSocket server adapter, node
// filesystem storage and a share policy that announces nothing (clients get a
// document only by asking for its id).
//
// We use it to check that the interop scenarios in interop.mjs are correct on
// their own, and as the baseline in side-by-side benchmarks with Wish Station.
//
// Usage: node reference-server.mjs --port 0 --data DIR
// Prints "listening on 127.0.0.1:PORT" on stdout once it accepts connections.
// Any path and query string (e.g. /sync?token=...) is accepted and ignored.

import http from "node:http"
import { parseArgs } from "node:util"
import { WebSocketServer } from "ws"
import { Repo } from "@automerge/automerge-repo"
import { NodeWSServerAdapter } from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    data: { type: "string" },
  },
})

if (!args.data) {
  console.error("reference-server: --data DIR is required")
  process.exit(2)
}
const port = Number(args.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`reference-server: invalid --port ${args.port}`)
  process.exit(2)
}

// A plain HTTP server so that the WebSocket server accepts upgrades on any
// path; the upstream sync server does the same through express.
const httpServer = http.createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/plain" })
  res.end("automerge-repo reference sync server\n")
})
const wss = new WebSocketServer({ server: httpServer })

const repo = new Repo({
  network: [new NodeWSServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(args.data),
  peerId: "storage-server-reference",
  // Announce nothing: documents are only sent to peers that request them.
  sharePolicy: async () => false,
})

// The network adapter is attached only once the repo knows its storage id; a socket
// accepted before that would never be answered.
await repo.storageId()
await new Promise(resolve => setTimeout(resolve, 0))

httpServer.listen(port, args.host, () => {
  const { address, port: boundPort } = httpServer.address()
  console.log(`listening on ${address}:${boundPort}`)
})

// Flush pending (debounced) saves before exiting on SIGTERM/SIGINT, so a
// graceful stop never loses acknowledged changes.
let stopping = false
async function stop(signal) {
  if (stopping) return
  stopping = true
  console.error(`reference-server: ${signal}, flushing and exiting`)
  try {
    await repo.shutdown()
  } catch (err) {
    console.error("reference-server: shutdown failed:", err)
  }
  wss.close()
  httpServer.close()
  process.exit(0)
}
process.on("SIGTERM", () => void stop("SIGTERM"))
process.on("SIGINT", () => void stop("SIGINT"))
