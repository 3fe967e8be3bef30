// The mission's acceptance as ONE flow on ONE empty server, through the screens only, in
// headless Chromium (tests/tests/it/empty_to_report.rs): the community's first account
// creates the community (创建社区, two stations) with the setup code the server printed,
// choosing 街道 so that it can enroll staff; it adds people by hand, makes a 驿站社工's
// code and a volunteer's code on 设备 (each redeemed in its own browser); one wish goes
// the whole loop (collected, verified, published, claimed, resolved, confirmed, rated
// with a 回访, closed as 已圆梦 with a story) and a second stays open; an office code made
// on 设备 signs in at /office, which shows the community by name with the wish's figures,
// opens the closed wish, marks the open one 督办; the coordinator's tablet shows 街道督办;
// before the console, the 街道 adds a second community (管理 → 新增社区) and its office
// code covers both by name, so the console compares both and the report names both;
// the month's report is printed to PDF and its text read back. It chains the setup,
// coordinator, loop and console step modules; the steps of its own are the code-making
// and the checks. Prints one JSON line; the first failing step is named in the error.
//
//   node empty-to-report.mjs --url http://127.0.0.1:PORT --code SETUP-CODE --station NAME
//       --second-station NAME --artifacts DIR [--chromium PATH] [--timeout-ms N]

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, parseFlags } from "./browser.mjs";
import * as setup from "./community-setup-steps.mjs";
import * as coordinator from "./coordinator-steps.mjs";
import { FIVE } from "./coordinator-steps.mjs";
import * as loop from "./loop-steps.mjs";
import * as console_ from "./office-console-steps.mjs";

const PREFIX = "e2e-report-";
/** The setup form's first person: the community's first account. */
const FIRST_PERSON = "王芳";
/** The 驿站社工 and the volunteer, from the people added by hand. */
const COORDINATOR = FIVE[0].name;
const VOLUNTEER = FIVE[1].name;
const CLOSED_WISH = "测试：家里路由器坏了";
const OPEN_WISH = "测试：楼道灯不亮";
const SUPERVISION_NOTE = "请本周内上门查看";
/** The community the 街道 adds on screen (新增社区), its station and its lead. */
const SECOND_COMMUNITY = "幸福社区";
const SECOND_COMMUNITY_STATION = "幸福里心愿驿站";
const SECOND_COMMUNITY_LEAD = "李书记";
/** The first community's name (community-setup-steps.mjs fills it in). */
const FIRST_COMMUNITY = "和谐社区";
/** A volunteer the 街道 adds to the second community by hand. */
const SECOND_COMMUNITY_VOLUNTEER = { name: "陈志愿", role: "volunteer", skills: "陪老人聊天" };
/** Words no screen of a community worker may show. */
const DEVELOPER_WORDS = /令牌|文档|undefined|NaN|null|token|community-|station-|person-/;

function parseArgs(argv) {
  return parseFlags(argv, {
    names: {
      "--url": "url", "--code": "code", "--station": "station",
      "--second-station": "secondStation", "--artifacts": "artifacts",
    },
    required: ["url", "code", "station", "secondStation", "artifacts"],
    defaults: { timeoutMs: 60000 },
  });
}

/** The one context every step reads: the setup steps' `ctx`, the coordinator steps'
 *  and loop steps' `scene`, at once. */
function newFlow(args, browser) {
  const screenshots = [];
  return {
    args, browser, base: new URL("/", args.url).href, names: [], problems: [], seen: {},
    screenshots, shots: screenshots, artifacts: args.artifacts, shotPrefix: PREFIX,
    timezoneId: "Asia/Shanghai", people: {}, units: {}, firstRole: "office",
  };
}

// ---- the steps ----

/** 创建社区 with the printed setup code; the first account is 街道 (the office). */
async function createCommunity(flow) {
  await setup.setupCommunity(flow);
  flow.office = flow.coordinator;
  const role = await flow.office.evaluate(() => window.wishStation.device.role);
  if (role !== "office") throw new Error(`the first account is ${role}`);
  // The people form checks stations by id: the first station's, once it reached the page.
  flow.station = await setup.stationId(flow.office, flow.args.station);
}

/** 人员: the people the office adds by hand (the coordinator and the volunteer among them). */
async function addPeople(flow) {
  await coordinator.addPeople({ ...flow, page: flow.office }, FIVE);
}

/** 管理 → 新增社区 on the 街道's tablet: a second community with one station; the 街道
 *  then covers it (its 设备 lists it by name). */
async function addSecondCommunity(flow) {
  const page = flow.office;
  await setup.go(page, "#/manage");
  await page.getByTestId("manage-new-community").click();
  await page.getByTestId("new-community-form").waitFor();
  await page.getByTestId("setup-community").fill(SECOND_COMMUNITY);
  await page.getByTestId("setup-district").fill("和平街道");
  await page.getByTestId("setup-station-name-0").fill(SECOND_COMMUNITY_STATION);
  await page.getByTestId("setup-station-address-0").fill("幸福路8号");
  await page.getByTestId("setup-person").fill(SECOND_COMMUNITY_LEAD);
  await setup.shot(flow, page, "new-community");
  await page.getByTestId("new-community-submit").click();
  await page.getByTestId("manage-list").waitFor();
  flow.seen.community_added = (await page.getByTestId("toast").last().innerText()).trim();
}

/** 管理 → 当前社区 on the 街道's tablet: it works in the second community (by name),
 *  adds a volunteer there on 人员 and makes its lead's 驿站社工 code on 设备; the lead's
 *  browser redeems it and shows that community with the volunteer; then the 街道 goes
 *  back to its first community. */
async function staffSecondCommunity(flow) {
  const page = flow.office;
  await workIn(flow, SECOND_COMMUNITY);
  const station = await setup.stationId(page, SECOND_COMMUNITY_STATION);
  await coordinator.addPeople({ ...flow, page, station, people: {}, shotPrefix: `${PREFIX}second-` }, [SECOND_COMMUNITY_VOLUNTEER]);
  const code = await makeCode(flow, "coordinator", SECOND_COMMUNITY_LEAD, [SECOND_COMMUNITY_STATION], [], "second_coordinator");
  const lead = await setup.newTablet(flow);
  await coordinator.enroll(lead, flow.base, code, "幸福社区驿站平板");
  await lead.waitForSelector(`.brand small:has-text('${SECOND_COMMUNITY}')`);
  await coordinator.go(lead, "people");
  await lead.locator(`[data-testid=person][data-name="${SECOND_COMMUNITY_VOLUNTEER.name}"]`).waitFor();
  await setup.shot(flow, lead, "second-community-lead");
  noDeveloperWords("second community's people", await lead.locator("main").innerText());
  const device = await lead.evaluate(() => window.wishStation.device);
  flow.seen.second_community = {
    lead_role: device.role,
    lead_stations: device.stations.length,
    shown: (await lead.locator(".brand small").innerText()).trim(),
  };
  await workIn(flow, FIRST_COMMUNITY);
}

/** Picks the 街道's 当前社区 on 管理 by name and waits until its directory is shown. */
async function workIn(flow, name) {
  const page = flow.office;
  await setup.go(page, "#/manage");
  await page.waitForSelector(`[data-testid=manage-community] option:text-is("${name}")`, { state: "attached" });
  await page.getByTestId("manage-community").selectOption({ label: name });
  await page.waitForSelector(`.brand small:has-text('${name}')`);
  await setup.shot(flow, page, `working-in-${name === FIRST_COMMUNITY ? "first" : "second"}`);
}

/** 设备 on the office's screen: a code for `role`, for `person` (by name) and stations
 *  (by name), for a 街道 code also the communities it covers (by name); returns the
 *  code's text. The card's line is kept under `card` (default: the role). */
async function makeCode(flow, role, person, stations, communities = [], card = role) {
  const page = flow.office;
  // A fresh 设备 screen: the last code's card must not be read as this one.
  await setup.go(page, "#/manage");
  await page.getByTestId("manage-list").waitFor();
  await setup.go(page, "#/devices");
  await page.getByTestId("code-make").waitFor();
  if (person) {
    await page.waitForSelector(`[data-testid=code-person] option:text-is("${person}")`, { state: "attached" });
    await page.getByTestId("code-person").selectOption({ label: person });
  }
  await page.getByTestId("code-role").selectOption(role);
  for (const name of stations) await page.getByTestId("code-station").getByLabel(name, { exact: true }).check();
  for (const name of communities) await page.getByTestId("code-covers").getByLabel(name, { exact: true }).check();
  await page.getByTestId("code-make").click();
  const code = (await page.getByTestId("code-text").innerText()).trim();
  if (!/^WISH-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code)) throw new Error(`code text ${code}`);
  // The card says for whom and where, by name.
  (flow.seen.code_cards ??= {})[card] = (await page.getByTestId("code-card").locator(".meta").first().innerText()).trim();
  await setup.shot(flow, page, `code-${role}`);
  return code;
}

async function enrollCoordinator(flow) {
  const code = await makeCode(flow, "coordinator", COORDINATOR, [flow.args.station, flow.args.secondStation]);
  flow.coord = await setup.newTablet(flow);
  await coordinator.enroll(flow.coord, flow.base, code, "驿站社工平板");
  const device = await flow.coord.evaluate(() => window.wishStation.device);
  if (device.role !== "coordinator" || device.stations.length !== 2) throw new Error(`coordinator enrolled as ${device.role} for ${device.stations}`);
}

async function enrollVolunteer(flow) {
  const code = await makeCode(flow, "volunteer", VOLUNTEER, [flow.args.station]);
  flow.volunteer = await setup.newTablet(flow);
  await coordinator.enroll(flow.volunteer, flow.base, code, "志愿者手机");
  flow.volunteerId = await flow.volunteer.evaluate(() => window.wishStation.device.person);
}

/** One wish the whole loop, on the coordinator's and the volunteer's tablets. */
async function wishLoop(flow) {
  const doc = await loop.publishWish(flow, CLOSED_WISH);
  await loop.claim(flow, doc);
  await loop.resolve(flow, doc, "换了新路由器并设置好网络", 2);
  await confirmHours(flow, doc);
  await loop.rateAndVisit(flow, doc);
  await loop.closeWithStory(flow, doc, "志愿者上门换了路由器，老人能和孙子视频了。");
  flow.closedDoc = doc;
  flow.openDoc = await loop.publishWish(flow, OPEN_WISH);
  flow.seen.loop = await flow.coord.evaluate((d) =>
    JSON.parse(window.wishStation.client.wishTimeline(d)).map((s) => s.kind), doc);
}

/** The 驿站社工 confirms the volunteer's hours (one coordinator: one confirmation). */
async function confirmHours(flow, doc) {
  const page = flow.coord;
  await loop.go(page, `wish/${doc}`);
  const confirm = page.locator("[data-testid=claim-row] button:has-text('确认时长')");
  await confirm.click();
  await page.waitForFunction((d) =>
    JSON.parse(window.wishStation.client.wishTimeline(d)).some((s) => s.kind === "confirmed"), doc, { polling: 250 });
  await page.waitForSelector("[data-testid=status-pill][data-state=online][data-pending='0']");
}

/** An office code made on 设备, covering both communities by name, signs the console
 *  in at /office. */
async function officeSignsIn(flow) {
  const code = await makeCode(flow, "office", FIRST_PERSON, [], [SECOND_COMMUNITY]);
  const context = await flow.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", timezoneId: flow.timezoneId });
  const page = await context.newPage();
  page.setDefaultTimeout(flow.args.timeoutMs);
  page.on("pageerror", (e) => flow.problems.push(`console page error: ${e.message}`));
  flow.console = { page, base: flow.base.replace(/\/$/, ""), artifacts: flow.artifacts, shots: flow.screenshots, shotPrefix: `${PREFIX}console-` };
  await console_.signIn(flow.console, code);
  await console_.period(flow.console, "month");
  const seen = await console_.overview(page);
  await console_.shot(flow.console, "overview");
  flow.seen.console = { kpis: seen.kpis, communities: seen.communities, failed_panels: seen.failed_panels };
  noDeveloperWords("console", seen.text);
}

/** The closed wish's detail, then 督办 on the open one. */
async function detailAndSupervise(flow) {
  const { page } = flow.console;
  await openInList(page, "closed", flow.closedDoc);
  const text = await page.locator("#detail").innerText();
  noDeveloperWords("closed wish detail", text);
  if (!text.includes(CLOSED_WISH) || !text.includes(VOLUNTEER)) throw new Error(`the detail reads ${text}`);
  await console_.shot(flow.console, "closed-detail", { dialog: true });
  await page.keyboard.press("Escape");
  await openInList(page, "published", flow.openDoc);
  const marked = await console_.supervise(flow.console, SUPERVISION_NOTE);
  noDeveloperWords("supervised wish detail", marked.text);
  flow.seen.supervised = { title: marked.title, mark: marked.mark };
}

/** Filters the console's wish list by status and opens the row of `doc`. */
async function openInList(page, status, doc) {
  await page.selectOption("#f-status", status);
  const row = page.locator(`#wishes tbody tr[data-doc="${doc}"]`);
  await row.click();
  await page.waitForSelector(`#detail[open] .detail[data-doc="${doc}"]`);
}

/** The coordinator's tablet shows 街道督办 with the note on the open wish. */
async function tabletShowsSupervision(flow) {
  const page = flow.coord;
  await loop.go(page, `wish/${flow.openDoc}`);
  const chip = page.locator(`[data-testid=wish-detail][data-doc="${flow.openDoc}"] [data-testid=supervised]`);
  await chip.waitFor();
  flow.seen.tablet_mark = (await chip.innerText()).trim();
  await loop.shot(flow, page, "tablet-supervised");
  noDeveloperWords("tablet detail", await page.locator("main").innerText());
}

/** The month's report printed with page.pdf and read back. */
async function printReport(flow) {
  const month = await flow.console.page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
  });
  const printed = await console_.printReport(flow.console, month, join(flow.artifacts, `${PREFIX}report.pdf`));
  noDeveloperWords("report", printed.pdf_text.text);
  flow.seen.report = { month, figures: printed.figures, pages: printed.pdf_text.pages, text: printed.pdf_text.text };
}

function noDeveloperWords(where, text) {
  const found = text.match(DEVELOPER_WORDS);
  if (found) throw new Error(`${where} shows "${found[0]}": ${text.slice(Math.max(0, found.index - 80), found.index + 80)}`);
}

const STEPS = [
  createCommunity, addPeople, enrollCoordinator, enrollVolunteer, wishLoop, addSecondCommunity, staffSecondCommunity,
  officeSignsIn,
  detailAndSupervise, tabletShowsSupervision, printReport,
];

async function runStep(flow, step) {
  try {
    await step(flow);
    if (flow.problems.length) throw new Error(flow.problems.join("\n"));
  } catch (error) {
    await setup.failureShots(flow, step.name);
    if (flow.console) await flow.console.page.screenshot({ path: join(flow.artifacts, `${PREFIX}failed-${step.name}-console.png`), fullPage: true }).catch(() => {});
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
    return { ok: true, ...flow.seen, screenshots: flow.screenshots, timings_ms: timings };
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
