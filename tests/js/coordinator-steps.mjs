// Step functions of the coordinator's screens in headless Chromium, each driving the
// tablet app through its screens only (clicks, typing, selects). They share a `scene`
// object ({page, tablet, station (id), artifacts, shots, people, units, shotPrefix
// (optional)}) so they can be chained into one end-to-end flow (setup → people → roster
// → shared tablet → wish-box import: community-end-to-end.mjs).

import { join } from "node:path";

/** Five people a coordinator adds by hand: kinds, modules, party membership, skills. */
export const FIVE = [
  { name: "赵志强", role: "member", party: true, modules: ["comprehensive"], skills: "电脑维修、路由器" },
  { name: "钱丽华", role: "volunteer", skills: "上门走访" },
  { name: "孙医生", role: "expert", modules: ["medical"], skills: "量血压" },
  { name: "李法官", role: "expert", party: true, modules: ["law"], skills: "法律咨询" },
  { name: "周小红", role: "volunteer", skills: "理发" },
];

/** A partner unit (共建单位). */
export const UNIT = { name: "南山区人民医院", kind: "hospital", contact: "王护士长" };

/** Enrolls a fresh browser page with an enrollment code and waits until it is online. */
export async function enroll(page, base, code, name) {
  await page.goto(base);
  await page.getByTestId("enroll-code").fill(code);
  await page.getByTestId("enroll-name").fill(name);
  await page.getByTestId("enroll-submit").click();
  await page.waitForSelector("[data-testid=status-pill][data-state=online]");
}

export async function go(page, route) {
  await page.evaluate((r) => { location.hash = `#/${r}`; }, route);
}

export async function shot(scene, page, name) {
  const path = join(scene.artifacts, `${scene.shotPrefix ?? ""}${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  scene.shots.push(path);
}

/**
 * Submits a form by pressing Enter in one of its text fields, as a keyboard user does.
 * The app does not redraw a screen from sync while a field has focus; a mouse click on
 * 保存 moves focus to the button at the press and submits at the release, and a sync
 * redraw in between (discovery runs every 10 s) replaces the filled form with an empty
 * one, so the click submits nothing.
 */
async function submitFrom(field) {
  await field.press("Enter");
}

/** Waits until the page shows a toast with `text` (the write ran locally). */
async function toastSays(page, text) {
  await page.locator(`[data-testid=toast]:has-text("${text}")`).last().waitFor();
}

/** 人员: adds people through the form; returns their ids by name. */
export async function addPeople(scene, people) {
  const { page } = scene;
  await go(page, "people");
  for (const person of people) {
    await page.getByTestId("add-person").click();
    const form = page.getByTestId("person-form");
    await form.getByTestId("person-name").fill(person.name);
    await form.getByTestId("person-role").selectOption(person.role);
    if (person.party) await form.getByTestId("person-party_member").check();
    for (const module of person.modules ?? []) await form.getByTestId(`person-module_${module}`).check();
    await form.getByTestId("person-skills").fill(person.skills ?? "");
    await form.getByTestId(`person-station_${scene.station}`).check();
    await submitFrom(form.getByTestId("person-skills"));
    const card = page.locator(`[data-testid=person][data-name="${person.name}"]`);
    await card.waitFor();
    scene.people[person.name] = await card.getAttribute("data-person");
  }
  await shot(scene, page, "coordinator-people");
  return scene.people;
}

/** Searches the people list by a skill; returns the names shown, then clears it. */
export async function searchPeople(scene, text) {
  const { page } = scene;
  await go(page, "people");
  await page.getByTestId("people-search").fill(text);
  await page.waitForFunction((t) => [...document.querySelectorAll("[data-testid=person]")].every((c) => c.innerText.includes(t)), text);
  const names = await page.locator("[data-testid=person]").evaluateAll((cards) => cards.map((c) => c.dataset.name));
  await page.getByTestId("people-search").fill("");
  return names;
}

/** 共建单位: adds a partner unit; returns its id. */
export async function addUnit(scene, unit) {
  const { page } = scene;
  await go(page, "units");
  const form = page.getByTestId("unit-form");
  await form.getByTestId("unit-name").fill(unit.name);
  await form.getByTestId("unit-kind").selectOption(unit.kind);
  await form.getByTestId("unit-contact").fill(unit.contact);
  await submitFrom(form.getByTestId("unit-contact"));
  const card = page.locator(`[data-testid=unit][data-name="${unit.name}"]`);
  await card.waitFor();
  scene.units[unit.name] = await card.getAttribute("data-unit");
  await shot(scene, page, "coordinator-units");
  return scene.units[unit.name];
}

/** 人员信息: changes a person's skills and unit, then checks the list shows them. */
export async function editPerson(scene, name, { skills, unit }) {
  const { page } = scene;
  await go(page, "people");
  await page.locator(`[data-testid=person][data-name="${name}"] a`).click();
  await page.getByTestId("person-detail").waitFor();
  await page.getByTestId("person-skills").fill(skills);
  await page.getByTestId("person-unit").selectOption({ label: unit });
  await page.getByTestId("person-save").click();
  await toastSays(page, "已保存");
  await shot(scene, page, "coordinator-person");
  await page.getByTestId("back-to-people").click();
  const card = page.locator(`[data-testid=person][data-name="${name}"]`);
  await card.locator(`text=${unit}`).waitFor();
  return card.innerText();
}

/** Marks a person as having left: hidden from the list and pickers, shown as 已离开. */
export async function deactivate(scene, name) {
  const { page } = scene;
  await go(page, `person/${scene.people[name]}`);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByTestId("deactivate-person").click();
  await page.locator("[data-testid=person-detail] [data-testid=person-left]").waitFor();
  await go(page, "people");
  await page.locator(`[data-testid=person][data-name="${name}"]`).waitFor({ state: "detached" });
  await page.getByTestId("show-left").check();
  await page.locator(`[data-testid=person][data-name="${name}"] [data-testid=person-left]`).waitFor();
  await page.getByTestId("show-left").uncheck();
}

/** 排班: the template (晚间一小时 on weekdays, 红色周末 on Saturday), then next week. */
export async function buildWeek(scene) {
  const { page } = scene;
  await go(page, "roster");
  const section = rosterSection(scene);
  // A slot without weekdays is refused in words, not ids.
  await section.getByTestId("slot-start").fill("08:00");
  await section.getByTestId("slot-end").fill("09:00");
  await section.getByTestId("slot-save").click();
  await toastSays(page, "请至少选择星期几中的一天");
  for (const preset of ["presetEvening", "presetWeekend"]) {
    await section.getByTestId(`preset-${preset}`).click();
    await section.getByTestId("slot-save").click();
    await toastSays(page, "已保存");
  }
  await section.locator("[data-testid=template-slot]").nth(1).waitFor();
  await section.getByTestId("build-week").click();
  await toastSays(page, "已生成下周排班");
  await section.getByTestId("build-week").click();
  await toastSays(page, "下周排班已经生成过了");
  const days = await nextWeek(page);
  scene.week = days;
  await section.locator(`[data-testid=shift][data-date="${days[5]}"][data-start="09:00"]`).waitFor();
  const evenings = await section.locator(`[data-testid=shift][data-start="19:00"]`).evaluateAll(
    (rows, d) => rows.filter((r) => d.includes(r.dataset.date)).map((r) => r.dataset.shift), days);
  return { days, evenings };
}

/** The dates of next week (Monday first) in the page's time zone. */
function nextWeek(page) {
  return page.evaluate(() => {
    const pad = (n) => String(n).padStart(2, "0");
    const day = new Date();
    const monday = new Date(day);
    monday.setDate(day.getDate() - ((day.getDay() + 6) % 7) + 7);
    return Array.from({ length: 7 }, (_, i) => {
      const d = new Date(monday);
      d.setDate(monday.getDate() + i);
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    });
  });
}

function rosterSection(scene) {
  return scene.page.locator(`[data-testid=roster-station][data-station="${scene.station}"]`);
}

function shiftRow(scene, date, start) {
  return rosterSection(scene).locator(`[data-testid=shift][data-date="${date}"][data-start="${start}"]`);
}

/** Assigns a person or unit (by the name the picker shows) to a shift. */
export async function assign(scene, { date, start }, name) {
  const row = shiftRow(scene, date, start);
  await row.getByTestId("assign-select").selectOption({ label: name });
  await row.getByTestId("assign-button").click();
  await row.locator(`[data-testid=assignees]:has-text("${name}")`).waitFor();
}

/** 换班: the person on `a` swaps with the person on `b`. */
export async function swap(scene, a, b) {
  const rowA = shiftRow(scene, a.date, a.start);
  const id = scene.people[a.name];
  const options = await rowA.locator(`[data-testid=exchange-select][data-person="${id}"] option`).evaluateAll(
    (all, who) => all.filter((o) => o.value.startsWith("swap|") && o.textContent.includes(who)).map((o) => o.value), b.name);
  if (options.length !== 1) throw new Error(`no single swap option with ${b.name}: ${options}`);
  await rowA.locator(`[data-testid=exchange-select][data-person="${id}"]`).selectOption(options[0]);
  await rowA.locator(`[data-testid=exchange-button][data-person="${id}"]`).click();
  await rowA.locator(`[data-testid=assignees]:has-text("${b.name}")`).waitFor();
  await shiftRow(scene, b.date, b.start).locator(`[data-testid=assignees]:has-text("${a.name}")`).waitFor();
  await shot(scene, scene.page, "coordinator-roster");
}

/** 换人: hands `from`'s place on a shift to `to` (by name). */
export async function handOver(scene, { date, start, name }, to) {
  const row = shiftRow(scene, date, start);
  const id = scene.people[name];
  const select = row.locator(`[data-testid=exchange-select][data-person="${id}"]`);
  await select.selectOption(`to|${scene.people[to]}`);
  await row.locator(`[data-testid=exchange-button][data-person="${id}"]`).click();
  await row.locator(`[data-testid=assignees]:has-text("${to}")`).waitFor();
  return row.locator("[data-testid=assignees]").innerText();
}

/** Puts a person on today's first shift at the station (this week's list). */
export async function onDutyToday(scene, name) {
  const today = await scene.page.evaluate(() => {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });
  const row = rosterSection(scene).locator(`[data-testid=shift][data-date="${today}"]`).first();
  const start = await row.getAttribute("data-start");
  await assign(scene, { date: today, start }, name);
  return { date: today, start, shift: await row.getAttribute("data-shift") };
}

/** The shared station tablet signs the person in by tapping their name, and out by
 *  typing their name as the personal code. */
export async function signInOnSharedTablet(scene, name) {
  const { tablet } = scene;
  await go(tablet, "duty");
  const id = scene.people[name];
  const row = tablet.locator(`[data-testid=duty-person][data-person="${id}"]`);
  await row.waitFor();
  await row.getByTestId("duty-check-in").click();
  await row.locator(`[data-testid=duty-state]:has-text("已签到")`).waitFor();
  await tablet.waitForSelector("[data-testid=status-pill][data-pending='0']");
  await shot(scene, tablet, "station-tablet-duty");
  await tablet.getByTestId("duty-code").fill(name);
  await tablet.getByTestId("duty-submit").click();
  await row.locator(`[data-testid=duty-state]:has-text("已签退")`).waitFor();
  await tablet.waitForSelector("[data-testid=status-pill][data-pending='0']");
}

/** 兑换目录: adds an item, edits its points, retires it. */
export async function keepCatalogue(scene, name) {
  const { page } = scene;
  await go(page, "catalogue");
  const form = page.getByTestId("item-form");
  await form.getByTestId("item-name").fill(name);
  await form.getByTestId("item-points").fill("30");
  await form.getByTestId("item-save").click();
  const card = page.locator(`[data-testid=catalogue-item][data-name="${name}"]`);
  await card.waitFor();
  await card.getByTestId("edit-item").click();
  const edit = page.getByTestId("item-edit-form");
  await edit.getByTestId("item-points").fill("25");
  await edit.getByTestId("item-save").click();
  await card.locator("text=25").waitFor();
  await card.getByTestId("retire-item").click();
  await page.locator(`[data-testid=catalogue-item][data-name="${name}"][data-active=false]`).waitFor();
  await shot(scene, page, "coordinator-catalogue");
}

/** The people screen in English (the switch in the header), then back to Chinese. */
export async function peopleInEnglish(scene) {
  const { page } = scene;
  await go(page, "people");
  await page.getByTestId("switch-lang").click();
  await page.locator("[data-testid=add-person]:has-text('Add a person')").waitFor();
  await shot(scene, page, "coordinator-people-en");
  const text = await page.locator("main").innerText();
  await page.getByTestId("switch-lang").click();
  await page.locator("[data-testid=add-person]:has-text('添加人员')").waitFor();
  return text;
}
