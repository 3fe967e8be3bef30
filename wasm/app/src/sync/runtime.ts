// Carries out the wasm client's effects: the WebSocket, IndexedDB writes and the wake-up
// timer. Every input to the client goes through one queue, so effects run in order and a
// stored change is durable before anything after it is sent.

import type { WishClient } from "../../pkg/wish_wasm.js";
import type { Key, Store, StoreOp } from "./store.js";

/** An event of the client (see `wasm/src/effects.rs`). */
export type SyncEvent =
  | { type: "connected"; server: string }
  | { type: "disconnected"; reason: string; retry_at: number | null }
  | { type: "doc-changed"; doc: string }
  | { type: "saved"; doc: string; heads: string[] }
  | { type: "unavailable"; doc: string }
  | { type: "refused"; doc: string; id: string; rule: string; reason: string }
  | { type: "forgotten"; doc: string }
  | { type: "problem"; message: string };

type Effect =
  | { kind: "connect" }
  | { kind: "send"; bytes: Uint8Array }
  | { kind: "close" }
  | { kind: "put"; key: Key; bytes: Uint8Array }
  | { kind: "delete"; key: Key }
  | { kind: "delete-doc"; doc: string }
  | { kind: "event"; event: SyncEvent };

export class SyncRuntime {
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Effects the client returned that are not carried out yet, in order. */
  private pending: Effect[] = [];
  /** The drain in progress, if any. */
  private draining: Promise<void> | null = null;

  constructor(
    private readonly client: WishClient,
    private readonly store: Store,
    private readonly socketUrl: () => string,
    private readonly onEvent: (event: SyncEvent) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts (or resumes) connecting. */
  start(): void {
    this.feed((now) => this.client.start(now));
  }

  /** Stops connecting until `start` (the sync panel's offline switch). */
  goOffline(): void {
    this.feed((now) => this.client.goOffline(now));
  }

  /** Runs a document operation and resolves once what it queued is carried out. */
  run<T>(operation: () => T): Promise<T> {
    let result: T;
    try {
      result = operation();
    } catch (error) {
      return Promise.reject(error);
    }
    this.pending.push(...(this.client.takeEffects() as Effect[]));
    return this.drain().then(() => result);
  }

  /** Resolves once everything queued so far has been carried out. */
  idle(): Promise<void> {
    return this.drain();
  }

  /** Gives the client an input at once; its effects join the queue. */
  private feed(input: (now: number) => unknown[]): void {
    this.pending.push(...(input(Date.now()) as Effect[]));
    this.drain().catch(this.onError);
  }

  /**
   * Carries out the queue in batches: every store write of a batch in one IndexedDB
   * transaction first, then the batch's sends and events in order. Inputs that arrive
   * meanwhile form the next batch, so a burst of frames costs one disk flush, not one each,
   * and nothing is ever sent before the writes that came before it are durable.
   */
  private drain(): Promise<void> {
    if (this.draining) return this.draining;
    if (this.pending.length === 0) return Promise.resolve();
    // With something pending the loop awaits at least once, so its `finally` runs after
    // this assignment (were it to run first, `draining` would stay set and stall the queue).
    this.draining = (async () => {
      try {
        while (this.pending.length > 0) {
          const batch = this.pending;
          this.pending = [];
          await this.execute(batch);
        }
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  private async execute(effects: Effect[]): Promise<void> {
    const writes: StoreOp[] = [];
    const rest: Exclude<Effect, StoreOp>[] = [];
    for (const effect of effects) {
      if (effect.kind === "put" || effect.kind === "delete" || effect.kind === "delete-doc") writes.push(effect);
      else rest.push(effect);
    }
    await this.store.apply(writes);
    for (const effect of rest) this.perform(effect);
    this.schedule();
  }
  private perform(effect: Exclude<Effect, StoreOp>): void {
    switch (effect.kind) {
      case "connect":
        this.connect();
        break;
      case "send":
        if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(effect.bytes);
        break;
      case "close":
        // The socket's own close event is ignored once it is replaced, so the client
        // hears about it here.
        if (this.closeSocket()) this.feed((now) => this.client.disconnected(now, "closed by client"));
        break;
      case "event":
        this.onEvent(effect.event);
        break;
    }
  }

  private connect(): void {
    this.closeSocket();
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.socketUrl());
    } catch (error) {
      this.feed((now) => this.client.disconnected(now, String(error)));
      return;
    }
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    // Events of a socket that was replaced are ignored.
    const current = () => this.socket === socket;
    socket.onopen = () => current() && this.feed((now) => this.client.connected(now));
    socket.onmessage = (message) => {
      if (!current() || !(message.data instanceof ArrayBuffer)) return;
      const bytes = new Uint8Array(message.data);
      this.feed((now) => this.client.frame(now, bytes));
    };
    socket.onclose = (close) => {
      if (!current()) return;
      this.socket = null;
      const reason = close.reason || `socket closed (${close.code})`;
      this.feed((now) => this.client.disconnected(now, reason));
    };
  }

  /** Closes the current socket; whether there was one. */
  private closeSocket(): boolean {
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, "client closing");
    return socket !== null;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const wake = this.client.nextWake();
    if (wake === undefined) return;
    const delay = Math.max(0, wake - Date.now());
    this.timer = setTimeout(() => this.feed((now) => this.client.tick(now)), delay);
  }
}
