// Issue 14's whole loop in one flow, screens only (tests/tests/it/dispatch_to_close.rs):
// coordinator A publishes a home-visit wish and sends it (派单) to the suggested expert;
// the expert's tablet (another station) lists it under 我的任务, starts it and resolves it
// with 服务内容 and hours; coordinators A and B, each cut from the server, both confirm
// and reconnect; the expert records the resident's rating on their behalf (代评) and a
// 回访; A closes it as 已圆梦 with a 微故事; the expert's statement holds one earn entry.
// The steps are the dispatch helper's (dispatch-steps.mjs) then the loop's (loop-steps.mjs).
//
//   node dispatch-to-close.mjs --url http://127.0.0.1:PORT --coordinator-code WISH-…
//       --coordinator2-code WISH-… --expert-code WISH-… --expert 周立华 --expert-id p23
//       --artifacts DIR [--chromium PATH] [--timeout-ms N]
//
// Prints one JSON line with what was checked; exits 1 with the reason on failure.

import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";
import * as dispatch from "./dispatch-steps.mjs";
import * as loop from "./loop-steps.mjs";

const WISH = {
  title: "测试：独居老人需要医生上门问诊",
  text: "腿脚不便，希望医生上门问诊，量量血压。",
  compound: "幸福里",
  building: "5栋",
  module: "medical",
  capacity: 1,
};

function parseArgs(argv) {
  return parseFlags(argv, {
    names: {
      "--url": "url", "--coordinator-code": "coordCode", "--coordinator2-code": "coord2Code",
      "--expert-code": "expertCode", "--expert": "expert", "--expert-id": "expertId", "--artifacts": "artifacts",
    },
    required: ["url", "coordCode", "coord2Code", "expertCode", "expert", "expertId", "artifacts"],
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
  let current = "starting";
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true });
  const proxies = { coord: await loop.startProxy(args.url), coord2: await loop.startProxy(args.url) };
  const shots = [];
  const scene = {
    coord: await newPage(browser, args, problems, "coordinator A"),
    coord2: await newPage(browser, args, problems, "coordinator B"),
    volunteer: await newPage(browser, args, problems, "expert"),
    proxies, artifacts: args.artifacts, shots, volunteerId: args.expertId, shotPrefix: "flow-",
  };
  const dispatchScene = { page: scene.coord, artifacts: args.artifacts, shots, shotPrefix: "flow-" };
  const step = async (name, work) => { current = name; return work(); };
  try {
    await step("enroll", async () => {
      await loop.enroll(scene.coord, proxies.coord.url, args.coordCode, "社工平板A");
      await loop.enroll(scene.coord2, proxies.coord2.url, args.coord2Code, "社工平板B");
      await loop.enroll(scene.volunteer, new URL("/", args.url).href, args.expertCode, "专家平板");
    });
    const doc = await step("publish", () => dispatch.collectAndPublish(dispatchScene, WISH));
    const suggested = await step("dispatch", () => dispatch.dispatchTo(dispatchScene, doc, args.expert));
    const tasks = await step("my-tasks", () => dispatch.tasksShow(dispatchScene, scene.volunteer, WISH.title));
    await step("resolve", () => loop.resolve(scene, doc, "上门问诊，测量血压并调整用药建议", 2));
    const confirmations = await step("confirm-offline", () => loop.confirmOffline(scene, doc));
    const rating = await step("rate-visit", () => loop.rateAndVisit(scene, doc));
    const stories = await step("close", () => loop.closeWithStory(scene, doc, "医生志愿者上门问诊，独居老人的血压稳住了。"));
    const statement = await step("statement", () => loop.statement(scene, args.expertId));
    const wishId = await scene.coord.evaluate((d) => window.wishStation.wish(d).wish.id, doc);
    current = "checks";
    if (problems.length) throw new Error(problems.join("\n"));
    return {
      ok: true,
      suggested: suggested.map((s) => s.name),
      tasks, confirmations, rating, stories,
      earn_lines: statement.lines.filter((l) => l.kind === "earn" && l.wish === wishId).length,
      screenshots: shots,
    };
  } catch (error) {
    for (const [name, page] of [["a", scene.coord], ["b", scene.coord2], ["expert", scene.volunteer]]) {
      await page.screenshot({ path: `${args.artifacts}/flow-failed-${name}.png`, fullPage: true }).catch(() => {});
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
