// Opens the office dashboard in headless Chromium, signs in as the administrator (the
// "管理员登录" link, with the bootstrap token), waits until the key
// figures and charts are drawn, and prints one JSON line with what the page shows.
//
//   node dashboard.mjs --url http://127.0.0.1:8080 --token T --screenshot out.png
//       [--chromium /usr/bin/chromium] [--timeout-ms 45000] [--lang zh|en]
//
// Fails (exit code 1, message on stderr) on any console error, page error, failed
// request, or when the page does not render within the timeout.

import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./browser.mjs";

function parseArgs(argv) {
  const args = {
    url: null,
    token: null,
    screenshot: null,
    chromium: "/usr/bin/chromium",
    timeoutMs: 45000,
    lang: "zh",
  };
  for (let i = 0; i < argv.length; i++) {
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
      return argv[++i];
    };
    switch (argv[i]) {
      case "--url": args.url = next(); break;
      case "--token": args.token = next(); break;
      case "--screenshot": args.screenshot = next(); break;
      case "--chromium": args.chromium = next(); break;
      case "--timeout-ms": args.timeoutMs = Number(next()); break;
      case "--lang": args.lang = next(); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!args.url || !args.token) throw new Error("--url and --token are required");
  return args;
}

async function run(args) {
  const problems = [];
  // launch() gives every browser a fresh temporary user-data-dir (and removes it on close);
  // Playwright refuses an explicit --user-data-dir here.
  const browser = await chromium.launch({
    executablePath: args.chromium,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: args.timeoutMs,
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: args.lang === "en" ? "en-US" : "zh-CN",
      timezoneId: "Asia/Shanghai",
    });
    const page = await context.newPage();
    page.setDefaultTimeout(args.timeoutMs);
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("requestfailed", (request) => {
      problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
    });

    const base = args.url.replace(/\/+$/, "");
    await page.goto(`${base}/office`, { waitUntil: "load" });
    if (args.lang === "en") await page.click('button[data-lang="en"]');
    await page.click("#admin-link");
    await page.fill("#admin-key", args.token);
    await page.click("#admin-signin");

    await page.waitForSelector('#main[data-state="ready"]', { state: "visible" });
    // The console opens on this month; the whole history is 全部时间.
    await page.click('[data-preset="all"]');
    await page.waitForSelector('[data-preset="all"].active');
    await page.waitForSelector('#main[data-state="ready"]', { state: "visible" });
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".chart-body")].every((b) => b.hasAttribute("data-drawn")) &&
      document.querySelectorAll("#wishes tbody tr").length > 0);
    if (problems.length) throw new Error(problems.join("\n"));

    const seen = await page.evaluate(() => {
      const kpi = (id) => document.querySelector(`[data-kpi="${id}"] .kpi-value`).textContent.trim();
      const number = (id) => {
        const value = Number(kpi(id).replace(/[^\d.]/g, ""));
        return Number.isFinite(value) ? value : null;
      };
      return {
        total: number("total"),
        open: number("open"),
        completed: number("completed"),
        overdue: number("overdue"),
        average_rating: number("rating"),
        hours: number("hours"),
        kpi_text: { total: kpi("total"), rating: kpi("rating"), hours: kpi("hours") },
        bars: Object.fromEntries([...document.querySelectorAll(".chart-body[id]")].map((c) => [c.id.replace(/^chart-/, ""), Number(c.dataset.points)])),
        wish_rows: document.querySelectorAll("#wishes tbody tr").length,
        overdue_rows: document.querySelectorAll("#overdue tbody tr").length,
        volunteer_rows: document.querySelectorAll("#volunteers tbody tr").length,
        page_info: document.getElementById("page-info").textContent.trim(),
        title: document.title,
        lang: document.documentElement.lang,
        token_in_session: sessionStorage.length > 0,
      };
    });
    // Let late errors (e.g. from rendering callbacks) surface before judging.
    await page.waitForTimeout(200);
    if (problems.length) throw new Error(problems.join("\n"));
    if (args.screenshot) await page.screenshot({ path: args.screenshot, fullPage: process.env.DASHBOARD_FULL_PAGE === "1" });
    if (problems.length) throw new Error(problems.join("\n"));
    return seen;
  } finally {
    await browser.close().catch(() => {});
  }
}

let args;
try {
  args = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const watchdog = setTimeout(() => {
  console.error(`dashboard did not render within ${args.timeoutMs + 15000} ms`);
  process.exit(1);
}, args.timeoutMs + 15000);
try {
  const seen = await run(args);
  console.log(JSON.stringify(seen));
  clearTimeout(watchdog);
  process.exit(0);
} catch (error) {
  console.error(`dashboard check failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
}
