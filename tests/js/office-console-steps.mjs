// Steps of the street office's console in headless Chromium (office-console.mjs): each
// drives the page through its controls only and returns what it saw.

import { readFile } from "node:fs/promises";
import { join } from "node:path";

export const TOKEN_KEY = "wish-station.office.token";

/** Waits until every panel of the console has loaded (and its charts are drawn). */
export async function ready(page) {
  await page.waitForSelector('#main[data-state="ready"]', { state: "visible" });
  await page.waitForFunction(() => [...document.querySelectorAll(".chart-body")].every((b) => b.hasAttribute("data-drawn")));
}

/**
 * A screenshot of the whole page. Not `fullPage`: Chromium widens the page for it (no
 * scrollbar), Chart.js then redraws every chart on the next frame, and the capture
 * catches blank canvases. The viewport is made as tall as the page instead, and the
 * charts given frames to settle. `{ dialog: true }` takes the viewport only (a dialog
 * sits in its middle).
 */
export async function shot(scene, name, { dialog = false } = {}) {
  const { page } = scene;
  const path = join(scene.artifacts, `${scene.shotPrefix ?? "console-"}${name}.png`);
  if (dialog) {
    await page.screenshot({ path });
  } else {
    const viewport = page.viewportSize();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.min(height, 16000) });
    await settle(page);
    await page.screenshot({ path });
    await page.setViewportSize(viewport);
    await settle(page);
  }
  scene.shots.push(path);
}

/** Two animation frames and a pause: Chart.js redraws a resized chart on the next frame. */
async function settle(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.waitForTimeout(300);
}

/** What the console shows: key figures, community rows, charts, and all its words. */
export function overview(page) {
  return page.evaluate(() => {
    const cells = (id, n) => [...document.querySelectorAll(`#${id} tbody tr td:nth-child(${n})`)].map((td) => td.textContent.trim());
    return {
      kpis: Object.fromEntries([...document.querySelectorAll("[data-kpi]")].map((k) => [k.dataset.kpi, k.querySelector(".kpi-value").textContent.trim()])),
      communities: cells("communities", 1),
      party_communities: cells("party-table", 1),
      roster_stations: cells("roster-table", 2),
      unit_names: cells("ratings-units", 1),
      claimant_names: cells("ratings-claimants", 1),
      volunteer_names: cells("volunteers", 2),
      // A table with no project holds one row of a single cell saying so.
      project_leads: [...document.querySelectorAll("#projects tbody tr")].filter((tr) => tr.children.length > 1).map((tr) => tr.lastElementChild.previousElementSibling.textContent.trim()),
      lists: Object.fromEntries([...document.querySelectorAll("[data-list]")].map((l) => [l.dataset.list, Number(l.dataset.count)])),
      charts: Object.fromEntries([...document.querySelectorAll(".chart-body[id]")].map((c) => [c.id, Number(c.dataset.points)])),
      // Charts whose canvas holds no painted pixel (drawn over nothing, or never drawn).
      blank_charts: [...document.querySelectorAll(".chart-body[id]")].filter((c) => {
        const canvas = c.querySelector("canvas");
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) return false;
        return true;
      }).map((c) => c.id),
      failed_panels: document.querySelectorAll(".card.failed").length,
      range: { from: document.getElementById("range-from")?.value, to: document.getElementById("range-to")?.value },
      text: document.body.innerText,
    };
  });
}

/** Signs in with the office's enrollment code. */
export async function signIn(scene, code) {
  const { page } = scene;
  await page.goto(`${scene.base}/office`, { waitUntil: "load" });
  await page.fill("#code", code);
  await page.click("#enroll");
  await ready(page);
  const stored = await page.evaluate((key) => Boolean(localStorage.getItem(key)), TOKEN_KEY);
  return { stored_token: stored };
}

/** Chooses a period preset (本月, 上月, 本季度, 本年, 全部时间). */
export async function period(scene, preset) {
  await scene.page.click(`[data-preset="${preset}"]`);
  await scene.page.waitForSelector(`[data-preset="${preset}"].active`);
  await ready(scene.page);
  return overview(scene.page);
}

/** 自定义: a custom pair of days. */
export async function customRange(scene, from, to) {
  const { page } = scene;
  await page.click('[data-preset="custom"]');
  await page.fill("#range-from", from);
  await page.fill("#range-to", to);
  await page.click("#range-apply");
  await page.waitForFunction(([f, t]) => document.getElementById("range-note")?.textContent.includes(f) && document.getElementById("range-note")?.textContent.includes(t), [from, to]);
  await ready(page);
  return overview(page);
}

/** Sets the office's overdue target for one urgency (hours) and saves; returns the form's values after the reload. */
export async function setTarget(scene, urgency, hours) {
  const { page } = scene;
  await page.fill(`#targets-form input[name="${urgency}"]`, String(hours));
  await page.click("#targets-save");
  await page.locator('[data-testid=toast]:has-text("超时标准已保存")').waitFor();
  await page.waitForFunction(([u, h]) => document.querySelector(`#targets-form input[name="${u}"]`)?.value === String(h), [urgency, hours]);
  await ready(page);
  return page.$$eval("#targets-form input", (inputs) => Object.fromEntries(inputs.map((i) => [i.name, Number(i.value)])));
}

/** Clicks an export button; the name of the file the browser downloads and its size. */
export async function exportFile(scene, path) {
  const { page } = scene;
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(`[data-export="${path}"]`)]);
  const file = await download.path();
  const { size } = await (await import("node:fs/promises")).stat(file);
  return { name: download.suggestedFilename(), size };
}

/** Chooses a community by its name ("" = 全部社区). */
export async function community(scene, name) {
  const { page } = scene;
  if (name) await page.selectOption("#community", { label: name });
  else await page.selectOption("#community", "");
  await page.waitForFunction((n) => {
    const select = document.getElementById("community");
    return select && select.selectedOptions[0]?.textContent === (n || "全部社区");
  }, name);
  await ready(page);
  return overview(page);
}

/** Open statuses, in the order a wish to mark is looked for. */
const OPEN = [["published", "已发布"], ["claimed", "已认领"], ["assigned", "已派单"], ["in_progress", "进行中"], ["verified", "已验单"], ["collected", "已收集"]];

/**
 * In the wish list, finds an open wish that `held` (doc ids a station tablet holds)
 * contains, filtering by status and paging as a user would; opens its detail.
 */
export async function openHeldWish(scene, held) {
  const { page } = scene;
  for (const [status, word] of OPEN) {
    await page.selectOption("#f-status", status);
    await page.waitForFunction((w) => [...document.querySelectorAll("#wishes tbody tr")].every((tr) => !tr.dataset.doc || tr.children[3].textContent === w), word);
    const doc = await findOnPages(page, held);
    if (doc) {
      await page.click(`#wishes tbody tr[data-doc="${doc}"]`);
      await page.waitForSelector(`#detail[open] .detail[data-doc="${doc}"]`);
      return doc;
    }
  }
  throw new Error("no open wish of the station's tablet in the office's list");
}

async function findOnPages(page, held) {
  for (let turn = 0; turn < 30; turn += 1) {
    const docs = await page.$$eval("#wishes tbody tr[data-doc]", (rows) => rows.map((r) => r.dataset.doc));
    const doc = docs.find((d) => held.includes(d));
    if (doc || (await page.isDisabled("#next"))) return doc;
    const before = await page.textContent("#page-info");
    await page.click("#next");
    await page.waitForFunction((b) => document.getElementById("page-info")?.textContent !== b, before);
  }
  return undefined;
}

/** Marks the open detail 督办 with a note; returns what the detail then shows. */
export async function supervise(scene, note) {
  const { page } = scene;
  await shot(scene, "detail", { dialog: true });
  await page.fill("#supervise-note", note);
  await page.click("#supervise");
  await page.waitForSelector("#detail-mark");
  await shot(scene, "supervised", { dialog: true });
  return page.evaluate(() => ({
    title: document.getElementById("detail-title").textContent,
    mark: document.getElementById("detail-mark").textContent,
    timeline: document.getElementById("detail-timeline").innerText,
    text: document.getElementById("detail").innerText,
  }));
}

/** Prints the monthly report to A4 PDF; returns the PDF's text (pdf.js) and the page's figures. */
export async function printReport(scene, month, pdf) {
  const { page } = scene;
  await page.goto(`${scene.base}/office/report?month=${month}`, { waitUntil: "load" });
  await page.waitForSelector('body[data-state="ready"]');
  await page.waitForFunction(() => [...document.querySelectorAll(".chart-body")].every((b) => b.hasAttribute("data-drawn")));
  await shot(scene, "report");
  await page.emulateMedia({ media: "print" });
  const figures = await page.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll("[data-figure]")].map((f) => [f.dataset.figure, f.querySelector(".value").textContent.trim()])));
  const charts = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll(".chart-body[id]")].map((c) => [c.id, Number(c.dataset.points)])));
  await page.pdf({ path: pdf, format: "A4", printBackground: true });
  await page.emulateMedia({ media: "screen" });
  return { figures, charts, pdf_text: await pdfText(pdf) };
}

/** The text of every page of a PDF, pages joined by form feeds. */
async function pdfText(path) {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const data = new Uint8Array(await readFile(path));
  const document = await pdfjs.getDocument({ data, useSystemFonts: true }).promise;
  const pages = [];
  for (let n = 1; n <= document.numPages; n += 1) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => item.str).join(""));
  }
  return { pages: document.numPages, text: pages.join("\f") };
}
