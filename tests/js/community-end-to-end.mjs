// Issue 13's acceptance as ONE flow on ONE fresh server, through the screens only, in
// headless Chromium (tests/tests/it/community_end_to_end.rs): 创建社区 with two stations and
// the coordinator enrolled on the spot; five people and a partner unit added by hand; 20
// people imported from an XLSX; a volunteer code redeemed by its text in a second browser
// context; next week's roster built from the template and staffed; the station's shared
// tablet (驿站公用平板) enrolled from 设备 in a third browser context, where a person on
// duty signs in and out; 50 paper cards imported from a GB18030 CSV, which then show on
// the volunteer's tablet. It chains the steps of community-setup-steps.mjs and
// coordinator-steps.mjs; the steps of its own are the ones neither test has.
//
//   node community-end-to-end.mjs --url http://127.0.0.1:PORT --code SETUP-CODE
//       --people people.xlsx --cards cards.csv --volunteer NAME --station NAME
//       --second-station NAME --names A,B,C,... --artifacts DIR [--chromium PATH] [--timeout-ms N]
//
// Prints one JSON line with what was seen and each step's time; on the first step that
// fails, screenshots every open tablet and exits 1 with `step NAME failed: reason`.

import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";
import * as setup from "./community-setup-steps.mjs";
import * as coordinator from "./coordinator-steps.mjs";
import { FIVE, UNIT } from "./coordinator-steps.mjs";

/** Every tablet is in China: the roster's dates and the shared tablet's day agree. */
const TIME_ZONE = "Asia/Shanghai";
const UTC_OFFSET = "+08:00";
/** The shift the shared tablet signs people in on: the first weekday evening (晚间一小时). */
const DUTY_START = "19:00";
/** The shared tablet's clock: a few minutes into that shift. */
const DUTY_CLOCK = "19:05:00";
/** The hand-added person on duty, signed in and out on the shared tablet. */
const ON_DUTY = FIVE[0].name;
/** What the station's staff call the shared tablet when they enroll it. */
const SHARED_TABLET_NAME = "驿站门口的平板";

function parseArgs(argv) {
  return parseFlags(argv, {
    names: {
      "--url": "url", "--code": "code", "--people": "people", "--cards": "cards",
      "--volunteer": "volunteer", "--station": "station", "--second-station": "secondStation",
      "--artifacts": "artifacts", "--names": "names",
    },
    required: ["url", "code", "people", "cards", "volunteer", "station", "secondStation", "artifacts", "names"],
    defaults: { timeoutMs: 30000 },
  });
}

/**
 * The one context every step reads and fills: the setup steps' `ctx` (args, names,
 * problems, screenshots, seen; coordinator and volunteer pages) and the coordinator
 * steps' `scene` (page, tablet, station id, artifacts, shots, people, units) at once.
 */
function newFlow(args, browser) {
  const screenshots = [];
  return {
    args, browser, base: new URL("/", args.url).href, names: args.names.split(","),
    problems: [], seen: {}, screenshots, shots: screenshots, artifacts: args.artifacts,
    shotPrefix: "e2e-", timezoneId: TIME_ZONE, people: {}, units: {},
  };
}

// ---- the steps this flow adds ----

/** 创建社区 (the setup test's step), then the ids the coordinator's steps work with. */
async function createCommunity(flow) {
  await setup.setupCommunity(flow);
  flow.page = flow.coordinator;
  flow.station = await setup.stationId(flow.page, flow.args.station);
}

async function addFivePeopleByHand(flow) {
  await coordinator.addPeople(flow, FIVE);
}

async function addPartnerUnit(flow) {
  await coordinator.addUnit(flow, UNIT);
}

/** 排班: next week from the template; its first evening gets a hand-added person, an
 *  imported one and the partner unit, the second evening another person. */
async function buildWeekAndAssign(flow) {
  const { days } = await coordinator.buildWeek(flow);
  flow.week = days;
  flow.dutyShift = { date: days[0], start: DUTY_START };
  await coordinator.assign(flow, flow.dutyShift, ON_DUTY);
  await coordinator.assign(flow, flow.dutyShift, flow.names[1]);
  await coordinator.assign(flow, flow.dutyShift, UNIT.name);
  await coordinator.assign(flow, { date: days[1], start: DUTY_START }, FIVE[1].name);
  await allSaved(flow.page);
  await coordinator.shot(flow, flow.page, "roster");
}

/** 设备: a code for the station's shared tablet (role 驿站公用平板, exactly one station, no
 *  person: the server labels it), redeemed by its text in a third browser context whose
 *  clock is on the evening of the duty shift. */
async function enrollSharedTablet(flow) {
  const code = await sharedTabletCode(flow);
  flow.tablet = await setup.newTablet(flow, { viewport: { width: 800, height: 1280 } });
  await flow.tablet.clock.install({ time: Date.parse(`${flow.dutyShift.date}T${DUTY_CLOCK}${UTC_OFFSET}`) });
  await coordinator.enroll(flow.tablet, flow.base, code, SHARED_TABLET_NAME);
  const device = await flow.tablet.evaluate(() => window.wishStation.device);
  if (device.role !== "station_tablet" || device.stations.join() !== flow.station) {
    throw new Error(`the shared tablet is enrolled as ${device.role} for ${device.stations}`);
  }
  if (await flow.tablet.getByTestId("nav-manage").count()) throw new Error("the shared tablet sees the 管理 tab");
  flow.seen.shared_tablet = { role: device.role, stations: device.stations, person: device.person, device_id: device.device_id };
  await sharedTabletListed(flow);
}

/** Makes the shared tablet's code on 设备 and returns its text. */
async function sharedTabletCode(flow) {
  const page = flow.page;
  await openDevicesScreen(page);
  await page.getByTestId("code-role").selectOption("station_tablet");
  await page.getByTestId("code-station").getByLabel(flow.args.station).check();
  await page.getByTestId("code-make").click();
  const card = page.getByTestId("code-card");
  // The card names the station tablet and the station, never a person.
  await card.getByText(`驿站公用平板 · ${flow.args.station}`, { exact: true }).waitFor();
  const code = (await card.getByTestId("code-text").innerText()).trim();
  if (!/^WISH-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code)) throw new Error(`code text ${code}`);
  await coordinator.shot(flow, page, "shared-tablet-code");
  return code;
}

/** 管理 → 设备: a fresh 设备 screen (its device list is read when it opens). */
async function openDevicesScreen(page) {
  await setup.go(page, "#/manage");
  await page.getByTestId("manage-devices").click();
  await page.getByTestId("code-make").waitFor();
}

/** The coordinator's device list shows the volunteer's tablet by name and the shared
 *  tablet as 驿站公用平板. */
async function sharedTabletListed(flow) {
  const page = flow.page;
  await openDevicesScreen(page);
  const rows = page.getByTestId("device-row");
  await rows.filter({ hasText: flow.args.volunteer }).waitFor();
  await rows.filter({ has: page.locator("strong", { hasText: /^驿站公用平板$/ }), hasText: SHARED_TABLET_NAME }).waitFor();
  await coordinator.shot(flow, page, "devices-list");
}

/** The shared tablet signs the person on duty in (tapping the name) and out (typing it);
 *  the coordinator's tablet then holds the check-in, naming the shared tablet: the
 *  server accepted it. */
async function signInOnSharedTablet(flow) {
  await coordinator.signInOnSharedTablet(flow, ON_DUTY);
  const checkin = await flow.page.waitForFunction(({ station, person }) => {
    const s = window.wishStation;
    const doc = s.community()?.stations[station]?.doc;
    const shifts = Object.values((doc && s.station(doc)?.shifts) ?? {});
    return shifts.map((shift) => shift.checkins[person]).find((c) => c && c.out !== null);
  }, { station: flow.station, person: flow.people[ON_DUTY] }, { polling: 250 });
  flow.seen.checkin = await checkin.jsonValue();
}

async function allSaved(page) {
  await page.waitForSelector("[data-testid=status-pill][data-pending='0']");
}

const STEPS = [
  createCommunity, addFivePeopleByHand, addPartnerUnit, setup.importPeople,
  setup.issueVolunteerCode, setup.enrollVolunteer, buildWeekAndAssign, enrollSharedTablet,
  signInOnSharedTablet, setup.importWishes, setup.volunteerSeesWishes,
];

/** Runs one step; a failure, or a page error during it, names the step. */
async function runStep(flow, step) {
  try {
    await step(flow);
    if (flow.problems.length) throw new Error(flow.problems.join("\n"));
  } catch (error) {
    await setup.failureShots(flow, step.name);
    throw new Error(`step ${step.name} failed: ${error.message}\nlast toasts:\n${setup.recentToasts(flow)}`);
  }
}

async function run(args) {
  mkdirSync(args.artifacts, { recursive: true });
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true });
  const flow = newFlow(args, browser);
  const timings = [];
  try {
    for (const step of STEPS) {
      const start = Date.now();
      await runStep(flow, step);
      timings.push([step.name, Date.now() - start]);
    }
    return {
      ok: true, ...flow.seen, people: flow.people, units: flow.units, week: flow.week,
      duty_shift: flow.dutyShift, screenshots: flow.screenshots, timings_ms: timings,
    };
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
