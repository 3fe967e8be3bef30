// A newcomer runs a community from the screens only, in headless Chromium: 创建社区 with
// the setup code, the coordinator's browser enrolled on the spot, people imported from an
// XLSX, a volunteer code made on 设备 and redeemed by its text in a second browser
// context, paper wish cards imported from a GB18030 CSV that then show on the volunteer's
// tablet; then bulk codes and a revoke. The steps are in community-setup-steps.mjs (each
// a function of the shared context `ctx`); community-end-to-end.mjs chains them with the
// coordinator's steps into one flow.
//
//   node community-setup.mjs --url http://127.0.0.1:PORT --code SETUP-CODE
//       --people people.xlsx --cards cards.csv --volunteer NAME --station NAME
//       --second-station NAME --names A,B,C,... --artifacts DIR [--chromium /usr/bin/chromium] [--timeout-ms 60000]
//
// Prints one JSON line with what was seen; fails (exit code 1, message on stderr) on a
// page error or a check that does not hold within the timeout.

import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";
import {
  bulkCards, enrollVolunteer, failureShots, importPeople, importWishes, issueVolunteerCode,
  revokeVolunteer, setupCommunity, volunteerSeesWishes,
} from "./community-setup-steps.mjs";

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
