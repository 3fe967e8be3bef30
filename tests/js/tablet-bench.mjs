// Measures how long a fresh tablet takes, in headless Chromium, to hold and have saved on
// the server every wish of its station (the tablet app at /, enrolled with a code).
//
//   node tablet-bench.mjs --url http://127.0.0.1:PORT --token ADMIN --station center
//       [--community ID] [--person p05] [--chromium /usr/bin/chromium] [--runs 3]
//
// Each run uses a new browser context (empty IndexedDB, no service worker) and a new
// enrollment code from the admin token. Prints one JSON line with every run's timings:
// enroll_ms (code submitted → app started), then from app start: online_ms, held_ms (every
// station wish is in the tablet), synced_ms (every one saved on the server, nothing pending).

import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./browser.mjs";

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
  await context.close();
  if (errors.length) throw new Error(errors.join("\n"));
  return { enroll_ms: started - submitted, ...at, documents_held: held };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const page = await api(args, `/api/v1/office/wishes?station=${args.station}&per_page=1`);
  const expected = page.total;
  if (expected === 0) throw new Error(`station ${args.station} has no wishes`);
  args.community ??= page.items[0].community;
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true });
  try {
    const runs = [];
    for (let i = 0; i < args.runs; i++) runs.push(await oneRun(browser, args, expected));
    const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  console.log(JSON.stringify({ station: args.station, station_wishes: expected, median_synced_ms: median("synced_ms"), runs }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error.stack ?? String(error));
  process.exit(1);
});
