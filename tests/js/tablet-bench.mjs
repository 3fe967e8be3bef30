// Measures how long a fresh tablet takes, in headless Chromium, to hold and have saved on
// the server every wish of its station (the tablet app at /, enrolled with a code).
//
//   node tablet-bench.mjs --url http://127.0.0.1:PORT --token ADMIN --station center
//       [--community ID] [--person p05] [--chromium /usr/bin/chromium] [--runs 3]
//
// Each run uses a new browser context (empty IndexedDB, no service worker) and a new
// enrollment code from the admin token. Prints one JSON line with every run's timings:
// enroll_ms (code submitted → app started), then from app start: online_ms, held_ms (every
// station wish is in the tablet), synced_ms (every one saved on the server, nothing pending),
// stored_ms (IndexedDB holds a chunk of every document held).
// Then, in the same context (the documents now in IndexedDB): warm start (a reload, from
// navigation to IndexedDB read, documents loaded, links followed, the first wish cards
// drawn (from_kept_rows: drawn from the rows kept in IndexedDB while the documents load)
// and every wish held from its document), one full redraw of the
// wish list, frame times while scrolling it (first the cards drawn at first, then with
// SCROLL_CARDS cards shown through "more"), and the tab's memory (V8 heap from Chromium's
// Performance.getMetrics, and the resident size of the renderer processes).

import { chromium } from "playwright-core";
import { readdirSync, readFileSync } from "node:fs";
import { CHROMIUM_ARGS } from "./browser.mjs";

/** Cards shown (through "more") for the second scroll measurement. */
const SCROLL_CARDS = 1000;
/** Frames measured per scroll. */
const SCROLL_FRAMES = 240;

function parseArgs(argv) {
  const args = { chromium: "/usr/bin/chromium", runs: 3, person: "p05" };
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, "")] = argv[i + 1];
  for (const required of ["url", "token", "station"]) {
    if (!args[required]) throw new Error(`--${required} is required`);
  }
  args.runs = Number(args.runs);
  return args;
}

async function api(args, path, body) {
  const response = await fetch(new URL(path, args.url), {
    method: body ? "POST" : "GET",
    headers: { authorization: `Bearer ${args.token}`, "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function oneRun(browser, args, expected) {
  const { code } = await api(args, "/api/v1/enrollments", {
    role: "volunteer", person: args.person, community: args.community, stations: [args.station],
  });
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, serviceWorkers: "block" });
  const page = await context.newPage();
  page.setDefaultTimeout(120000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(args.url);
  await page.getByTestId("enroll-code").fill(code);
  const submitted = Date.now();
  await page.getByTestId("enroll-submit").click();
  await page.waitForFunction(() => window.wishStation !== undefined);
  const started = Date.now();
  const at = {};
  const poll = async (name, predicate) => {
    await page.waitForFunction(predicate, [args.station, expected], { polling: 50 });
    at[name] = Date.now() - started;
  };
  await poll("online_ms", () => window.wishStation.connection === "online");
  await poll("held_ms", ([station, n]) =>
    window.wishStation.wishes().filter((w) => w.station === station).length >= n);
  await poll("synced_ms", ([station, n]) => {
    const s = window.wishStation;
    const mine = s.wishes().filter((w) => w.station === station);
    return mine.length >= n && mine.every((w) => w.saved) && s.pendingCount() === 0;
  });
  const held = await page.evaluate(() => window.wishStation.documentCount());
  // The last received documents may still be on their way to IndexedDB.
  at.documents_stored = await storedDocuments(page, held);
  at.stored_ms = Date.now() - started;
  const warm = await warmStart(page, args.station, expected);
  const redraw_ms = await redrawTime(page);
  const scroll_first = await scrollFrames(page);
  const shown = await showCards(page, SCROLL_CARDS);
  const scroll_more = { cards: shown, ...(await scrollFrames(page)) };
  const memory = await tabMemory(context, page);
  await context.close();
  if (errors.length) throw new Error(errors.join("\n"));
  return { enroll_ms: started - submitted, ...at, documents_held: held, ...warm, redraw_ms, scroll_first, scroll_more, memory };
}

/** Reloads the enrolled app: ms from navigation start to the first wish cards drawn, and
 *  to every station wish held (both read from the page's clock). */
async function warmStart(page, station, expected) {
  await page.reload({ waitUntil: "commit" });
  const first = await page.waitForFunction(
    (s) => document.querySelector("[data-testid=wish-card]") &&
      [performance.now(), window.wishStation.wishes().filter((w) => w.station === s).length, window.wishStation.documentCount(), window.wishStation.loading === true],
    station, { polling: "raf", timeout: 120000 });
  const [at, held, documents, fromKeptRows] = await first.jsonValue();
  const warm_first_screen_ms = Math.round(at);
  const all = await page.waitForFunction(([s, n]) =>
    window.wishStation && !window.wishStation.loading &&
      window.wishStation.wishes().filter((w) => w.station === s).length >= n && performance.now(),
  [station, expected], { polling: 50, timeout: 120000 });
  const marks = await page.evaluate(() => Object.fromEntries(
    ["read", "restored", "followed"].map((m) => [`warm_${m}_ms`, Math.round(performance.getEntriesByName(`wish-station:${m}`)[0]?.startTime ?? -1)])));
  return { warm_first_screen_ms, from_kept_rows: fromKeptRows, held_at_first_screen: held, documents_at_first_screen: documents, ...marks, warm_all_held_ms: Math.round(await all.jsonValue()) };
}

/** Waits until IndexedDB holds the contents of `count` documents (checked every 250 ms,
 *  up to 2 minutes); returns how many it holds. */
async function storedDocuments(page, count) {
  const deadline = Date.now() + 120000;
  for (;;) {
    const stored = await page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open("wish-station");
      open.onsuccess = () => {
        const keys = open.result.transaction("chunks", "readonly").objectStore("chunks").getAllKeys();
        keys.onsuccess = () => {
          // A document is held once one of its chunks is (sync states alone hold nothing).
          const docs = new Set(keys.result.filter((k) => k[1] !== "sync-state").map((k) => k[0]));
          open.result.close();
          resolve(docs.size);
        };
      };
      open.onerror = () => resolve(0);
    }));
    if (stored >= count || Date.now() > deadline) return stored;
    await page.waitForTimeout(250);
  }
}

/** One full redraw of the current screen (what each sync redraw costs), in ms. */
async function redrawTime(page) {
  return page.evaluate(() => {
    const t0 = performance.now();
    window.dispatchEvent(new Event("hashchange"));
    return Math.round((performance.now() - t0) * 10) / 10;
  });
}

/** Presses "more" until `cards` cards are shown (or no "more" is left); returns the count. */
async function showCards(page, cards) {
  for (;;) {
    const count = await page.locator("[data-testid=wish-card]").count();
    const more = page.getByTestId("more");
    if (count >= cards || (await more.count()) === 0) return count;
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=wish-card]").length > n, count);
  }
}

/** Scrolls the page down by 40 px per animation frame from the top; frame-to-frame times. */
async function scrollFrames(page) {
  const deltas = await page.evaluate((frames) => new Promise((resolve) => {
    window.scrollTo(0, 0);
    const times = [];
    const step = (now) => {
      times.push(now);
      if (times.length > frames) {
        resolve(times.slice(1).map((t, i) => t - times[i]));
        return;
      }
      window.scrollBy(0, 40);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }), SCROLL_FRAMES);
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10;
  return { frames: deltas.length, p50_ms: at(0.5), p95_ms: at(0.95), max_ms: at(1), over_50ms: deltas.filter((d) => d > 50).length };
}

/** The tab's V8 heap (Chromium's own metrics) and the renderer processes' resident size. */
async function tabMemory(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("Performance.enable");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
  const mib = (bytes) => Math.round(bytes / 1048576);
  return {
    js_heap_used_mib: mib(metric("JSHeapUsedSize")),
    js_heap_total_mib: mib(metric("JSHeapTotalSize")),
    dom_nodes: metric("Nodes"),
    renderers_rss_mib: mib(renderersRss()),
  };
}

/** A switch Chromium ignores, to find this bench's browser among the machine's processes. */
const MARKER = `--tablet-bench-run=${process.pid}`;

/** Resident bytes of the renderer processes of this bench's browser (only the bench's tab
 *  is open while it runs). */
function renderersRss() {
  const procs = readdirSync("/proc").filter((p) => /^\d+$/.test(p)).map((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
      return { pid, ppid, cmdline: readFileSync(`/proc/${pid}/cmdline`, "utf8") };
    } catch {
      return null; // the process ended while being read
    }
  }).filter(Boolean);
  const ours = new Set(procs.filter((p) => p.cmdline.includes(MARKER)).map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) {
      if (!ours.has(p.pid) && ours.has(p.ppid)) {
        ours.add(p.pid);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const p of procs) {
    if (!ours.has(p.pid) || !p.cmdline.includes("--type=renderer")) continue;
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, "utf8"));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const page = await api(args, `/api/v1/office/wishes?station=${args.station}&per_page=1`);
  const expected = page.total;
  if (expected === 0) throw new Error(`station ${args.station} has no wishes`);
  args.community ??= page.items[0].community;
  const browser = await chromium.launch({ executablePath: args.chromium, args: [...CHROMIUM_ARGS, MARKER], headless: true });
  try {
    const runs = [];
    for (let i = 0; i < args.runs; i++) runs.push(await oneRun(browser, args, expected));
    const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    console.log(JSON.stringify({
      station: args.station, station_wishes: expected,
      median_synced_ms: median("synced_ms"), median_warm_first_screen_ms: median("warm_first_screen_ms"), runs,
    }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
