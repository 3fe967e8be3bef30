// Step functions of the first-setup flow in headless Chromium, each driving the tablet
// app through its screens only: 创建社区 with the setup code (the coordinator's browser
// enrolled on the spot), people imported from an XLSX, a volunteer code made on 设备 and
// redeemed by its text in a second browser context, paper wish cards imported from a
// GB18030 CSV that then show on the volunteer's tablet, bulk codes, a revoke. Each step
// is a function of the shared context `ctx`:
//   { args: {code, people, cards, volunteer, station, secondStation, artifacts, timeoutMs},
//     browser, names, base, problems, screenshots, seen,
//     shotPrefix (default "setup-"), timezoneId (optional) }
// and fills in `ctx.coordinator` and `ctx.volunteer` (pages). community-setup.mjs runs
// them on their own; community-end-to-end.mjs chains them with the coordinator's steps.

import { join } from "node:path";

/** A tablet-sized page (in its own browser context, in `ctx.timezoneId` if set) that
 *  records page errors and console errors. */
export async function newTablet(ctx, { viewport = { width: 1024, height: 1280 } } = {}) {
  const context = await ctx.browser.newContext({ viewport, locale: "zh-CN", timezoneId: ctx.timezoneId });
  await context.addInitScript(reportToasts);
  const page = await context.newPage();
  page.setDefaultTimeout(ctx.args.timeoutMs);
  page.on("pageerror", (e) => ctx.problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "info" && m.text().startsWith(TOAST)) (ctx.toasts ??= []).push(`${page.url()} ${m.text()}`);
    if (m.type() === "error" && !/WebSocket|Failed to fetch|net::ERR|status of 4\d\d/.test(m.text())) ctx.problems.push(`console error: ${m.text()}`);
  });
  return page;
}

const TOAST = "toast: ";

/** In the page: logs every toast (a write's outcome, a refusal) so a failed step can
 *  say what the screen said. Runs in the browser, so it spells out `TOAST`. */
function reportToasts() {
  new MutationObserver((records) => {
    for (const node of records.flatMap((r) => [...r.addedNodes])) {
      if (node.dataset?.testid === "toast") console.info(`toast: ${node.className}: ${node.textContent}`);
    }
  }).observe(document, { childList: true, subtree: true });
}

/** The last toasts the tablets showed, for a failure's message. */
export function recentToasts(ctx, count = 8) {
  return (ctx.toasts ?? []).slice(-count).join("\n");
}

/** Where a screenshot called `name` goes: the artifacts folder, `ctx.shotPrefix` first. */
function shotPath(ctx, name) {
  return join(ctx.args.artifacts, `${ctx.shotPrefix ?? "setup-"}${name}.png`);
}

export async function shot(ctx, page, name) {
  const path = shotPath(ctx, name);
  await page.screenshot({ path, fullPage: true });
  ctx.screenshots.push(path);
}

export async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
}

/**
 * Chooses a file on the import screen as a person does: tapping the file input focuses
 * it, so a sync redraw cannot replace the screen while the chooser is open (setting the
 * files directly could land them on an input a redraw had just detached), then waits
 * until the screen holds the choice (`data-keep`).
 */
async function chooseFile(page, path) {
  const chooser = page.waitForEvent("filechooser");
  await page.getByTestId("import-file").click();
  await (await chooser).setFiles(path);
  await page.locator("main[data-keep]").waitFor();
}

// ---- the steps ----

/** 创建社区: the fresh server's first screen, two stations, the coordinator enrolled. */
export async function setupCommunity(ctx) {
  const page = ctx.coordinator = await newTablet(ctx);
  await page.goto(ctx.base);
  await page.getByTestId("setup-form").waitFor();
  await page.getByTestId("setup-code").fill(ctx.args.code);
  await page.getByTestId("setup-community").fill("和谐社区");
  await page.getByTestId("setup-district").fill("和平街道");
  await page.getByTestId("setup-station-name-0").fill(ctx.args.station);
  await page.getByTestId("setup-station-address-0").fill("和平路12号党群服务中心");
  await page.getByTestId("setup-add-station").click();
  await page.getByTestId("setup-station-name-1").fill(ctx.args.secondStation);
  await page.getByTestId("setup-station-kind-1").selectOption("red_station");
  await page.getByTestId("setup-station-address-1").fill("红星小区3栋架空层");
  await page.getByTestId("setup-person").fill("王芳");
  // The first account: 驿站社工 (the default) or 街道, who can then enroll coordinators.
  if (ctx.firstRole) {
    await page.getByTestId("setup-role").selectOption(ctx.firstRole);
    ctx.seen.first_role = await page.$eval("[data-testid=setup-role]", (s) => s.selectedOptions[0].textContent);
  }
  await shot(ctx, page, "1-create-community");
  await page.getByTestId("setup-submit").click();
  await page.getByTestId("manage-list").waitFor();
  await page.waitForSelector("[data-testid=status-pill][data-state=online]");
  await page.waitForSelector(".brand small:has-text('和谐社区')");
  await shot(ctx, page, "2-manage");
  ctx.seen.setup_done = true;
}

/** 导入人员名单: the XLSX is checked row by row, then imported. */
export async function importPeople(ctx) {
  const page = ctx.coordinator;
  await go(page, "#/manage");
  await page.getByTestId("manage-import-people").click();
  await chooseFile(page, ctx.args.people);
  await page.getByTestId("import-check").click();
  const counts = page.getByTestId("import-counts");
  await counts.waitFor();
  const [good, bad] = [await counts.getAttribute("data-good"), await counts.getAttribute("data-bad")];
  if (good !== "20" || bad !== "0") throw new Error(`people check: ${good} good, ${bad} bad: ${await page.getByTestId("import-rows").innerText()}`);
  await shot(ctx, page, "3-import-people-check");
  await page.getByTestId("import-confirm").click();
  const done = page.getByTestId("import-done");
  await done.waitFor();
  ctx.seen.people_imported = Number(await done.getAttribute("data-imported"));
  await shot(ctx, page, "4-import-people-done");
}

/** 设备: a volunteer code for a person picked by name, shown as QR and text. */
export async function issueVolunteerCode(ctx) {
  const page = ctx.coordinator;
  await go(page, "#/devices");
  const person = page.getByTestId("code-person");
  // The imported people reach this browser by sync.
  await page.waitForSelector(`[data-testid=code-person] option:text-is("${ctx.args.volunteer}")`, { state: "attached" });
  await person.selectOption({ label: ctx.args.volunteer });
  await page.getByTestId("code-role").selectOption("volunteer");
  await page.getByTestId("code-station").getByLabel(ctx.args.station).check();
  await page.getByTestId("code-make").click();
  const text = page.getByTestId("code-text");
  await text.waitFor();
  ctx.volunteerCode = (await text.innerText()).trim();
  if (!/^WISH-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(ctx.volunteerCode)) throw new Error(`code text ${ctx.volunteerCode}`);
  await shot(ctx, page, "5-devices-code");
  ctx.seen.volunteer_code = true;
}

/** 批量发登记卡: cards for three people, laid out for printing. */
export async function bulkCards(ctx) {
  const page = ctx.coordinator;
  const people = page.getByTestId("bulk-people");
  for (const name of ctx.names.slice(1, 4)) await people.getByLabel(name, { exact: true }).check();
  await page.getByTestId("bulk-station").getByLabel(ctx.args.station).check();
  await page.getByTestId("bulk-make").click();
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=qr-card]").length === 3);
  await page.emulateMedia({ media: "print" });
  const path = shotPath(ctx, "5b-print-sheet");
  await page.screenshot({ path, fullPage: true });
  ctx.screenshots.push(path);
  await page.emulateMedia({ media: "screen" });
  ctx.seen.bulk_cards = await page.getByTestId("qr-card").count();
}

/** A second browser context enrolls with the code's text. */
export async function enrollVolunteer(ctx) {
  const page = ctx.volunteer = await newTablet(ctx);
  await page.goto(ctx.base);
  await page.getByTestId("enroll-code").fill(ctx.volunteerCode);
  await page.getByTestId("enroll-name").fill("志愿者平板");
  await shot(ctx, page, "6-volunteer-enroll");
  await page.getByTestId("enroll-submit").click();
  await page.waitForSelector("[data-testid=status-pill][data-state=online]");
  const role = await page.evaluate(() => window.wishStation.device.role);
  if (role !== "volunteer") throw new Error(`enrolled as ${role}`);
  if (await page.getByTestId("nav-manage").count()) throw new Error("a volunteer sees the 管理 tab");
}

/** 导入心愿卡: the GB18030 CSV is checked, then imported. */
export async function importWishes(ctx) {
  const page = ctx.coordinator;
  await go(page, "#/manage");
  await page.getByTestId("manage-import-wishes").click();
  await chooseFile(page, ctx.args.cards);
  await page.getByTestId("import-check").click();
  const counts = page.getByTestId("import-counts");
  await counts.waitFor();
  const [good, bad] = [await counts.getAttribute("data-good"), await counts.getAttribute("data-bad")];
  if (good !== "50" || bad !== "0") throw new Error(`cards check: ${good} good, ${bad} bad: ${await page.getByTestId("import-rows").innerText()}`);
  const firstRow = await page.getByTestId("import-row").first().innerText();
  if (!firstRow.includes("楼道灯不亮")) throw new Error(`the GB18030 text reads ${firstRow}`);
  await shot(ctx, page, "7-import-wishes-check");
  await page.getByTestId("import-confirm").click();
  const done = page.getByTestId("import-done");
  await done.waitFor();
  ctx.seen.cards_imported = Number(await done.getAttribute("data-imported"));
  await shot(ctx, page, "8-import-wishes-done");
}

/** The imported cards show on the volunteer's tablet. */
export async function volunteerSeesWishes(ctx) {
  const page = ctx.volunteer;
  await go(page, "#/wishes");
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=wish-card]").length >= 50, null, { timeout: ctx.args.timeoutMs, polling: 500 });
  ctx.seen.volunteer_wishes = await page.getByTestId("wish-card").count();
  await shot(ctx, page, "9-volunteer-wishes");
}

/** 设备: the volunteer's tablet is listed by the person's name and revoked; it goes offline. */
export async function revokeVolunteer(ctx) {
  const page = ctx.coordinator;
  await go(page, "#/manage");
  await page.getByTestId("manage-devices").click();
  const row = page.locator(`[data-testid=device-row]:has-text("${ctx.args.volunteer}")`);
  await row.waitFor();
  await shot(ctx, page, "10-devices-list");
  page.once("dialog", (dialog) => dialog.accept());
  await row.getByTestId("device-revoke").click();
  await page.locator(`[data-testid=device-row][data-revoked=true]:has-text("${ctx.args.volunteer}")`).waitFor();
  await ctx.volunteer.waitForSelector("[data-testid=status-pill]:not([data-state=online])");
  ctx.seen.volunteer_revoked = true;
}

/** Screenshots of every tablet (the coordinator's, the volunteer's, a shared station
 *  tablet's, those open) as they were when a step failed. */
export async function failureShots(ctx, step) {
  const pages = [["coordinator", ctx.coordinator], ["volunteer", ctx.volunteer], ["shared-tablet", ctx.tablet]];
  for (const [who, page] of pages) {
    if (!page) continue;
    const path = shotPath(ctx, `failed-${step}-${who}`);
    await page.screenshot({ path, fullPage: true }).catch(() => {});
    console.error(`screenshot of the ${who}'s tablet: ${path}`);
  }
}

/** The id of the station called `name`, once the community has reached the page. */
export async function stationId(page, name) {
  const id = await page.waitForFunction((wanted) => {
    const stations = window.wishStation.community()?.stations ?? {};
    return Object.entries(stations).find(([, s]) => s.name === wanted)?.[0];
  }, name, { polling: 100 });
  return id.jsonValue();
}
