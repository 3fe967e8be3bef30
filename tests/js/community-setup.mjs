// A newcomer runs a community from the screens only, in headless Chromium: 创建社区 with
// the setup code, the coordinator's browser enrolled on the spot, people imported from an
// XLSX, a volunteer code made on 设备 and redeemed by its text in a second browser
// context, paper wish cards imported from a GB18030 CSV that then show on the volunteer's
// tablet. Each step is a function of the shared context `ctx`, so more steps (people
// added by hand, partner units, the roster, a shared station tablet) slot into STEPS.
//
//   node community-setup.mjs --url http://127.0.0.1:PORT --code SETUP-CODE
//       --people people.xlsx --cards cards.csv --volunteer NAME --station NAME
//       --second-station NAME --names A,B,C,... --artifacts DIR [--chromium /usr/bin/chromium] [--timeout-ms 60000]
//
// Prints one JSON line with what was seen; fails (exit code 1, message on stderr) on a
// page error or a check that does not hold within the timeout.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";

function parseArgs(argv) {
  return parseFlags(argv, {
    names: {
      "--url": "url", "--code": "code", "--people": "people", "--cards": "cards",
      "--volunteer": "volunteer", "--station": "station", "--second-station": "secondStation",
      "--artifacts": "artifacts", "--names": "names",
    },
    required: ["url", "code", "people", "cards", "volunteer", "station", "secondStation", "artifacts"],
    defaults: { timeoutMs: 60000 },
  });
}

/** A tablet-sized page that records page errors and console errors. */
async function newTablet(ctx) {
  const context = await ctx.browser.newContext({ viewport: { width: 1024, height: 1280 }, locale: "zh-CN" });
  const page = await context.newPage();
  page.setDefaultTimeout(ctx.args.timeoutMs);
  page.on("pageerror", (e) => ctx.problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/WebSocket|Failed to fetch|net::ERR|status of 4\d\d/.test(m.text())) ctx.problems.push(`console error: ${m.text()}`);
  });
  return page;
}

async function shot(ctx, page, name) {
  const path = join(ctx.args.artifacts, `setup-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  ctx.screenshots.push(path);
}

async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
}

// ---- the steps ----

/** 创建社区: the fresh server's first screen, two stations, the coordinator enrolled. */
async function setupCommunity(ctx) {
  const page = ctx.coordinator = await newTablet(ctx);
  await page.goto(ctx.base);
  await page.getByTestId("setup-form").waitFor();
  await page.getByTestId("setup-code").fill(ctx.args.code);
  await page.getByTestId("setup-community").fill("和谐社区");
  await page.getByTestId("setup-district").fill("和平街道");
  await page.getByTestId("setup-station-name-0").fill(ctx.args.station);
  await page.getByTestId("setup-station-address-0").fill("和平路12号党群服务中心");
  await page.getByTestId("setup-add-station").click();
  await page.getByTestId("setup-station-name-1").fill(ctx.args.secondStation);
  await page.getByTestId("setup-station-kind-1").selectOption("red_station");
  await page.getByTestId("setup-station-address-1").fill("红星小区3栋架空层");
  await page.getByTestId("setup-person").fill("王芳");
  await shot(ctx, page, "1-create-community");
  await page.getByTestId("setup-submit").click();
  await page.getByTestId("manage-list").waitFor();
  await page.waitForSelector("[data-testid=status-pill][data-state=online]");
  await page.waitForSelector(".brand small:has-text('和谐社区')");
  await shot(ctx, page, "2-manage");
  ctx.seen.setup_done = true;
}

/** 导入人员名单: the XLSX is checked row by row, then imported. */
async function importPeople(ctx) {
  const page = ctx.coordinator;
  await page.getByTestId("manage-import-people").click();
  await page.getByTestId("import-file").setInputFiles(ctx.args.people);
  await page.getByTestId("import-check").click();
  const counts = page.getByTestId("import-counts");
  await counts.waitFor();
  const [good, bad] = [await counts.getAttribute("data-good"), await counts.getAttribute("data-bad")];
  if (good !== "20" || bad !== "0") throw new Error(`people check: ${good} good, ${bad} bad: ${await page.getByTestId("import-rows").innerText()}`);
  await shot(ctx, page, "3-import-people-check");
  await page.getByTestId("import-confirm").click();
  const done = page.getByTestId("import-done");
  await done.waitFor();
  ctx.seen.people_imported = Number(await done.getAttribute("data-imported"));
  await shot(ctx, page, "4-import-people-done");
}

/** 设备: a volunteer code for a person picked by name, shown as QR and text. */
async function issueVolunteerCode(ctx) {
  const page = ctx.coordinator;
  await go(page, "#/devices");
  const person = page.getByTestId("code-person");
  // The imported people reach this browser by sync.
  await page.waitForSelector(`[data-testid=code-person] option:text-is("${ctx.args.volunteer}")`, { state: "attached" });
  await person.selectOption({ label: ctx.args.volunteer });
  await page.getByTestId("code-role").selectOption("volunteer");
  await page.getByTestId("code-station").getByLabel(ctx.args.station).check();
  await page.getByTestId("code-make").click();
  const text = page.getByTestId("code-text");
  await text.waitFor();
  ctx.volunteerCode = (await text.innerText()).trim();
  if (!/^WISH-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(ctx.volunteerCode)) throw new Error(`code text ${ctx.volunteerCode}`);
  await shot(ctx, page, "5-devices-code");
  ctx.seen.volunteer_code = true;
}

/** 批量发登记卡: cards for three people, laid out for printing. */
async function bulkCards(ctx) {
  const page = ctx.coordinator;
  const people = page.getByTestId("bulk-people");
  for (const name of ctx.names.slice(1, 4)) await people.getByLabel(name, { exact: true }).check();
  await page.getByTestId("bulk-station").getByLabel(ctx.args.station).check();
  await page.getByTestId("bulk-make").click();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=qr-card]").length === 3);
  await page.emulateMedia({ media: "print" });
  const path = join(ctx.args.artifacts, "setup-5b-print-sheet.png");
  await page.screenshot({ path, fullPage: true });
  ctx.screenshots.push(path);
  await page.emulateMedia({ media: "screen" });
  ctx.seen.bulk_cards = await page.getByTestId("qr-card").count();
}

/** A second browser context enrolls with the code's text. */
async function enrollVolunteer(ctx) {
  const page = ctx.volunteer = await newTablet(ctx);
  await page.goto(ctx.base);
  await page.getByTestId("enroll-code").fill(ctx.volunteerCode);
  await page.getByTestId("enroll-name").fill("志愿者平板");
  await shot(ctx, page, "6-volunteer-enroll");
  await page.getByTestId("enroll-submit").click();
  await page.waitForSelector("[data-testid=status-pill][data-state=online]");
  const role = await page.evaluate(() => window.wishStation.device.role);
  if (role !== "volunteer") throw new Error(`enrolled as ${role}`);
  if (await page.getByTestId("nav-manage").count()) throw new Error("a volunteer sees the 管理 tab");
}

/** 导入心愿卡: the GB18030 CSV is checked, then imported. */
async function importWishes(ctx) {
  const page = ctx.coordinator;
  await go(page, "#/manage");
  await page.getByTestId("manage-import-wishes").click();
  await page.getByTestId("import-file").setInputFiles(ctx.args.cards);
  await page.getByTestId("import-check").click();
  const counts = page.getByTestId("import-counts");
  await counts.waitFor();
  const [good, bad] = [await counts.getAttribute("data-good"), await counts.getAttribute("data-bad")];
  if (good !== "50" || bad !== "0") throw new Error(`cards check: ${good} good, ${bad} bad: ${await page.getByTestId("import-rows").innerText()}`);
  const firstRow = await page.getByTestId("import-row").first().innerText();
  if (!firstRow.includes("楼道灯不亮")) throw new Error(`the GB18030 text reads ${firstRow}`);
  await shot(ctx, page, "7-import-wishes-check");
  await page.getByTestId("import-confirm").click();
  const done = page.getByTestId("import-done");
  await done.waitFor();
  ctx.seen.cards_imported = Number(await done.getAttribute("data-imported"));
  await shot(ctx, page, "8-import-wishes-done");
}

/** The imported cards show on the volunteer's tablet. */
async function volunteerSeesWishes(ctx) {
  const page = ctx.volunteer;
  await go(page, "#/wishes");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=wish-card]").length >= 50, null, { timeout: ctx.args.timeoutMs, polling: 500 });
  ctx.seen.volunteer_wishes = await page.getByTestId("wish-card").count();
  await shot(ctx, page, "9-volunteer-wishes");
}

/** 设备: the volunteer's tablet is listed by the person's name and revoked; it goes offline. */
async function revokeVolunteer(ctx) {
  const page = ctx.coordinator;
  await go(page, "#/manage");
  await page.getByTestId("manage-devices").click();
  const row = page.locator(`[data-testid=device-row]:has-text("${ctx.args.volunteer}")`);
  await row.waitFor();
  await shot(ctx, page, "10-devices-list");
  page.once("dialog", (dialog) => dialog.accept());
  await row.getByTestId("device-revoke").click();
  await page.locator(`[data-testid=device-row][data-revoked=true]:has-text("${ctx.args.volunteer}")`).waitFor();
  await ctx.volunteer.waitForSelector("[data-testid=status-pill]:not([data-state=online])");
  ctx.seen.volunteer_revoked = true;
}

/** Screenshots of both tablets as they were when a step failed. */
async function failureShots(ctx, step) {
  for (const [who, page] of [["coordinator", ctx.coordinator], ["volunteer", ctx.volunteer]]) {
    if (!page) continue;
    const path = join(ctx.args.artifacts, `setup-failed-${step}-${who}.png`);
    await page.screenshot({ path, fullPage: true }).catch(() => {});
    console.error(`screenshot of the ${who}'s tablet: ${path}`);
  }
}

const STEPS = [
  setupCommunity, importPeople, issueVolunteerCode, bulkCards, enrollVolunteer, importWishes,
  volunteerSeesWishes, revokeVolunteer,
];

async function run(args) {
  mkdirSync(args.artifacts, { recursive: true });
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true });
  const names = (args.names ?? "").split(",").filter(Boolean);
  const ctx = { args, browser, names, base: new URL("/", args.url).href, problems: [], screenshots: [], seen: {} };
  try {
    for (const step of STEPS) {
      try {
        await step(ctx);
      } catch (error) {
        await failureShots(ctx, step.name);
        throw new Error(`step ${step.name}: ${error.message}`);
      }
    }
    if (ctx.problems.length) throw new Error(ctx.problems.join("\n"));
    return { ok: true, ...ctx.seen, screenshots: ctx.screenshots };
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
