// Closing the loop in headless Chromium (tests/tests/it/close_loop.rs): coordinator A
// publishes a wish, a volunteer claims it (the server assigns), starts and resolves it
// with 服务内容 and hours; coordinators A and B, each cut from the server by their own
// proxy, both confirm the hours and reconnect; the volunteer records the resident's
// rating on their behalf (代评) and a 回访; A closes it as fulfilled and tells its story
// (微故事); the volunteer's statement holds one earn entry; a redemption above the
// balance is refused on screen; 星级公示 lists names and stars.
//
//   node close-loop.mjs --url http://127.0.0.1:PORT --coordinator-code WISH-…
//       --coordinator2-code WISH-… --volunteer-code WISH-… --volunteer p06
//       --artifacts DIR [--chromium PATH] [--timeout-ms N]
//
// Prints one JSON line with what was checked; exits 1 with the reason on failure.

import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";
import * as step from "./loop-steps.mjs";

function parseArgs(argv) {
  return parseFlags(argv, {
    names: {
      "--url": "url", "--coordinator-code": "coordCode", "--coordinator2-code": "coord2Code",
      "--volunteer-code": "volunteerCode", "--volunteer": "volunteerId", "--artifacts": "artifacts",
    },
    required: ["url", "coordCode", "coord2Code", "volunteerCode", "volunteerId", "artifacts"],
    defaults: { timeoutMs: 60000 },
  });
}

async function newPage(browser, args, problems, name) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  page.setDefaultTimeout(args.timeoutMs);
  page.on("pageerror", (e) => problems.push(`${name}: page error: ${e.message}`));
  return page;
}

async function run(args) {
  mkdirSync(args.artifacts, { recursive: true });
  const problems = [];
  const timings = {};
  let current = "starting";
  const timed = async (name, work) => {
    current = name;
    const start = Date.now();
    const result = await work();
    timings[name] = Date.now() - start;
    return result;
  };
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true });
  const proxies = { coord: await step.startProxy(args.url), coord2: await step.startProxy(args.url) };
  const scene = {
    coord: await newPage(browser, args, problems, "coordinator A"),
    coord2: await newPage(browser, args, problems, "coordinator B"),
    volunteer: await newPage(browser, args, problems, "volunteer"),
    proxies, artifacts: args.artifacts, shots: [], volunteerId: args.volunteerId,
  };
  try {
    await timed("enroll", async () => {
      await step.enroll(scene.coord, proxies.coord.url, args.coordCode, "社工平板A");
      await step.enroll(scene.coord2, proxies.coord2.url, args.coord2Code, "社工平板B");
      await step.enroll(scene.volunteer, new URL("/", args.url).href, args.volunteerCode, "志愿者平板");
    });
    const title = "帮独居老人修路由器";
    const doc = await timed("publish", () => step.publishWish(scene, title));
    await timed("claim", () => step.claim(scene, doc));
    await timed("resolve", () => step.resolve(scene, doc, "更换了路由器并设置好无线网络", 3));
    const confirmations = await timed("confirm-offline", () => step.confirmOffline(scene, doc));
    const rating = await timed("rate-visit", () => step.rateAndVisit(scene, doc));
    const stories = await timed("story", () => step.closeWithStory(scene, doc, "志愿者上门更换路由器，老人又能和外地的孩子视频通话了。"));
    const statement = await timed("statement", () => step.statement(scene, args.volunteerId));
    const wishId = await scene.coord.evaluate((d) => window.wishStation.wish(d).wish.id, doc);
    const overdraw = await timed("overdraw", () => step.overdraw(scene, args.volunteerId));
    const stars = await timed("stars", () => step.starBoard(scene));
    current = "checks";
    if (problems.length) throw new Error(problems.join("\n"));
    return {
      ok: true, confirmations, rating,
      earn_lines: statement.lines.filter((l) => l.kind === "earn" && l.wish === wishId).length,
      statement_points: statement.points, statement_hours: statement.hours,
      lines_sum: statement.lines.reduce((sum, l) => sum + l.points, 0),
      overdraw, stories, stars, screenshots: scene.shots, timings_ms: timings,
    };
  } catch (error) {
    for (const [name, page] of [["a", scene.coord], ["b", scene.coord2], ["volunteer", scene.volunteer]]) {
      await page.screenshot({ path: `${args.artifacts}/loop-failed-${name}.png`, fullPage: true }).catch(() => {});
    }
    throw new Error(`step ${current}: ${error.message}\n${problems.join("\n")}`);
  } finally {
    await browser.close();
    proxies.coord.close();
    proxies.coord2.close();
  }
}

run(parseArgs(process.argv.slice(2)))
  .then((result) => console.log(JSON.stringify(result)))
  .catch((error) => {
    console.error(error.stack ?? String(error));
    process.exit(1);
  });
