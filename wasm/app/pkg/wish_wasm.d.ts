/* tslint:disable */
/* eslint-disable */

/**
 * The browser's sync client. Every method that returns an `Array` returns effects for the
 * page to carry out in order: `{kind: "connect"}`, `{kind: "send", bytes}`,
 * `{kind: "close"}`, `{kind: "put", key, bytes}`, `{kind: "delete", key}` and
 * `{kind: "event", event}`. A `put` or `delete` must be durable before any later `send`.
 */
export class WishClient {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Checks a person in to a shift of the station's roster.
     */
    checkIn(station_doc: string, shift: string, person: string, now: number): void;
    /**
     * Checks a person out of a shift.
     */
    checkOut(station_doc: string, shift: string, person: string, now: number): void;
    /**
     * Creates a wish (and, if the resident gave one, its contact document) from the
     * collection form's JSON, with ids made of the page's random bytes. Returns
     * `{wish_doc, contact_doc}` as JSON.
     */
    collectWish(input_json: string, wish_doc_bytes: Uint8Array | number[], contact_doc_bytes: Uint8Array | number[]): string;
    /**
     * The community directory, as JSON (`CommunityView`).
     */
    communityView(doc: string): string;
    /**
     * Confirms a claim's resolved hours and, when the ledger document is held, records
     * the earned points and hours in it.
     */
    confirm(doc: string, ledger_doc: string | null | undefined, stamp_json: string, claim: string): void;
    /**
     * The socket asked for by a `connect` effect is open.
     */
    connected(now: number): Array<any>;
    /**
     * The connection as JSON: `{state, retry_at?, server?}`; `state` is one of
     * `offline`, `waiting`, `connecting`, `joining`, `ready`.
     */
    connection(): string;
    /**
     * A resident's contact document, as JSON (`ContactView`).
     */
    contactView(doc: string): string;
    /**
     * The socket closed or could not be opened.
     */
    disconnected(now: number, reason: string): Array<any>;
    /**
     * The `@type` of a held document, or `undefined`.
     */
    docType(doc: string): string | undefined;
    /**
     * The ids of every document held, as a JSON array.
     */
    documentIds(): string;
    /**
     * Follows the links of the documents held: the community's documents of `stations`
     * (a JSON array of station ids) and their wish indexes. Returns how many documents
     * were new.
     */
    followLinks(community: string, stations_json: string): number;
    /**
     * A binary frame arrived.
     */
    frame(now: number, bytes: Uint8Array | number[]): Array<any>;
    /**
     * Stop connecting and close the socket.
     */
    goOffline(now: number): Array<any>;
    /**
     * Whether the client holds the document with any content.
     */
    hasContent(doc: string): boolean;
    /**
     * Whether the server durably holds every change of this replica of the document.
     */
    isSavedOnServer(doc: string): boolean;
    /**
     * Restores a document from IndexedDB: `entries` is every `[key, bytes]` stored under
     * `[doc]`, where `key` is an array of strings (the automerge-repo key layout).
     */
    loadDocument(doc: string, entries: Array<any>): void;
    /**
     * A client with this tablet's peer id, the storage id of its IndexedDB and a random
     * seed for reconnect jitter.
     */
    constructor(peer_id: string, storage_id: string, seed: number);
    /**
     * When to call `tick` next, at the latest (milliseconds), or `undefined`.
     */
    nextWake(): number | undefined;
    /**
     * Starts following a document that only the server has.
     */
    openDocument(doc: string): void;
    /**
     * Follows every document of a JSON array of ids the client does not hold yet;
     * returns how many were new.
     */
    openDocuments(docs_json: string): number;
    /**
     * How many documents with content hold changes the server has not confirmed.
     */
    pendingCount(): number;
    /**
     * Restores the server heads last reported for a document (kept from `saved` events).
     */
    rememberServerHeads(doc: string, heads: string[]): void;
    /**
     * Writes one of a field's concurrent values as its value (coordinators).
     */
    resolveConflict(doc: string, path: string, value: string): void;
    /**
     * A person's confirmed hours, points and star level from the ledger (zero while the
     * ledger is not held), with the community's thresholds.
     */
    standing(community: string, ledger: string | null | undefined, person: string): string;
    /**
     * Start connecting, and keep reconnecting with backoff.
     */
    start(now: number): Array<any>;
    /**
     * A station document with its roster, as JSON (`StationView`).
     */
    stationView(doc: string): string;
    /**
     * A document's heads here and as the server last reported them, as JSON
     * `{local, server}` (the sync panel's details).
     */
    syncDetails(doc: string): string;
    /**
     * Effects queued by document operations since the last call.
     */
    takeEffects(): Array<any>;
    /**
     * Time passed; call at `nextWake()` at the latest.
     */
    tick(now: number): Array<any>;
    /**
     * Applies one lifecycle step (`action_json`, see `WishAction`) to a wish document.
     */
    wishAction(doc: string, stamp_json: string, action_json: string): void;
    /**
     * One wish with its claims, conflicts, sync state and the steps `person` could take
     * now, as JSON (`WishDetail`).
     */
    wishDetail(doc: string, person: string): string;
    /**
     * Every wish held, newest first, as JSON rows (`WishRow`) for `person`.
     */
    wishList(person: string): string;
    /**
     * The wish wall: wishes open for claiming, most urgent first, as JSON rows.
     */
    wishWall(person: string): string;
}

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_wishclient_free: (a: number, b: number) => void;
    readonly wishclient_checkIn: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => [number, number];
    readonly wishclient_checkOut: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => [number, number];
    readonly wishclient_collectWish: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number, number, number];
    readonly wishclient_communityView: (a: number, b: number, c: number) => [number, number, number, number];
    readonly wishclient_confirm: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number) => [number, number];
    readonly wishclient_connected: (a: number, b: number) => any;
    readonly wishclient_connection: (a: number) => [number, number, number, number];
    readonly wishclient_contactView: (a: number, b: number, c: number) => [number, number, number, number];
    readonly wishclient_disconnected: (a: number, b: number, c: number, d: number) => any;
    readonly wishclient_docType: (a: number, b: number, c: number) => [number, number, number, number];
    readonly wishclient_documentIds: (a: number) => [number, number, number, number];
    readonly wishclient_followLinks: (a: number, b: number, c: number, d: number, e: number) => [number, number, number];
    readonly wishclient_frame: (a: number, b: number, c: number, d: number) => any;
    readonly wishclient_goOffline: (a: number, b: number) => any;
    readonly wishclient_hasContent: (a: number, b: number, c: number) => [number, number, number];
    readonly wishclient_isSavedOnServer: (a: number, b: number, c: number) => [number, number, number];
    readonly wishclient_loadDocument: (a: number, b: number, c: number, d: any) => [number, number];
    readonly wishclient_new: (a: number, b: number, c: number, d: number, e: number) => number;
    readonly wishclient_nextWake: (a: number) => [number, number];
    readonly wishclient_openDocument: (a: number, b: number, c: number) => [number, number];
    readonly wishclient_openDocuments: (a: number, b: number, c: number) => [number, number, number];
    readonly wishclient_pendingCount: (a: number) => number;
    readonly wishclient_rememberServerHeads: (a: number, b: number, c: number, d: number, e: number) => [number, number];
    readonly wishclient_resolveConflict: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly wishclient_standing: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number, number, number];
    readonly wishclient_start: (a: number, b: number) => any;
    readonly wishclient_stationView: (a: number, b: number, c: number) => [number, number, number, number];
    readonly wishclient_syncDetails: (a: number, b: number, c: number) => [number, number, number, number];
    readonly wishclient_takeEffects: (a: number) => any;
    readonly wishclient_tick: (a: number, b: number) => any;
    readonly wishclient_wishAction: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly wishclient_wishDetail: (a: number, b: number, c: number, d: number, e: number) => [number, number, number, number];
    readonly wishclient_wishList: (a: number, b: number, c: number) => [number, number, number, number];
    readonly wishclient_wishWall: (a: number, b: number, c: number) => [number, number, number, number];
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __externref_drop_slice: (a: number, b: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
