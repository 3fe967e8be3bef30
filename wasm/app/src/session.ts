// The enrolled tablet: its identity, the wasm client with its documents, the sync runtime,
// and what the screens read. Screens call `changed` listeners to redraw.

import init, { WishClient } from "../pkg/wish_wasm.js";
import { followed, refusals, type Device } from "./api.js";
import { coveredCommunities } from "./manage_api.js";
import { SyncRuntime, type SyncEvent } from "./sync/runtime.js";
import type { Store } from "./sync/store.js";
import type { Community, Contact, Standing, Station, WallFilter, WishDetail, WishRow } from "./views.js";

export interface Identity {
  token: string;
  device: Device;
  peerId: string;
  storageId: string;
}

/** How often the tablet asks the server for wishes other tablets collected. */
const DISCOVERY_MS = 10_000;
/** How often the tablet asks the server which of its changes it refused. */
const REFUSALS_MS = 60_000;
/** The shortest time between two redraws caused by sync. */
const REDRAW_MS = 300;
/** Redraws are spaced by at least this many times the last one's duration. */
const REDRAW_SHARE_INVERSE = 4;
/** The wish list rows as the wasm client last computed them, kept in IndexedDB so a warm
 *  start draws the list before every document is loaded (see `keepRowsSoon`). */
const ROWS_KEY = "wish-rows";
/** The kept rows are rewritten once nothing changed for this long… */
const KEEP_ROWS_MS = 2_000;
/** …or, while sync keeps changing documents, this long after the first change (a big
 *  station's rows are ~2.5 MB). Rows a redraw computed this recently are reused rather
 *  than computed again (~150 ms); the kept rows are refreshed from the documents at the
 *  next start anyway. */
const ROWS_FRESH_MS = 10_000;
/** Documents loaded into the wasm client between two yields to the page. */
const LOAD_CHUNK = 250;
/** The community a 街道 last chose to work in (see `communityId`). */
const WORKING_KEY = "working-community";

interface KeptRows {
  person: string;
  rows: string;
}

export class Session {
  connection = "offline";
  lastSavedAt: number | null = null;
  ledger: string | null = null;
  workOffline = false;
  /** The communities a 街道 (office) device covers, id → name, once asked (管理). */
  covered: Record<string, string> | null = null;
  private askingCovered: Promise<void> | null = null;
  /** The community a 街道 works in now when not its own (chosen on 管理). */
  private working: string | null = null;
  private listeners = new Set<() => void>();
  private redraw = 0;
  private lastDraw = 0;
  /** How long the last redraw took, in ms. */
  private drawCost = 0;
  private following = 0;
  /** Stored documents are still being loaded: screens wait (the wish list shows the kept
   *  rows meanwhile), sync has not started. */
  loading = true;
  /** Resolves once every stored document is loaded and sync started. */
  ready: Promise<void> = Promise.resolve();
  /** The rows kept at the last run, shown until the documents are loaded. */
  private keptRows: WishRow[] | null = null;
  /** The last rows the wasm client computed, and whether a change may have outdated them. */
  private rowsJson: string | null = null;
  private rowsAt = 0;
  /** When the first change not yet in the kept rows happened (0: none). */
  private unkeptSince = 0;
  private rowsDirty = true;
  private keptJson: string | null = null;
  private keepTimer = 0;
  private discovery: ReturnType<typeof setInterval> | null = null;
  private refusalPoll: ReturnType<typeof setInterval> | null = null;
  readonly runtime: SyncRuntime;

  private constructor(
    readonly store: Store,
    readonly identity: Identity,
    readonly client: WishClient,
  ) {
    const url = () => {
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      return `${scheme}://${location.host}/sync?token=${encodeURIComponent(identity.token)}`;
    };
    this.runtime = new SyncRuntime(client, store, url, (e) => this.onEvent(e), (e) => console.error(e));
    // The tab may be closed or frozen soon: keep the rows as they are now.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.keepRows(true);
    });
    // The browser saw the network come back: retry now rather than at the next backoff.
    window.addEventListener("online", () => {
      if (!this.workOffline) this.runtime.start();
    });
  }

  /** Loads the wasm client and the kept wish rows; the stored documents load in the
   *  background (`ready`), then sync starts. A big station's tablet holds ~10,000
   *  documents: loading them takes seconds, the kept rows draw its list at once. */
  static async open(store: Store, identity: Identity): Promise<Session> {
    await init({ module_or_path: new URL("./wish_wasm_bg.wasm", document.baseURI) });
    const seed = crypto.getRandomValues(new Uint32Array(1))[0];
    const client = new WishClient(identity.peerId, identity.storageId, seed);
    const session = new Session(store, identity, client);
    const kept = await store.getMeta<KeptRows>(ROWS_KEY);
    if (kept?.person === identity.device.person) {
      session.keptRows = JSON.parse(kept.rows) as WishRow[];
      session.keptJson = kept.rows;
    }
    session.ready = session.load();
    return session;
  }

  private async load(): Promise<void> {
    await this.restore();
    // Marks for the tablet bench (tests/js/tablet-bench.mjs): where a warm start goes.
    performance.mark("wish-station:restored");
    this.workOffline = (await this.store.getMeta<boolean>("work-offline")) ?? false;
    this.loading = false;
    this.keptRows = null;
    if (!this.workOffline) this.runtime.start();
    await this.runtime.run(() => this.follow());
    performance.mark("wish-station:followed");
    // Every row now comes from its document.
    this.changed();
  }

  /** Whether the wish list can be drawn now (from the documents, or the kept rows). */
  get listReady(): boolean {
    return !this.loading || this.keptRows !== null;
  }

  private async restore(): Promise<void> {
    const docs = await this.store.loadDocuments();
    performance.mark("wish-station:read");
    let loaded = 0;
    for (const [doc, entries] of docs) {
      this.client.loadDocument(doc, entries);
      // Let the page draw and take taps between chunks.
      if (++loaded % LOAD_CHUNK === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const heads = await this.store.metaWithPrefix<string[]>("heads:");
    for (const [key, value] of heads) {
      const doc = key.slice("heads:".length);
      if (docs.has(doc)) this.client.rememberServerHeads(doc, value);
    }
    const kept = await this.store.getMeta<string>("refusals");
    if (kept) this.client.addRefusals(kept);
    this.lastSavedAt = (await this.store.getMeta<number>("last-saved")) ?? null;
    this.working = (await this.store.getMeta<string>(WORKING_KEY)) ?? null;
    this.ledger = await this.keptLedger();
  }

  get device(): Device {
    return this.identity.device;
  }

  /** The community the screens show and write: a 街道's chosen one of those it covers
   *  (管理 → 当前社区), otherwise the device's own; `ledger` is that community's. */
  get communityId(): string {
    return this.device.role === "office" && this.working ? this.working : this.device.community;
  }

  /** A 街道 starts working in `community` (one it covers): its directory, stations and
   *  wishes are followed, and every screen shows and writes that community. */
  async workIn(community: string): Promise<void> {
    this.working = community === this.device.community ? null : community;
    await this.store.setMeta(WORKING_KEY, this.working);
    this.ledger = await this.keptLedger();
    await this.runtime.run(() => this.follow());
    this.changed();
    void this.discover();
  }

  /** The ledger kept for the community shown (the own one's under its old key too). */
  private async keptLedger(): Promise<string | null> {
    const kept = await this.store.getMeta<string>(`ledger:${this.communityId}`);
    if (kept || this.communityId !== this.device.community) return kept ?? null;
    return (await this.store.getMeta<string>("ledger")) ?? null;
  }

  /** Asks the server once which communities this 街道 covers (`forget` after adding one). */
  askCovered(forget = false): Promise<void> {
    if (forget) this.askingCovered = null;
    this.askingCovered ??= coveredCommunities(this.identity.token).then((names) => {
      this.covered = names;
      this.changed();
    }, (error) => {
      this.askingCovered = null;
      console.warn("covered communities not available", error);
    });
    return this.askingCovered;
  }

  get isCoordinator(): boolean {
    return ["coordinator", "office", "administrator"].includes(this.device.role);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Redraws at most every `REDRAW_MS` however many events arrive (a fresh tablet
   *  receives thousands of documents in a few seconds), and never more than a quarter of
   *  the time: with a big station one redraw takes a few hundred ms, and redrawing every
   *  `REDRAW_MS` would leave little time to sync. */
  changed(): void {
    this.rowsChanged();
    if (this.redraw) return;
    const spacing = Math.max(REDRAW_MS, REDRAW_SHARE_INVERSE * this.drawCost);
    const wait = Math.max(0, this.lastDraw + spacing - Date.now());
    this.redraw = window.setTimeout(() => {
      requestAnimationFrame(() => {
        this.redraw = 0;
        const started = performance.now();
        for (const listener of this.listeners) listener();
        this.drawCost = performance.now() - started;
        this.lastDraw = Date.now();
      });
    }, wait);
  }

  private onEvent(event: SyncEvent): void {
    switch (event.type) {
      case "connected":
        this.connection = "online";
        void this.discover();
        this.discovery ??= setInterval(() => void this.discover(), DISCOVERY_MS);
        void this.pollRefusals();
        this.refusalPoll ??= setInterval(() => void this.pollRefusals(), REFUSALS_MS);
        break;
      case "disconnected":
        this.connection = event.retry_at === null ? "offline" : "connecting";
        if (this.discovery) clearInterval(this.discovery);
        if (this.refusalPoll) clearInterval(this.refusalPoll);
        this.discovery = null;
        this.refusalPoll = null;
        break;
      case "refused":
        void this.keepRefusals();
        break;
      case "forgotten":
        void this.store.deleteMeta(`heads:${event.doc}`);
        break;
      case "saved":
        this.lastSavedAt = Date.now();
        // Not flushed to disk (lost, they cost a re-sync, not data): two flushed
        // transactions per document of a cold sync added ~0.8 s to the time IndexedDB
        // takes to hold every document (BENCHMARKS.md, issue 17 fourth round). One
        // transaction per event: batching them across events slowed the cold sync in
        // every run of the third round.
        void this.store.setHints([
          [`heads:${event.doc}`, event.heads],
          ["last-saved", this.lastSavedAt],
        ]);
        break;
      case "doc-changed":
        this.followSoon();
        break;
      case "problem":
        console.warn("sync problem:", event.message);
        break;
      case "unavailable":
        break;
    }
    this.changed();
  }

  /** Follows links of changed documents (new stations, new wishes in an index). */
  private followSoon(): void {
    if (this.following) return;
    this.following = window.setTimeout(() => {
      this.following = 0;
      void this.runtime.run(() => this.follow());
    }, 200);
  }

  /** Follows the community's links: stations and their wishes (the office: every
   *  station, to keep their rosters); a shared station tablet (which may read no wish)
   *  only its station. */
  private follow(): number {
    const all = this.device.role === "office" ? Object.keys(this.community()?.stations ?? {}) : this.device.stations;
    const stations = JSON.stringify(all);
    return this.device.role === "station_tablet"
      ? this.client.followStations(this.communityId, stations)
      : this.client.followLinks(this.communityId, stations);
  }

  /** Asks the server which wishes this tablet should hold, and follows the new ones. */
  async discover(): Promise<void> {
    try {
      const found = await followed(this.identity.token, this.communityId);
      const shown = found.community === this.communityId;
      if (found.ledger && shown && found.ledger !== this.ledger) {
        this.ledger = found.ledger;
        await this.store.setMeta(`ledger:${found.community}`, found.ledger);
      }
      const docs = found.ledger ? [...found.wishes, found.ledger] : found.wishes;
      await this.runtime.run(() => this.client.openDocuments(JSON.stringify(docs)));
    } catch (error) {
      console.warn("discovery failed", error);
    }
  }

  /** Asks the server which changes of this device it refused (a tablet may have missed
   *  the live signal); the wasm client keeps those that apply to documents held. */
  async pollRefusals(): Promise<void> {
    try {
      const added = this.client.addRefusals(await refusals(this.identity.token));
      if (added > 0) {
        await this.keepRefusals();
        this.changed();
      }
    } catch (error) {
      console.warn("refusals not available", error);
    }
  }

  /** Keeps the refusals in IndexedDB, so a reload offline still shows them. */
  private keepRefusals(): Promise<void> {
    return this.store.setMeta("refusals", this.client.refusalsJson());
  }

  /** Undoes a refused local change: discards the local copy and fetches the server's. */
  async undoLocal(doc: string): Promise<void> {
    await this.runtime.run(() => this.client.refetchDocument(doc));
    await this.keepRefusals();
    this.changed();
  }

  setWorkOffline(offline: boolean): void {
    this.workOffline = offline;
    void this.store.setMeta("work-offline", offline);
    if (offline) this.runtime.goOffline();
    else this.runtime.start();
  }

  // ---- reading ----

  wishes(): WishRow[] {
    if (this.loading) return this.keptRows ?? [];
    return JSON.parse(this.computeRows()) as WishRow[];
  }

  private computeRows(): string {
    this.rowsJson = this.client.wishList(this.device.person);
    this.rowsAt = Date.now();
    this.rowsDirty = false;
    return this.rowsJson;
  }

  /** Rewrites the kept rows a little after a change (once per `KEEP_ROWS_MS` during a
   *  burst of sync), reusing the rows the last redraw computed when nothing changed since. */
  private keepRowsSoon(): void {
    if (this.loading) return;
    const now = Date.now();
    this.unkeptSince ||= now;
    if (this.keepTimer) window.clearTimeout(this.keepTimer);
    const wait = Math.min(KEEP_ROWS_MS, this.unkeptSince + ROWS_FRESH_MS - now);
    this.keepTimer = window.setTimeout(() => {
      this.keepTimer = 0;
      this.keepRows();
    }, Math.max(0, wait));
  }

  private keepRows(exact = false): void {
    if (this.loading) return;
    const recent = this.rowsJson !== null && Date.now() - this.rowsAt < ROWS_FRESH_MS;
    let json: string;
    this.unkeptSince = 0;
    if (this.rowsJson !== null && (!this.rowsDirty || (recent && !exact))) {
      json = this.rowsJson;
      // Still changing: write the settled rows later.
      if (this.rowsDirty) this.keepRowsSoon();
    } else {
      json = this.computeRows();
    }
    if (json === this.keptJson) return;
    this.keptJson = json;
    void this.store.setMeta(ROWS_KEY, { person: this.device.person, rows: json } satisfies KeptRows);
  }

  /** The wall, narrowed by a `WallFilter` (see `client-core/src/model/wall.rs`). */
  wall(filter: WallFilter = {}): WishRow[] {
    return JSON.parse(this.client.wishWall(this.device.person, JSON.stringify(filter))) as WishRow[];
  }

  wish(doc: string): WishDetail | null {
    try {
      return JSON.parse(this.client.wishDetail(doc, this.device.person)) as WishDetail;
    } catch {
      return null;
    }
  }

  community(): Community | null {
    return this.read<Community>(() => this.client.communityView(this.communityId));
  }

  station(doc: string): Station | null {
    return this.read<Station>(() => this.client.stationView(doc));
  }

  contact(doc: string): Contact | null {
    return this.read<Contact>(() => this.client.contactView(doc));
  }

  standing(): Standing | null {
    return this.read<Standing>(() =>
      this.client.standing(this.communityId, this.ledger ?? undefined, this.device.person),
    );
  }

  pendingCount(): number {
    return this.client.pendingCount();
  }

  documentCount(): number {
    return (JSON.parse(this.client.documentIds()) as string[]).length;
  }

  /** A person's (or partner unit's) name from the community directory, or the id. */
  personName(id: string): string {
    const community = this.community();
    return community?.people[id]?.name ?? community?.units[id]?.name ?? id;
  }

  private read<T>(view: () => string): T | null {
    try {
      return JSON.parse(view()) as T;
    } catch {
      return null;
    }
  }

  // ---- writing ----

  /** Who appends an entry now: a fresh id, this person and device, the time. */
  stamp(): string {
    return JSON.stringify({
      id: randomHex(16),
      by: this.device.person,
      device: this.device.device_id,
      now_ms: Date.now(),
    });
  }

  act(doc: string, action: Record<string, unknown>): Promise<void> {
    return this.runtime
      .run(() => this.client.wishAction(doc, this.stamp(), JSON.stringify(action)))
      .finally(() => this.rowsChanged());
  }

  /** A local change (sync reports only received ones): the kept rows are rewritten soon. */
  private rowsChanged(): void {
    this.rowsDirty = true;
    this.keepRowsSoon();
  }

  async collect(card: Record<string, unknown>): Promise<{ wish_doc: string; contact_doc: string | null }> {
    const input = {
      ...card,
      wish_id: randomHex(16),
      community: this.communityId,
      collected_by: this.device.person,
      device: this.device.device_id,
      event_id: randomHex(16),
      now_ms: Date.now(),
    };
    const wishBytes = crypto.getRandomValues(new Uint8Array(16));
    const contactBytes = crypto.getRandomValues(new Uint8Array(16));
    const json = await this.runtime
      .run(() => this.client.collectWish(JSON.stringify(input), wishBytes, contactBytes))
      .finally(() => this.rowsChanged());
    return JSON.parse(json);
  }

  /** Opens a linked document (a contact) the tablet does not hold yet. */
  fetch(doc: string): Promise<void> {
    return this.runtime.run(() => this.client.openDocument(doc));
  }
}

export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
}
