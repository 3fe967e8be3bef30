// The coordinator's screens in headless Chromium (tests/tests/it/coordinator_screens.rs): a
// coordinator's tablet adds five people and a partner unit, edits one person and
// deactivates another, builds next week's roster from the template, assigns people and
// the unit, swaps two people and hands one place over; a second browser context enrolled as the station's shared
// tablet (驿站公用平板) signs a person in and out; each tablet sees the other's writes.
//
//   node coordinator.mjs --url http://127.0.0.1:PORT --coordinator-code WISH-…
//       --tablet-code WISH-… --station center --artifacts DIR [--chromium PATH] [--timeout-ms N]
//
// Prints one JSON line with what was checked; exits 1 with the reason on failure.

import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";
import * as step from "./coordinator-steps.mjs";
import { FIVE, UNIT } from "./coordinator-steps.mjs";

function parseArgs(argv) {
  return parseFlags(argv, {
    names: { "--url": "url", "--coordinator-code": "coordinatorCode", "--tablet-code": "tabletCode", "--station": "station", "--artifacts": "artifacts" },
    required: ["url", "coordinatorCode", "tabletCode", "station", "artifacts"],
    defaults: { timeoutMs: 60000 },
  });
}

async function newPage(browser, args, viewport, problems) {
  // The demo's roster dates are in China's time zone.
  const context = await browser.newContext({ viewport, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  page.setDefaultTimeout(args.timeoutMs);
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return page;
}

/** What the station's shared tablet holds of the roster the coordinator built. */
function rosterSeenBy(page, { station, shift, person, unit }) {
  return page.evaluate(({ station, shift, person, unit }) => {
    const s = window.wishStation;
    const doc = s.community()?.stations[station]?.doc;
    const roster = doc ? s.station(doc) : null;
    const assignees = roster?.shifts[shift]?.assignees ?? {};
    return { person: person in assignees, unit: unit in assignees };
  }, { station, shift, person, unit });
}

async function run(args) {
  mkdirSync(args.artifacts, { recursive: true });
  const problems = [];
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS, headless: true });
  const timings = {};
  let current = "starting";
  const timed = async (name, work) => {
    current = name;
    const start = Date.now();
    const result = await work();
    timings[name] = Date.now() - start;
    return result;
  };
  const base = new URL("/", args.url).href;
  const page = await newPage(browser, args, { width: 1280, height: 800 }, problems);
  const tablet = await newPage(browser, args, { width: 800, height: 1280 }, problems);
  try {
    const scene = { page, tablet, station: args.station, artifacts: args.artifacts, shots: [], people: {}, units: {} };
    await timed("enroll", () => step.enroll(page, base, args.coordinatorCode, "协调员平板"));
    await timed("people", () => step.addPeople(scene, FIVE));
    const found = await timed("search", () => step.searchPeople(scene, "量血压"));
    await timed("unit", () => step.addUnit(scene, UNIT));
    const card = await timed("edit", () => step.editPerson(scene, FIVE[0].name, { skills: "电脑维修、智能手机教学", unit: UNIT.name }));
    await timed("deactivate", () => step.deactivate(scene, FIVE[4].name));
    const { days, evenings } = await timed("build", () => step.buildWeek(scene));
    const monday = { date: days[0], start: "19:00" };
    const tuesday = { date: days[1], start: "19:00" };
    await timed("assign", async () => {
      await step.assign(scene, monday, FIVE[0].name);
      await step.assign(scene, tuesday, FIVE[1].name);
      await step.assign(scene, monday, UNIT.name);
    });
    const pickerOffersLeft = await page.locator("[data-testid=assign-select]").first().locator("option").evaluateAll(
      (options, name) => options.some((o) => o.textContent === name), FIVE[4].name);
    await timed("swap", () => step.swap(scene, { ...monday, name: FIVE[0].name }, { ...tuesday, name: FIVE[1].name }));
    const handedOver = await timed("hand-over", () => step.handOver(scene, { ...tuesday, name: FIVE[0].name }, FIVE[3].name));
    const duty = await timed("today", () => step.onDutyToday(scene, FIVE[2].name));
    await page.waitForSelector("[data-testid=status-pill][data-pending='0']");
    await timed("tablet-enroll", () => step.enroll(tablet, base, args.tabletCode, "驿站公用平板"));
    await timed("sign-in", () => step.signInOnSharedTablet(scene, FIVE[2].name));
    const mondayShift = evenings.find((id) => id.startsWith(days[0]));
    await tablet.waitForFunction(
      ({ station, shift }) => {
        const s = window.wishStation;
        const doc = s.community()?.stations[station]?.doc;
        return doc && s.station(doc)?.shifts[shift];
      }, { station: args.station, shift: mondayShift });
    const seen = await rosterSeenBy(tablet, { station: args.station, shift: mondayShift, person: scene.people[FIVE[1].name], unit: scene.units[UNIT.name] });
    const person = scene.people[FIVE[2].name];
    await page.waitForFunction(({ station, shift, person }) => {
      const s = window.wishStation;
      const checkin = s.station(s.community().stations[station].doc)?.shifts[shift]?.checkins[person];
      return checkin && checkin.out !== null;
    }, { station: args.station, shift: duty.shift, person });
    const checkin = await page.evaluate(({ station, shift, person }) => {
      const s = window.wishStation;
      return s.station(s.community().stations[station].doc).shifts[shift].checkins[person];
    }, { station: args.station, shift: duty.shift, person });
    await timed("catalogue", () => step.keepCatalogue(scene, "社区理发一次"));
    const english = await timed("english", () => step.peopleInEnglish(scene));
    current = "checks";
    if (problems.length) throw new Error(problems.join("\n"));
    return {
      ok: true, people: scene.people, unit: scene.units[UNIT.name], edited_card: card,
      picker_offers_left: pickerOffersLeft, week: days, evenings, tablet_sees: seen,
      duty_shift: duty.shift, checkin, search_blood_pressure: found, tuesday_after_hand_over: handedOver, english_has_kinds: /Party member|Expert|Volunteer/.test(english), screenshots: scene.shots, timings_ms: timings,
    };
  } catch (error) {
    // Where it stopped, for the log and the artifacts.
    await page.screenshot({ path: `${args.artifacts}/coordinator-failed.png`, fullPage: true }).catch(() => {});
    await tablet.screenshot({ path: `${args.artifacts}/coordinator-failed-tablet.png`, fullPage: true }).catch(() => {});
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
