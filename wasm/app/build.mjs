// Builds the tablet app into dist/: type-checks with tsc, bundles with esbuild, copies
// the static shell and the wasm client, draws the PNG icons and stamps the service worker
// with a hash of everything it caches (a new build means a new cache). Then the street
// office's console and monthly report into dist/office/ (served at /office, not cached by
// the tablets' service worker).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { drawIcon } from "./icon.mjs";

const dist = "dist";
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "icons"), { recursive: true });

// The page and the service worker have different globals (DOM vs WebWorker).
for (const project of ["tsconfig.json", "tsconfig.sw.json"]) {
  execFileSync("node_modules/.bin/tsc", ["-p", project], { stdio: "inherit" });
}

await esbuild.build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  outfile: join(dist, "app.js"),
  logLevel: "warning",
});
cpSync("public", dist, { recursive: true });
cpSync(join("pkg", "wish_wasm_bg.wasm"), join(dist, "wish_wasm_bg.wasm"));
for (const size of [192, 512]) {
  writeFileSync(join(dist, "icons", `icon-${size}.png`), drawIcon(size));
}

// The shell the service worker keeps for offline starts: every file but the source map.
const shell = listFiles(dist).filter((f) => !f.endsWith(".map"));
const hash = createHash("sha256");
for (const file of shell) hash.update(file).update(readFileSync(join(dist, file)));
const version = hash.digest("hex").slice(0, 16);

await esbuild.build({
  entryPoints: ["src/sw.ts"],
  bundle: true,
  format: "iife",
  target: "es2022",
  minify: true,
  outfile: join(dist, "sw.js"),
  define: {
    __BUILD__: JSON.stringify(version),
    __SHELL__: JSON.stringify(["./", ...shell.map((f) => `./${f}`)]),
  },
  logLevel: "warning",
});
writeFileSync(join(dist, "version.txt"), `${version}\n`);
console.log(`tablet app ${version}: ${shell.length} files in ${dist}/`);

// The office pages: after the tablet shell is hashed, so they are not part of it.
const office = join(dist, "office");
await esbuild.build({
  entryPoints: { console: "office/src/main.ts", report: "office/src/report.ts" },
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  outdir: office,
  logLevel: "warning",
});
for (const file of ["index.html", "report.html", "office.css", "report.css"]) {
  cpSync(join("office", file), join(office, file));
}
console.log(`office console: ${listFiles(office).length} files in ${office}/`);

function listFiles(dir, prefix = "") {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, path) : [path];
  });
}
