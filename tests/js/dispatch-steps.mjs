// Step functions of 派单, 我的任务 and a unit's claim in headless Chromium, each driving
// the tablet app through its screens only. They share the `scene` object of
// coordinator-steps.mjs ({page (the coordinator), artifacts, shots, shotPrefix?}) plus
// the other tablets passed in, so the lead can chain them with other helpers' steps
// (resolve, 回访, points) into one flow.

import { go, shot } from "./coordinator-steps.mjs";

export { enroll } from "./coordinator-steps.mjs";

/** Waits until `page` has uploaded everything (the status pill shows nothing pending). */
export async function synced(page) {
  await page.waitForSelector("[data-testid=status-pill][data-state=online][data-pending='0']");
}

async function openWish(page, doc) {
  await go(page, `wish/${doc}`);
  await page.waitForSelector(`[data-testid=wish-detail][data-doc="${doc}"]`);
}

/**
 * The coordinator collects a wish card (`{title, text, compound, building, module,
 * capacity}`), verifies and publishes it to the wall; returns its document.
 */
export async function collectAndPublish(scene, wish) {
  const { page } = scene;
  await go(page, "collect");
  await page.getByTestId("collect-form").waitFor();
  await page.getByTestId("collect-compound").fill(wish.compound);
  await page.getByTestId("collect-building").fill(wish.building);
  await page.getByTestId("collect-title").fill(wish.title);
  await page.getByTestId("collect-text").fill(wish.text);
  await page.locator("select[name=suggested_module]").selectOption(wish.module);
  await page.getByTestId("collect-capacity").fill(String(wish.capacity));
  await page.getByTestId("collect-save").click();
  await page.waitForSelector(`[data-testid=detail-title]:text-is("${wish.title}")`);
  const doc = await page.getAttribute("[data-testid=wish-detail]", "data-doc");
  for (const [action, status] of [["verify", "verified"], ["publish", "published"]]) {
    await page.getByTestId(`action-${action}`).click();
    await page.waitForSelector(`[data-testid=status][data-status="${status}"]`);
  }
  return doc;
}

/**
 * 派单: on the wish's detail screen the coordinator reads the suggestions and sends the
 * wish to `name`. Returns the suggestions shown (name, kind, reasons) in their order.
 */
export async function dispatchTo(scene, doc, name) {
  const { page } = scene;
  await openWish(page, doc);
  const row = page.locator(`[data-testid=suggestion][data-name="${name}"]`);
  await row.waitFor();
  const suggested = await page.locator("[data-testid=suggestion]").evaluateAll((rows) => rows.map((r) => ({
    name: r.dataset.name,
    kind: r.dataset.kind,
    reasons: [...r.querySelectorAll("[data-testid=reason]")].map((c) => c.dataset.reason),
  })));
  await shot(scene, page, "dispatch-suggestions");
  await row.getByTestId("dispatch-to").click();
  await page.locator("[data-testid=dispatched-claim]").first().waitFor();
  await page.locator(`[data-testid=claim-row][data-state=assigned]`).first().waitFor();
  await synced(page);
  await shot(scene, page, "dispatch-detail");
  return suggested;
}

/**
 * 我的任务 on another tablet: waits until the dispatched wish is listed (after sync) and
 * the tab shows its badge. Returns `{badge, next, dispatchedBy}`.
 */
export async function tasksShow(scene, page, title) {
  await go(page, "tasks");
  const card = page.locator(`[data-testid=task][data-title="${title}"]`);
  await card.waitFor();
  await page.getByTestId("tasks-badge").waitFor();
  const badge = await page.getByTestId("tasks-badge").textContent();
  const next = await card.getAttribute("data-next");
  const meta = await card.locator(".meta").textContent();
  await shot(scene, page, "dispatch-tasks");
  return { badge: Number(badge), next, meta };
}

/**
 * A partner (共建单位) opens the wish from the wall and claims it as its unit; returns the
 * claim as the partner's tablet holds it once the server has assigned it.
 */
export async function claimAsUnit(scene, page, doc) {
  await page.waitForFunction((d) => window.wishStation.wish(d) !== null, doc, { polling: 250 });
  await openWish(page, doc);
  await page.getByTestId("claim-unit").click();
  await page.waitForFunction((d) => {
    const w = window.wishStation.wish(d);
    return w && !w.refused && w.claims.some((c) => c.kind === "unit" && c.state === "assigned");
  }, doc, { polling: 250 });
  await synced(page);
  await shot(scene, page, "dispatch-unit-claim");
  return page.evaluate((d) => window.wishStation.wish(d).claims.find((c) => c.kind === "unit"), doc);
}

/**
 * 资源清单: a member or partner posts an offer (`{title, skills, asUnit}`) on #/lists; waits
 * until it is listed and uploaded. Returns the offers listed.
 */
export async function postOffer(scene, page, offer) {
  await go(page, "lists");
  const form = page.getByTestId("offer-form");
  await form.waitFor();
  await page.getByTestId("offer-title").fill(offer.title);
  if (offer.asUnit) await page.getByTestId("offer-as-unit").check();
  await page.getByTestId("offer-skills").fill(offer.skills);
  await page.getByTestId("offer-skills").press("Enter");
  await page.locator(`[data-testid=offer][data-title="${offer.title}"]`).waitFor();
  await synced(page);
  await shot(scene, page, "dispatch-lists");
  return page.locator("[data-testid=offer]").evaluateAll((rows) => rows.map((r) => r.dataset.title));
}
