// The street office's console end to end in headless Chromium:
//
//   node office-console.mjs --url http://127.0.0.1:8080 --code WISH-… --coordinator-code WISH-…
//       --community 幸福社区 --month 2026-11 --artifacts DIR --pdf out.pdf [--chromium …]
//
// A station tablet context enrolls with the coordinator's code and lists the wishes it
// holds; the office context signs in with the office's code, looks at the whole district,
// last month and this month, one community, opens one of the tablet's open wishes from the
// list, marks it 督办 with a note; the tablet then shows 街道督办 on the card and in the
// detail; the monthly report is printed to A4 PDF and its text read with pdf.js.
// Screenshots: DIR/console-*.png. Prints one JSON line; fails on any console error,
// page error, failed request or HTTP error.

import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";
import { enroll, go } from "./coordinator-steps.mjs";
import {
  community, customRange, exportFile, openHeldWish, overview, period, printReport, ready, setTarget, shot, signIn, supervise,
} from "./office-console-steps.mjs";

const args = parseFlags(process.argv.slice(2), {
  names: {
    "--url": "url", "--code": "code", "--coordinator-code": "coordinatorCode", "--community": "community",
    "--month": "month", "--artifacts": "artifacts", "--pdf": "pdf",
  },
  required: ["url", "code", "coordinatorCode", "community", "month", "artifacts", "pdf"],
  defaults: { timeoutMs: 60000 },
});
const NOTE = "请本周内上门回访";

function watch(page, problems, who) {
  page.on("console", (m) => { if (m.type() === "error") problems.push(`${who} console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`${who} page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // A navigation (the tablet's hash routes, a download's blob) may abort a request in flight.
    const aborted = r.failure()?.errorText === "net::ERR_ABORTED";
    if (!aborted && !r.url().startsWith("blob:")) problems.push(`${who} request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`${who} HTTP ${r.status()} for ${r.url()}`); });
}

function check(problems) {
  if (problems.length) throw new Error(problems.join("\n"));
}

async function context(browser, problems, who) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await ctx.newPage();
  page.setDefaultTimeout(args.timeoutMs);
  watch(page, problems, who);
  return page;
}

/** The station tablet: enrolled as the coordinator; the wishes it holds. */
async function tablet(browser, problems, base) {
  const page = await context(browser, problems, "tablet");
  await enroll(page, base, args.coordinatorCode, "驿站平板");
  await go(page, "wishes");
  await page.waitForSelector("[data-testid=wish-card]");
  const held = await page.$$eval("[data-testid=wish-card]", (cards) => cards.map((c) => c.dataset.doc));
  return { page, held };
}

/** The tablet shows the office's mark on the wish's card and in its detail. */
async function tabletSeesMark(page, doc) {
  await go(page, "wishes");
  const card = page.locator(`[data-testid=wish-card][data-doc="${doc}"]`);
  await card.locator("[data-testid=supervised]").waitFor({ timeout: args.timeoutMs });
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${args.artifacts}/console-tablet-card.png` });
  const cardText = await card.innerText();
  await go(page, `wish/${doc}`);
  await page.waitForSelector("[data-testid=wish-detail] [data-testid=supervised]");
  await page.screenshot({ path: `${args.artifacts}/console-tablet-detail.png`, fullPage: true });
  const detail = await page.innerText("[data-testid=wish-detail]");
  return { card: cardText, detail };
}

async function run() {
  const problems = [];
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true, timeout: args.timeoutMs });
  try {
    const base = args.url.replace(/\/+$/, "");
    const station = await tablet(browser, problems, base);
    check(problems);

    const page = await context(browser, problems, "office");
    const scene = { page, base, artifacts: args.artifacts, shots: [] };
    const signedIn = await signIn(scene, args.code);
    const district = await overview(page);
    await shot(scene, "district");
    const lastMonth = await period(scene, "last_month");
    const thisMonth = await period(scene, "month");
    const custom = await customRange(scene, `${args.month}-01`, `${args.month}-15`);
    const one = await community(scene, args.community);
    await shot(scene, "community");
    const targets = await setTarget(scene, "urgent", 24);
    const exported = await exportFile(scene, "export/wishes.xlsx");
    check(problems);

    await period(scene, "all");
    const doc = await openHeldWish(scene, station.held);
    const marked = await supervise(scene, NOTE);
    await page.keyboard.press("Escape");
    check(problems);
    const onTablet = await tabletSeesMark(station.page, doc);
    check(problems);

    const english = await period(scene, "month").then(async () => {
      await page.click('[data-lang="en"]');
      await ready(page);
      await shot(scene, "english");
      const text = await page.innerText("#main");
      await page.click('[data-lang="zh"]');
      await ready(page);
      return text;
    });
    const report = await printReport(scene, args.month, args.pdf);
    check(problems);
    return {
      signed_in: signedIn, district, last_month: lastMonth, this_month: thisMonth, custom, community: one, targets, exported,
      doc, marked, tablet: onTablet, english, report, shots: scene.shots,
    };
  } finally {
    await browser.close().catch(() => {});
  }
}

const watchdog = setTimeout(() => {
  console.error(`office-console did not finish within ${args.timeoutMs * 5} ms`);
  process.exit(1);
}, args.timeoutMs * 5);
try {
  console.log(JSON.stringify(await run()));
  clearTimeout(watchdog);
  process.exit(0);
} catch (error) {
  console.error(`office-console failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
}
