// 派单 and 我的任务 in headless Chromium (tests/tests/it/dispatch_tasks.rs): a coordinator
// publishes a wish and dispatches it to a suggested expert; the expert's tablet (another
// browser context, enrolled with a code at another station) lists it under 我的任务 with
// the tab's badge after sync; a partner's tablet claims the same wish as its unit and
// posts an offer to the 资源清单 in its unit's name.
//
//   node dispatch-tasks.mjs --url http://127.0.0.1:PORT --coordinator-code WISH-…
//       --expert-code WISH-… --partner-code WISH-… --expert 周立华 --artifacts DIR
//       [--chromium PATH] [--timeout-ms N]
//
// Prints one JSON line with what was checked; exits 1 with the reason on failure.

import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";
import * as step from "./dispatch-steps.mjs";

/** The wish: a home visit for the medical module, two places. */
export const WISH = {
  title: "测试：独居老人需要上门问诊",
  text: "腿脚不便，希望医生上门问诊，顺便测血压。",
  compound: "幸福里",
  building: "3栋",
  module: "medical",
  capacity: 2,
};

function parseArgs(argv) {
  return parseFlags(argv, {
    names: { "--url": "url", "--coordinator-code": "coordinatorCode", "--expert-code": "expertCode", "--partner-code": "partnerCode", "--expert": "expert", "--artifacts": "artifacts" },
    required: ["url", "coordinatorCode", "expertCode", "partnerCode", "expert", "artifacts"],
    defaults: { timeoutMs: 60000 },
  });
}

async function newPage(browser, args, viewport, problems) {
  const context = await browser.newContext({ viewport, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  page.setDefaultTimeout(args.timeoutMs);
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return page;
}

async function run(args) {
  mkdirSync(args.artifacts, { recursive: true });
  const problems = [];
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true });
  let current = "starting";
  const base = new URL("/", args.url).href;
  const page = await newPage(browser, args, { width: 1280, height: 900 }, problems);
  const expert = await newPage(browser, args, { width: 800, height: 1280 }, problems);
  const partner = await newPage(browser, args, { width: 800, height: 1280 }, problems);
  try {
    const scene = { page, artifacts: args.artifacts, shots: [] };
    current = "enroll";
    await step.enroll(page, base, args.coordinatorCode, "驿站社工平板");
    current = "publish";
    const doc = await step.collectAndPublish(scene, WISH);
    current = "dispatch";
    const suggested = await step.dispatchTo(scene, doc, args.expert);
    current = "expert";
    await step.enroll(expert, base, args.expertCode, "专家平板");
    const tasks = await step.tasksShow(scene, expert, WISH.title);
    current = "partner";
    await step.enroll(partner, base, args.partnerCode, "共建单位平板");
    const unitClaim = await step.claimAsUnit(scene, partner, doc);
    current = "offer";
    const offers = await step.postOffer(scene, partner, { title: "测试：慢病随访上门服务", skills: "慢病管理、测血压", asUnit: true });
    current = "checks";
    if (problems.length) throw new Error(problems.join("\n"));
    return { ok: true, doc, suggested, tasks, unit_claim: unitClaim, offers, screenshots: scene.shots };
  } catch (error) {
    for (const [name, p] of [["", page], ["-expert", expert], ["-partner", partner]]) {
      await p.screenshot({ path: `${args.artifacts}/dispatch-failed${name}.png`, fullPage: true }).catch(() => {});
    }
    throw new Error(`step ${current}: ${error.message}\n${problems.join("\n")}`);
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
