import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./browser.mjs";
// Crops a tall PNG into pieces by showing it in a page.
const [src, ...rest] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
const page = await browser.newPage({ viewport: { width: 1366, height: 1200 } });
const { readFileSync } = await import("node:fs");
await page.setContent(`<body style="margin:0"><img src="data:image/png;base64,${readFileSync(src).toString("base64")}"></body>`);
for (let i = 0; i < rest.length; i += 2) {
  await page.evaluate((y) => window.scrollTo(0, y), Number(rest[i]));
  await page.screenshot({ path: rest[i + 1] });
}
await browser.close();
