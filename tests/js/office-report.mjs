// The office computer's sign-in and the monthly report in headless Chromium:
//
//   node office-report.mjs --url http://127.0.0.1:8080 --code ABCD-1234 --month 2026-11
//       --artifacts DIR --pdf out.pdf [--chromium /usr/bin/chromium] [--timeout-ms 45000]
//
// Enrolls the dashboard with the code (登记本电脑), waits for the figures, reads the
// station and leaderboard names, opens /office/report?month=, prints it to A4 PDF with
// page.pdf, reads the report's text and figures, then signs out (退出登录) and checks the
// device token is forgotten. Screenshots go to DIR. Prints one JSON line; fails on any
// console error, page error or failed request.

import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";

const args = parseFlags(process.argv.slice(2), {
  names: { "--url": "url", "--code": "code", "--month": "month", "--artifacts": "artifacts", "--pdf": "pdf" },
  required: ["url", "code", "month", "artifacts", "pdf"],
  defaults: { timeoutMs: 45000 },
});
const TOKEN_KEY = "wish-station.office.token";

// The one refusal the script provokes on purpose: a wrong code at POST /api/v1/enroll.
const expected = { refusedEnroll: false };

function watch(page, problems) {
  page.on("console", (m) => {
    const refusal = expected.refusedEnroll && m.text().includes("Failed to load resource");
    if (m.type() === "error" && !refusal) problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // A download's blob URL or a navigation away may abort a request; neither is a fault.
    if (!r.url().startsWith("blob:")) problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    const refusal = expected.refusedEnroll && r.url().endsWith("/api/v1/enroll");
    if (r.status() >= 400 && !refusal) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
}

function check(problems) {
  if (problems.length) throw new Error(problems.join("\n"));
}

async function signIn(page, base) {
  await page.goto(`${base}/office`, { waitUntil: "load" });
  const before = await page.evaluate(() => document.body.innerText);
  expected.refusedEnroll = true;
  await page.fill("#code", "WRONG-CODE");
  await page.click("#enroll");
  await page.waitForSelector("#status.error");
  const refused = await page.evaluate(() => document.getElementById("status").textContent);
  expected.refusedEnroll = false;
  await page.fill("#code", args.code);
  await page.click("#enroll");
  await page.waitForSelector('#main[data-state="ready"]', { state: "visible" });
  // The console opens on this month; the names are checked over the whole history.
  await page.click('[data-preset="all"]');
  await page.waitForSelector('[data-preset="all"].active');
  await page.waitForSelector('#main[data-state="ready"]', { state: "visible" });
  await page.waitForFunction(
    () => document.querySelectorAll("#volunteers tbody tr td").length > 1 && document.querySelectorAll("#wishes tbody tr td").length > 1,
  );
  return page.evaluate(
    ({ key, before, refused }) => {
      const column = (table, n) =>
        [...document.querySelectorAll(`#${table} tbody tr td:nth-child(${n})`)].map((td) => td.textContent.trim());
      return {
        sign_in_text: before,
        refused_text: refused,
        stored_token: Boolean(localStorage.getItem(key)),
        volunteer_names: column("volunteers", 2),
        station_names: column("wishes", 2),
        station_options: [...document.querySelectorAll("#f-station option")].map((o) => o.textContent.trim()),
        dashboard_text: document.body.innerText,
      };
    },
    { key: TOKEN_KEY, before, refused },
  );
}

async function report(page, base) {
  await page.goto(`${base}/office/report?month=${args.month}`, { waitUntil: "load" });
  await page.waitForSelector('body[data-state="ready"]');
  await page.waitForFunction(() => [...document.querySelectorAll(".chart-body")].every((b) => b.hasAttribute("data-drawn")));
  await page.screenshot({ path: `${args.artifacts}/office-report.png`, fullPage: true });
  await page.emulateMedia({ media: "print" });
  const seen = await page.evaluate(() => ({
    text: document.body.innerText,
    figures: Object.fromEntries(
      [...document.querySelectorAll("[data-figure]")].map((f) => [
        f.getAttribute("data-figure"),
        f.querySelector(".value").textContent.trim(),
      ]),
    ),
    toolbar_hidden: getComputedStyle(document.querySelector(".toolbar")).display === "none",
    charts: [...document.querySelectorAll(".chart-body[data-points]")].reduce((sum, c) => sum + Number(c.dataset.points), 0),
  }));
  await page.pdf({ path: args.pdf, format: "A4", printBackground: true });
  await page.emulateMedia({ media: "screen" });
  return seen;
}

async function signOut(page, base) {
  await page.goto(`${base}/office`, { waitUntil: "load" });
  await page.waitForSelector('#main[data-state="ready"]', { state: "visible" });
  await page.click("#logout");
  await page.waitForSelector("#login", { state: "visible" });
  await page.screenshot({ path: `${args.artifacts}/office-signed-out.png` });
  return page.evaluate((key) => ({
    token_after: localStorage.getItem(key),
    main_hidden: document.getElementById("main").hidden,
  }), TOKEN_KEY);
}

async function run() {
  const problems = [];
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true, timeout: args.timeoutMs });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const page = await context.newPage();
    page.setDefaultTimeout(args.timeoutMs);
    watch(page, problems);
    const base = args.url.replace(/\/+$/, "");
    const dashboard = await signIn(page, base);
    await page.screenshot({ path: `${args.artifacts}/office-enrolled.png`, fullPage: true });
    check(problems);
    const printed = await report(page, base);
    check(problems);
    const signedOut = await signOut(page, base);
    await page.waitForTimeout(200);
    check(problems);
    return { dashboard, report: printed, signed_out: signedOut };
  } finally {
    await browser.close().catch(() => {});
  }
}

const watchdog = setTimeout(() => {
  console.error(`office-report did not finish within ${args.timeoutMs * 3} ms`);
  process.exit(1);
}, args.timeoutMs * 3);
try {
  console.log(JSON.stringify(await run()));
  clearTimeout(watchdog);
  process.exit(0);
} catch (error) {
  console.error(`office-report failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
}
