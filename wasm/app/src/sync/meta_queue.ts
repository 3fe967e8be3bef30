// Meta entries (server heads per document, the last save time, the kept wish rows) written
// in batches. A cold sync reports thousands of documents saved within seconds; one
// IndexedDB transaction each (a disk flush each) kept the disk busy for ~11 s after the
// screen showed everything saved, delaying the documents' own writes behind them.

import type { Store } from "./store.js";

export class MetaQueue {
  /** Entries not written yet; `undefined` deletes. The latest value of a key wins. */
  private pending = new Map<string, unknown>();
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly onError: (error: unknown) => void,
  ) {}

  set(key: string, value: unknown): void {
    this.pending.set(key, value);
    this.flush().catch(this.onError);
  }

  delete(key: string): void {
    this.set(key, undefined);
  }

  /** Writes what is queued: one transaction at a time, each holding everything queued
   *  while the previous one was being flushed. Resolves once the queue is empty. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.size === 0) return Promise.resolve();
    this.flushing = (async () => {
      try {
        while (this.pending.size > 0) {
          const batch = this.pending;
          this.pending = new Map();
          await this.store.setMetas(batch);
        }
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }
}
