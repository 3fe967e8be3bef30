// IndexedDB: the tablet's documents (the automerge-repo key layout, keys as arrays) and
// a small key-value store for identity, server heads and settings.

const DB_NAME = "wish-station";
const CHUNKS = "chunks";
const META = "meta";

export type Key = string[];
export type StoreOp =
  | { kind: "put"; key: Key; bytes: Uint8Array }
  | { kind: "delete"; key: Key }
  | { kind: "delete-doc"; doc: string };

/** Every key `[doc, ...]`: array keys sort after `[doc]` and before `[doc, []]`
 *  (in IndexedDB's order, arrays come after strings). */
function documentRange(doc: string): IDBKeyRange {
  return IDBKeyRange.bound([doc], [doc, []]);
}

export class Store {
  private constructor(private readonly db: IDBDatabase) {}

  static open(): Promise<Store> {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(CHUNKS);
        request.result.createObjectStore(META);
      };
      request.onsuccess = () => resolve(new Store(request.result));
      request.onerror = () => reject(request.error);
    });
  }

  /** Applies writes in one transaction; resolves once they are durable. */
  apply(ops: StoreOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    return this.write(CHUNKS, (store) => {
      for (const op of ops) {
        if (op.kind === "put") store.put(op.bytes, op.key);
        else if (op.kind === "delete") store.delete(op.key);
        else store.delete(documentRange(op.doc));
      }
    });
  }

  /** Every stored document: id → its `[key, bytes]` entries. */
  loadDocuments(): Promise<Map<string, [Key, Uint8Array][]>> {
    return new Promise((resolve, reject) => {
      const docs = new Map<string, [Key, Uint8Array][]>();
      const tx = this.db.transaction(CHUNKS, "readonly");
      const cursor = tx.objectStore(CHUNKS).openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return;
        const key = c.key as Key;
        const entries = docs.get(key[0]) ?? [];
        entries.push([key, c.value as Uint8Array]);
        docs.set(key[0], entries);
        c.continue();
      };
      tx.oncomplete = () => resolve(docs);
      tx.onerror = () => reject(tx.error);
    });
  }

  getMeta<T>(key: string): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      const request = this.db.transaction(META, "readonly").objectStore(META).get(key);
      request.onsuccess = () => resolve(request.result as T | undefined);
      request.onerror = () => reject(request.error);
    });
  }

  /** Every meta entry whose key starts with `prefix`. */
  metaWithPrefix<T>(prefix: string): Promise<Map<string, T>> {
    return new Promise((resolve, reject) => {
      const out = new Map<string, T>();
      const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
      const tx = this.db.transaction(META, "readonly");
      const cursor = tx.objectStore(META).openCursor(range);
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return;
        out.set(String(c.key), c.value as T);
        c.continue();
      };
      tx.oncomplete = () => resolve(out);
      tx.onerror = () => reject(tx.error);
    });
  }

  setMeta(key: string, value: unknown): Promise<void> {
    return this.write(META, (store) => store.put(value, key));
  }

  deleteMeta(key: string): Promise<void> {
    return this.write(META, (store) => store.delete(key));
  }

  /** Writes meta entries whose loss costs only a little sync (the server's heads of a
   *  document, the last save time): one transaction, not flushed to disk ("relaxed"). A
   *  cold sync reports thousands of documents saved within seconds, and a disk flush for
   *  each delayed the documents' own (flushed) writes. */
  setHints(entries: [string, unknown][]): Promise<void> {
    return this.write(META, (store) => {
      for (const [key, value] of entries) store.put(value, key);
    }, "relaxed");
  }

  /** Forgets everything (leaving a device that was revoked or reassigned). */
  clear(): Promise<void> {
    return Promise.all([
      this.write(CHUNKS, (s) => s.clear()),
      this.write(META, (s) => s.clear()),
    ]).then(() => undefined);
  }

  private write(
    name: string,
    fill: (store: IDBObjectStore) => void,
    durability: IDBTransactionDurability = "strict",
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      // "strict" by default: the transaction completes only once the data is flushed to
      // disk, since the next step may tell the server (and the volunteer) that the card is kept.
      const tx = this.db.transaction(name, "readwrite", { durability });
      fill(tx.objectStore(name));
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
    });
  }
}
