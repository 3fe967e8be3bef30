// A volunteer tablet in headless Chromium writes a change the server refuses (an
// assignment "by the server" it may not write), sees the card marked 服务器拒绝 with the
// reason, undoes the local change, and then sees a contact it collected deleted from
// IndexedDB when the server deletes it.
//
//   node tablet-refused.mjs --url http://127.0.0.1:PORT --code WISH-... --admin-token T
//       --artifacts DIR [--chromium /usr/bin/chromium] [--timeout-ms 60000]
//
// Prints one JSON line with what was checked; fails (exit code 1, message on stderr) on a
// page error or a check that does not hold within the timeout.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";

function parseArgs(argv) {
  return parseFlags(argv, {
    names: { "--url": "url", "--code": "code", "--admin-token": "adminToken", "--artifacts": "artifacts" },
    required: ["url", "code", "adminToken", "artifacts"],
    defaults: { timeoutMs: 60000 },
  });
}

/** How many IndexedDB keys `[doc, ...]` the tablet stores (runs in the page). */
function storedKeys(doc) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("wish-station");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const count = db.transaction("chunks").objectStore("chunks").count(IDBKeyRange.bound([doc], [doc, []]));
      count.onsuccess = () => { db.close(); resolve(count.result); };
      count.onerror = () => reject(count.error);
    };
  });
}

async function enroll(page, base, code) {
  await page.goto(base);
  await page.getByTestId("enroll-code").fill(code);
  await page.getByTestId("enroll-name").fill("平板R");
  await page.getByTestId("enroll-submit").click();
  await page.waitForSelector("[data-testid=status-pill][data-state=online]");
}

async function collect(page) {
  const title = "测试：门口台阶要修";
  await page.evaluate(() => { location.hash = "#/collect"; });
  await page.getByTestId("collect-form").waitFor();
  await page.getByTestId("collect-consent_given").check();
  const fields = { title, name: "李桂芳", phone: "13900139000", room: "101", compound: "幸福里", building: "2栋", text: "门口台阶塌了一块。" };
  for (const [name, value] of Object.entries(fields)) await page.getByTestId(`collect-${name}`).fill(value);
  await page.getByTestId("collect-save").click();
  await page.waitForSelector(`[data-testid=detail-title]:text-is("${title}")`);
  return page.getAttribute("[data-testid=wish-detail]", "data-doc");
}

/** The forged write: an assignment "by the server" of a claim that does not exist. */
function forge(page, doc, claim) {
  return page.evaluate(({ doc, claim }) => {
    const s = window.wishStation;
    const value = { at: Date.now(), by: "server", by_server: true };
    return s.runtime.run(() => s.client.writeUnchecked(doc, JSON.stringify(["assigned", claim]), JSON.stringify(value)));
  }, { doc, claim });
}

function readLocal(page, doc, path) {
  return page.evaluate(({ doc, path }) => {
    try {
      return JSON.parse(window.wishStation.client.readUnchecked(doc, JSON.stringify(path)));
    } catch {
      return "not held";
    }
  }, { doc, path });
}

async function waitUntil(page, description, predicate, arg, timeout) {
  try {
    await page.waitForFunction(predicate, arg, { timeout, polling: 250 });
  } catch {
    throw new Error(`timed out waiting until ${description}`);
  }
}

async function run(args) {
  mkdirSync(args.artifacts, { recursive: true });
  const problems = [];
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true });
  try {
    const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: "zh-CN" });
    const page = await context.newPage();
    page.setDefaultTimeout(args.timeoutMs);
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && !/WebSocket|Failed to fetch|net::ERR/.test(m.text())) problems.push(`console error: ${m.text()}`);
    });
    const base = new URL("/", args.url).href;
    await enroll(page, base, args.code);
    await page.evaluate(`window.storedKeys = ${storedKeys}`);
    const doc = await collect(page);
    await page.locator("[data-testid=wish-detail] [data-testid=sync-badge][data-saved=true]").waitFor();
    const contact = await page.evaluate((d) => JSON.parse(window.wishStation.client.wishDetail(d, "")).wish.contact, doc);
    if (!contact) throw new Error("the collected wish links no contact");
    await waitUntil(page, "the contact is stored", async (c) => (await window.storedKeys(c)) > 0, contact, args.timeoutMs);

    // The forged assignment is refused: the card and the detail page say so and why.
    const claim = `forged-${Date.now().toString(16)}`;
    await forge(page, doc, claim);
    await page.evaluate(() => { location.hash = "#/wishes"; });
    const mark = page.locator(`[data-testid=wish-card][data-doc="${doc}"] [data-testid=refused]`);
    await mark.waitFor();
    const cardText = await mark.innerText();
    const reason = (await mark.getByTestId("refused-reason").innerText()).trim();
    if (!cardText.includes("服务器拒绝") || !reason) throw new Error(`the card shows ${JSON.stringify(cardText)}`);
    const shots = [join(args.artifacts, "tablet-refused.png")];
    await page.screenshot({ path: shots[0] });
    await page.evaluate((d) => { location.hash = `#/wish/${d}`; }, doc);
    await page.getByTestId("refused-block").waitFor();
    shots.push(join(args.artifacts, "tablet-refused-detail.png"));
    await page.screenshot({ path: shots[1], fullPage: true });
    await page.getByTestId("switch-lang").click();
    await page.waitForSelector("[data-testid=refused-block] :text('Refused by the server')");
    const english = (await page.getByTestId("refused-reason").first().innerText()).trim();
    await page.getByTestId("switch-lang").click();
    await page.waitForSelector("[data-testid=refused-block] :text('服务器拒绝')");

    // Undo: the mark goes and the forged assignment is gone from the local copy.
    await page.getByTestId("undo-local").click();
    await page.waitForSelector(`[data-testid=detail-title]:text-is("测试：门口台阶要修")`);
    await waitUntil(page, "the refusal mark is gone", () => !document.querySelector("[data-testid=refused-block]"), null, args.timeoutMs);
    const forged = await readLocal(page, doc, ["assigned", claim]);
    if (forged !== null) throw new Error(`the forged assignment is still held: ${JSON.stringify(forged)}`);
    await page.evaluate(() => { location.hash = "#/wishes"; });
    await page.locator(`[data-testid=wish-card][data-doc="${doc}"]`).waitFor();
    if (await page.locator(`[data-testid=wish-card][data-doc="${doc}"] [data-testid=refused]`).count()) throw new Error("the card is still marked");

    // The server deletes the contact: every IndexedDB key of it goes.
    const deleted = await fetch(new URL(`/api/v1/contacts/${contact}`, args.url), { method: "DELETE", headers: { authorization: `Bearer ${args.adminToken}` } });
    if (deleted.status !== 202) throw new Error(`DELETE contact: ${deleted.status} ${await deleted.text()}`);
    await waitUntil(page, "the contact's IndexedDB keys are gone", async (c) =>
      (await window.storedKeys(c)) === 0 && !JSON.parse(window.wishStation.client.documentIds()).includes(c), contact, args.timeoutMs);
    const contactKeys = await page.evaluate(storedKeys, contact);

    if (problems.length) throw new Error(problems.join("\n"));
    return { ok: true, doc, contact, reason, english_reason: english, contact_keys_left: contactKeys, screenshots: shots };
  } finally {
    await browser.close();
  }
}

run(parseArgs(process.argv.slice(2)))
  .then((result) => console.log(JSON.stringify(result)))
  .catch((error) => {
    console.error(error.stack ?? String(error));
    process.exit(1);
  });
