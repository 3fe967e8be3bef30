// Two tablets of one station in headless Chromium, through a TCP proxy that can cut the
// network: both go offline, collect wishes, edit the same wish, one claims a wish and
// reloads while offline; the network returns and both converge, every record saved on the
// server, the claim assigned, the conflict listed and then resolved by the coordinator.
//
//   node tablet.mjs --url http://127.0.0.1:PORT --code-a WISH-... --code-b WISH-...
//       --artifacts DIR [--chromium /usr/bin/chromium] [--timeout-ms 90000]
//
// Tablet A is a volunteer, tablet B the station's coordinator. Prints one JSON line with
// what was checked; fails (exit code 1, message on stderr) on any page error or a check
// that does not hold within the timeout.

import { mkdirSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";

function parseArgs(argv) {
  return parseFlags(argv, {
    names: { "--url": "url", "--code-a": "codeA", "--code-b": "codeB", "--artifacts": "artifacts" },
    required: ["url", "codeA", "codeB", "artifacts"],
    defaults: { timeoutMs: 90000 },
  });
}

/** A loopback TCP proxy to the server whose network can be cut and restored. */
function startProxy(upstream) {
  const { hostname, port } = new URL(upstream);
  const sockets = new Set();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) return client.destroy();
    const remote = net.connect(Number(port), hostname);
    for (const s of [client, remote]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(remote).pipe(client);
    client.on("close", () => remote.destroy());
    remote.on("close", () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve({
      url: `http://127.0.0.1:${server.address().port}/`,
      cut() { cut = true; for (const s of sockets) s.destroy(); },
      restore() { cut = false; },
      close() { server.close(); for (const s of sockets) s.destroy(); },
    }));
  });
}

class Tablet {
  constructor(name, context, page, problems, args) {
    Object.assign(this, { name, context, page, problems, args });
  }

  static async open(browser, base, code, name, problems, args) {
    const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: "zh-CN" });
    const page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`${name}: page error: ${e.message}`));
    const log = [];
    page.on("console", (m) => {
      log.push(`${m.type()}: ${m.text()}`);
      // Failed connections while the network is cut are expected; nothing else is.
      if (m.type() === "error" && !/WebSocket|ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR/.test(m.text())) {
        problems.push(`${name}: console error: ${m.text()}`);
      }
    });
    page.setDefaultTimeout(args.timeoutMs);
    await page.goto(base);
    await page.getByTestId("enroll-code").fill(code);
    await page.getByTestId("enroll-name").fill(`平板${name}`);
    await page.getByTestId("enroll-submit").click();
    await page.waitForSelector("[data-testid=status-pill][data-state=online]");
    // The service worker must hold the shell before the network goes. A page that loaded
    // while the worker was still installing is controlled once it claims its clients; if
    // Chromium has not handed the page over after a while, a reload (as a user would make)
    // loads it through the active worker.
    const controlled = () => page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
    if (!(await controlled().then(() => true, () => false))) {
      await page.reload();
      await page.waitForSelector("[data-testid=status-pill]");
      await controlled().catch(async () => {
        const state = await page.evaluate(async () => {
          const r = await navigator.serviceWorker.getRegistration();
          return JSON.stringify({ installing: r?.installing?.state, waiting: r?.waiting?.state, active: r?.active?.state });
        });
        throw new Error(`${name}: no service worker controls the page: ${state}\n${log.join("\n")}`);
      });
    }
    return new Tablet(name, context, page, problems, args);
  }

  go(route) {
    return this.page.evaluate((r) => { location.hash = `#/${r}`; }, route);
  }

  async waitUntil(description, predicate, arg) {
    try {
      await this.page.waitForFunction(predicate, arg, { timeout: this.args.timeoutMs, polling: 250 });
    } catch {
      throw new Error(`${this.name}: timed out waiting until ${description}`);
    }
  }

  card(title) {
    return this.page.locator(`[data-testid=wish-card][data-title="${title}"]`);
  }

  async collect(fields) {
    await this.go("collect");
    const form = this.page.getByTestId("collect-form");
    await form.waitFor();
    if (fields.consent) await this.page.getByTestId("collect-consent_given").check();
    for (const [name, value] of Object.entries(fields.text)) {
      await this.page.getByTestId(`collect-${name}`).fill(value);
    }
    await this.page.getByTestId("collect-save").click();
    await this.page.waitForSelector(`[data-testid=detail-title]:text-is("${fields.text.title}")`);
    return this.page.getAttribute("[data-testid=wish-detail]", "data-doc");
  }

  async openWish(doc) {
    await this.go(`wish/${doc}`);
    await this.page.waitForSelector(`[data-testid=wish-detail][data-doc="${doc}"]`);
  }

  async action(doc, name) {
    await this.openWish(doc);
    await this.page.getByTestId(`action-${name}`).click();
  }

  async editTitle(doc, title) {
    await this.action(doc, "edit");
    await this.page.getByTestId("edit-title").fill(title);
    await this.page.getByTestId("form-submit").click();
    await this.page.waitForSelector(`[data-testid=detail-title]:text-is("${title}")`);
  }

  /** Every wish card saved on the server and nothing left to upload. */
  async waitSynced(titles) {
    await this.go("wishes");
    await this.waitUntil(`${titles.join(", ")} are listed and every record is saved on the server`, (expected) => {
      const cards = [...document.querySelectorAll("[data-testid=wish-card]")];
      const listed = new Set(cards.map((c) => c.dataset.title));
      return expected.every((t) => listed.has(t)) &&
        cards.every((c) => c.querySelector("[data-testid=sync-badge]")?.dataset.saved === "true") &&
        document.querySelector("[data-testid=status-pill]")?.dataset.pending === "0";
    }, titles);
  }

  async screenshot(name, fullPage = false) {
    const path = join(this.args.artifacts, `tablet-${name}.png`);
    await this.page.screenshot({ path, fullPage });
    return path;
  }
}

/**
 * Once the tablet has kept its current wish rows, rewrites the kept row of `doc` with an
 * older title, and records (from the next page load on) every wish card title drawn.
 */
async function keepStaleRow(tablet, doc, oldTitle) {
  const meta = (fn, arg) => tablet.page.evaluate(fn, arg);
  await tablet.waitUntil("the tablet has kept its wish rows", () => new Promise((resolve) => {
    const s = window.wishStation;
    const open = indexedDB.open("wish-station");
    open.onsuccess = () => {
      const get = open.result.transaction("meta").objectStore("meta").get("wish-rows");
      get.onsuccess = () => resolve(get.result?.rows === s.client.wishList(s.device.person));
    };
  }));
  await meta(([doc, oldTitle]) => new Promise((resolve, reject) => {
    const open = indexedDB.open("wish-station");
    open.onsuccess = () => {
      const store = open.result.transaction("meta", "readwrite").objectStore("meta");
      const get = store.get("wish-rows");
      get.onsuccess = () => {
        const rows = JSON.parse(get.result.rows).map((r) => (r.doc === doc ? { ...r, title: oldTitle } : r));
        store.put({ ...get.result, rows: JSON.stringify(rows) }, "wish-rows").onsuccess = () => resolve();
      };
      get.onerror = () => reject(get.error);
    };
  }), [doc, oldTitle]);
  await tablet.context.addInitScript(() => {
    window.__titlesSeen = new Set();
    new MutationObserver(() => {
      for (const card of document.querySelectorAll("[data-testid=wish-card]")) window.__titlesSeen.add(card.dataset.title);
    }).observe(document, { childList: true, subtree: true });
  });
}

async function run(args) {
  mkdirSync(args.artifacts, { recursive: true });
  const problems = [];
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true });
  const proxy = await startProxy(args.url);
  const shots = [];
  const timings = {};
  try {
    const a = await Tablet.open(browser, proxy.url, args.codeA, "A", problems, args);
    const b = await Tablet.open(browser, proxy.url, args.codeB, "B", problems, args);

    // Online: the coordinator collects a wish and publishes it to the wall; the volunteer
    // collects another.
    const toClaim = "测试：帮忙修理门锁";
    const shared = "测试：楼道灯不亮";
    const claimDoc = await b.collect({ text: { title: toClaim, compound: "幸福里", building: "3栋", text: "门锁坏了，打不开。" } });
    for (const step of ["verify", "publish"]) {
      await b.action(claimDoc, step);
      await b.page.waitForSelector(`[data-testid=status][data-status="${step === "verify" ? "verified" : "published"}"]`);
    }
    // The volunteer collects the wish both will edit: its collector and the station's
    // coordinator are the two who may change its details.
    const sharedDoc = await a.collect({ text: { title: shared, compound: "幸福里", building: "5栋", text: "三楼楼道灯不亮。" } });
    await b.waitSynced([toClaim, shared]);
    await a.waitSynced([toClaim, shared]);
    shots.push(await b.screenshot("detail"));

    // The network goes for both tablets.
    proxy.cut();
    await Promise.all([a.context.setOffline(true), b.context.setOffline(true)]);
    for (const t of [a, b]) {
      await t.waitUntil("the tablet shows it is offline", () => document.querySelector("[data-testid=status-pill]")?.dataset.state !== "online");
    }

    // Offline: each collects a wish, both edit the same wish, A claims from the wall.
    const fromA = "A：独居老人需要上门问诊";
    const fromB = "B：想学用智能手机";
    await a.collect({ consent: true, text: { title: fromA, name: "王秀兰", phone: "13800138000", room: "302", compound: "幸福里", building: "9栋", text: "腿脚不便，想请医生上门看看。" } });
    shots.push(await a.screenshot("collect-offline-detail"));
    await b.collect({ text: { title: fromB, compound: "南苑新村", building: "1栋", text: "想学用手机视频通话。" } });
    await a.editTitle(sharedDoc, `${shared}（A）`);
    await b.editTitle(sharedDoc, `${shared}（B）`);
    await a.go("wall");
    const wallCard = a.page.locator(`[data-testid=wall-card][data-doc="${claimDoc}"]`);
    // The wall's filters: a module the wish is not in hides it, its compound keeps it.
    await wallCard.waitFor();
    await a.page.getByTestId("wall-filter-module").selectOption("law");
    await wallCard.waitFor({ state: "detached" });
    await a.page.getByTestId("wall-filter-module").selectOption("");
    await a.page.getByTestId("wall-filter-compound").selectOption("幸福里");
    await wallCard.waitFor();
    shots.push(await a.screenshot("wall-filters"));
    await a.page.getByTestId("wall-filter-compound").selectOption("");
    await wallCard.getByTestId("claim").click();
    await wallCard.locator("[data-testid=my-claim][data-state=pending]").waitFor();
    shots.push(await a.screenshot("wall-claim-pending"));
    await a.go("wishes");
    await a.card(fromA).locator("[data-testid=sync-badge][data-saved=false]").waitFor();
    shots.push(await a.screenshot("wishes-offline"));

    // A reloads with no network: the service worker serves the app, IndexedDB the data.
    // The list is drawn first from the rows kept in IndexedDB; here they are made to lag
    // behind the offline edit (a tablet closed before it rewrote them): the stale row must
    // be drawn, then replaced once its document is loaded.
    await keepStaleRow(a, sharedDoc, shared);
    await a.page.reload();
    await a.page.waitForSelector("[data-testid=status-pill]");
    await a.go("wishes");
    await a.card(fromA).locator("[data-testid=sync-badge][data-saved=false]").waitFor();
    await a.card(`${shared}（A）`).waitFor();
    const seen = await a.page.evaluate(() => [...window.__titlesSeen]);
    if (!seen.includes(shared)) throw new Error(`A: the kept rows were not drawn first (titles seen: ${seen.join(", ")})`);
    if ((await a.card(shared).count()) !== 0) throw new Error("A: the stale kept row was not replaced by its document");
    timings.kept_row_replaced = true;
    await a.openWish(sharedDoc);
    await a.page.waitForSelector(`[data-testid=detail-title]:text-is("${shared}（A）")`);
    await a.go("wall");
    await a.page.locator(`[data-testid=wall-card][data-doc="${claimDoc}"] [data-testid=my-claim][data-state=pending]`).waitFor();
    shots.push(await a.screenshot("reloaded-offline"));

    // The network returns: both converge and every record is saved on the server.
    const back = Date.now();
    proxy.restore();
    await Promise.all([a.context.setOffline(false), b.context.setOffline(false)]);
    const everything = [toClaim, fromA, fromB];
    await Promise.all([a.waitSynced(everything), b.waitSynced(everything)]);
    timings.converged_ms = Date.now() - back;
    shots.push(await a.screenshot("wishes-synced"));

    // The offline claim was arbitrated by the server: pending, then assigned.
    await a.go("wall");
    await a.page.locator(`[data-testid=wall-card][data-doc="${claimDoc}"] [data-testid=my-claim][data-state=assigned]`).waitFor();
    shots.push(await a.screenshot("wall-claim-assigned"));

    // Both tablets show the concurrent titles as a conflict; the coordinator chooses.
    for (const t of [a, b]) {
      await t.openWish(sharedDoc);
      await t.page.locator('[data-testid=conflict][data-path="title"]').waitFor();
    }
    shots.push(await b.screenshot("detail-conflict", true));
    await b.page.locator('[data-testid=conflict][data-path="title"] .conflict-value', { hasText: `${shared}（B）` }).getByTestId("choose").click();
    for (const t of [a, b]) {
      await t.openWish(sharedDoc);
      await t.waitUntil("the conflict is resolved to B's title", (title) =>
        !document.querySelector("[data-testid=conflict]") &&
        document.querySelector("[data-testid=detail-title]")?.textContent === title, `${shared}（B）`);
    }

    // The other screens, for the record (and in English once).
    for (const [route, name] of [["roster", "roster"], ["me", "me"], ["sync", "sync-panel"], ["collect", "collect-form"]]) {
      await a.go(route);
      await a.page.waitForTimeout(300);
      shots.push(await a.screenshot(name, name === "collect-form"));
    }
    await a.page.getByTestId("switch-lang").click();
    await a.go("wishes");
    await a.page.waitForSelector("text=Station wishes");
    shots.push(await a.screenshot("wishes-english"));
    await a.page.setViewportSize({ width: 1280, height: 800 });
    shots.push(await a.screenshot("wishes-1280x800"));

    if (problems.length) throw new Error(problems.join("\n"));
    return { ok: true, claim_doc: claimDoc, shared_doc: sharedDoc, collected: [fromA, fromB], resolved_title: `${shared}（B）`, timings, screenshots: shots };
  } finally {
    proxy.close();
    await browser.close();
  }
}

run(parseArgs(process.argv.slice(2)))
  .then((result) => console.log(JSON.stringify(result)))
  .catch((error) => {
    console.error(error.stack ?? String(error));
    process.exit(1);
  });
