// Step functions of closing the loop (issue 14) in headless Chromium, each driving the
// tablet app through its screens only. They share a `scene` object:
//   { coord, coord2, volunteer: pages (coordinator A, coordinator B, the claimant),
//     proxies: { coord, coord2 } (a cuttable TCP proxy per coordinator, startProxy),
//     volunteerId, artifacts, shots, shotPrefix (optional) }
// so the lead can chain them after the dispatch helper's steps (派单 → 我的任务 → here).

import net from "node:net";
import { join } from "node:path";

export async function go(page, route) {
  await page.evaluate((r) => { location.hash = `#/${r}`; }, route);
}

export async function shot(scene, page, name) {
  const path = join(scene.artifacts, `${scene.shotPrefix ?? "loop-"}${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  scene.shots.push(path);
}

/** A loopback TCP proxy to the server whose network can be cut and restored. */
export function startProxy(upstream) {
  const { hostname, port } = new URL(upstream);
  const sockets = new Set();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) return client.destroy();
    const remote = net.connect(Number(port), hostname);
    for (const s of [client, remote]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(remote).pipe(client);
    client.on("close", () => remote.destroy());
    remote.on("close", () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve({
      url: `http://127.0.0.1:${server.address().port}/`,
      cut() { cut = true; for (const s of sockets) s.destroy(); },
      restore() { cut = false; },
      close() { server.close(); for (const s of sockets) s.destroy(); },
    }));
  });
}

/** Enrolls a fresh page with a code and waits until it is online. */
export async function enroll(page, base, code, name) {
  await page.goto(base);
  await page.getByTestId("enroll-code").fill(code);
  await page.getByTestId("enroll-name").fill(name);
  await page.getByTestId("enroll-submit").click();
  await page.waitForSelector("[data-testid=status-pill][data-state=online]");
}

async function openWish(page, doc) {
  await page.waitForFunction((d) => window.wishStation.wish(d) !== null, doc, { polling: 250 });
  await go(page, `wish/${doc}`);
  await page.waitForSelector(`[data-testid=wish-detail][data-doc="${doc}"]`);
}

/** The kinds of the wish's timeline steps as this page's core derives them. */
function timelineKinds(page, doc) {
  return page.evaluate((d) => JSON.parse(window.wishStation.client.wishTimeline(d)).map((s) => s.kind), doc);
}

async function waitForStep(page, doc, kind) {
  await page.waitForFunction(({ d, k }) =>
    JSON.parse(window.wishStation.client.wishTimeline(d)).some((s) => s.kind === k), { d: doc, k: kind }, { polling: 250 });
}

/** Everything this page wrote is saved on the server. */
async function synced(page) {
  await page.waitForSelector("[data-testid=status-pill][data-state=online][data-pending='0']");
}

/** Coordinator A collects a wish at the station, verifies and publishes it. */
export async function publishWish(scene, title) {
  const page = scene.coord;
  await go(page, "collect");
  await page.getByTestId("collect-compound").fill("幸福花园");
  await page.getByTestId("collect-building").fill("5栋");
  await page.getByTestId("collect-title").fill(title);
  await page.getByTestId("collect-text").fill("家里的路由器坏了，想请懂电脑的志愿者来看看。");
  await page.selectOption("select[name=channel]", "walk_in");
  await page.getByTestId("collect-save").click();
  await page.waitForSelector(`[data-testid=detail-title]:text-is("${title}")`);
  const doc = await page.getAttribute("[data-testid=wish-detail]", "data-doc");
  for (const step of ["verify", "publish"]) {
    await page.getByTestId(`action-${step}`).click();
    await waitForStep(page, doc, step === "verify" ? "verified" : "published");
  }
  await synced(page);
  return doc;
}

/** The volunteer claims the wish from the wall; the server assigns the claim. */
export async function claim(scene, doc) {
  const page = scene.volunteer;
  await openWish(page, doc);
  await page.getByTestId("action-claim").click();
  await page.waitForSelector("[data-testid=claim-row][data-mine=true][data-state=assigned]");
}

/** The volunteer starts and resolves with 服务内容 and hours. */
export async function resolve(scene, doc, note, hours) {
  const page = scene.volunteer;
  await openWish(page, doc);
  await page.getByTestId("action-start").click();
  await waitForStep(page, doc, "started");
  await page.locator("[data-testid=claim-row][data-mine=true] [data-testid=resolve]").click();
  await page.getByTestId("resolve-note").fill(note);
  await page.getByTestId("resolve-hours").fill(String(hours));
  await shot(scene, page, "resolve-form");
  await page.getByTestId("form-resolve").getByTestId("form-submit").click();
  await waitForStep(page, doc, "resolved");
  await synced(page);
}

/**
 * Both coordinators cut from the server confirm the hours, each on their own tablet,
 * then reconnect. Returns how many confirmations and earn entries the wish ends with.
 */
export async function confirmOffline(scene, doc) {
  const pages = [scene.coord, scene.coord2];
  for (const page of pages) {
    await openWish(page, doc);
    await page.waitForSelector("[data-testid=claim-row] button:has-text('确认时长')");
    await page.waitForFunction(() => window.wishStation.ledger !== null, null, { polling: 250 });
  }
  scene.proxies.coord.cut();
  scene.proxies.coord2.cut();
  for (const page of pages) {
    await page.waitForFunction(() => document.querySelector("[data-testid=status-pill]")?.dataset.state !== "online", null, { polling: 250 });
    await page.locator("[data-testid=claim-row] button:has-text('确认时长')").click();
    await waitForStep(page, doc, "confirmed");
  }
  await shot(scene, scene.coord2, "confirm-offline");
  scene.proxies.coord.restore();
  scene.proxies.coord2.restore();
  for (const page of pages) await synced(page);
  // Each tablet holds both confirmations once the other's has come through the server.
  for (const page of pages) {
    await page.waitForFunction((d) =>
      JSON.parse(window.wishStation.client.wishTimeline(d)).filter((s) => s.kind === "confirmed").length === 2, doc, { polling: 250 });
  }
  return (await timelineKinds(scene.coord, doc)).filter((k) => k === "confirmed").length;
}

/** The volunteer records the resident's rating on their behalf (代评) and a 回访. */
export async function rateAndVisit(scene, doc) {
  const page = scene.volunteer;
  await openWish(page, doc);
  await page.getByTestId("action-rate").click();
  await page.selectOption("[data-testid=form-rate] select[name=score]", "5");
  await page.getByTestId("rate-comment").fill("志愿者很耐心，网络修好了");
  await page.getByTestId("form-rate").getByTestId("form-submit").click();
  await waitForStep(page, doc, "rated");
  await page.getByTestId("visit-result").fill("三天后回访，网络正常");
  await page.getByTestId("visit-save").click();
  await page.waitForSelector("[data-testid=visit]");
  await synced(page);
  await shot(scene, page, "rated-visited");
  return page.evaluate((d) => JSON.parse(window.wishStation.client.wishTimeline(d)).find((s) => s.kind === "rated"), doc);
}

/** Coordinator A closes the wish as fulfilled (已圆梦) and tells its story. */
export async function closeWithStory(scene, doc, text) {
  const page = scene.coord;
  await openWish(page, doc);
  await waitForStep(page, doc, "rated");
  await page.getByTestId("action-close").click();
  await page.selectOption("[data-testid=form-close] select[name=reason]", "fulfilled");
  await page.getByTestId("form-close").getByTestId("form-submit").click();
  await waitForStep(page, doc, "closed");
  await page.getByTestId("story-input").fill(text);
  await page.getByTestId("story-save").click();
  await page.waitForSelector("[data-testid=story-text]");
  // A closed wish whose hours are confirmed offers no step on its claims and no list
  // pickers: the core's dry runs decide (a coordinator may still confirm open hours).
  const leftovers = await page
    .locator("[data-testid=claim-row] .claim-actions button, [data-testid=book-offer], [data-testid=link-project], [data-testid=action-edit]")
    .count();
  if (leftovers !== 0) throw new Error(`the closed wish still offers ${leftovers} steps`);
  await synced(page);
  await shot(scene, page, "detail-timeline");
  await go(page, "stories");
  await page.waitForSelector("[data-testid=story-card]");
  await shot(scene, page, "stories");
  return page.locator("[data-testid=story-card]").allTextContents();
}

/** The volunteer's statement on coordinator A's tablet: its lines' kinds and balance. */
export async function statement(scene, person) {
  const page = scene.coord;
  await go(page, "points");
  await page.waitForSelector("[data-testid=points-person]");
  await page.selectOption("[data-testid=points-person]", person);
  await page.waitForSelector("[data-testid=statement]");
  await shot(scene, page, "statement");
  return page.evaluate((p) => JSON.parse(window.wishStation.client.statement(window.wishStation.ledger, p)), person);
}

/** Coordinator A tries a redemption above the balance: refused on screen, nothing written. */
export async function overdraw(scene, person) {
  const page = scene.coord;
  const before = await statement(scene, person);
  const item = await page.evaluate((balance) => {
    const items = Object.values(window.wishStation.community().catalogue).filter((i) => i.active);
    return items.sort((a, b) => b.points - a.points).find((i) => i.points > balance)?.id ?? null;
  }, before.points);
  if (!item) throw new Error("no catalogue item costs more than the balance");
  await page.selectOption("[data-testid=redeem-item]", item);
  await page.getByTestId("redeem-save").click();
  const toast = page.locator("[data-testid=toast]:has-text('积分不足')").last();
  await toast.waitFor();
  await shot(scene, page, "overdraw-refused");
  const after = await page.evaluate((p) => JSON.parse(window.wishStation.client.statement(window.wishStation.ledger, p)), person);
  return { toast: await toast.textContent(), lines_before: before.lines.length, lines_after: after.lines.length };
}

/** 星级公示 on coordinator A's tablet: names and stars. */
export async function starBoard(scene) {
  const page = scene.coord;
  await go(page, "stars");
  await page.waitForSelector("[data-testid=star-row]");
  await shot(scene, page, "stars");
  return page.locator("[data-testid=star-row]").evaluateAll((rows) =>
    rows.map((r) => ({ name: r.dataset.name, stars: Number(r.dataset.stars), text: r.textContent })));
}
