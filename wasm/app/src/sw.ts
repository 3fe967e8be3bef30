// The service worker: keeps the app shell (HTML, script, wasm client, styles, icons) so
// the app opens with no network. Documents live in IndexedDB, not here; the API and the
// sync socket always go to the network.
declare const __BUILD__: string;
declare const __SHELL__: string[];
const worker = self as unknown as ServiceWorkerGlobalScope;

const CACHE = `wish-station-shell-${__BUILD__}`;

worker.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(__SHELL__.map((path) => new Request(path, { cache: "reload" }))))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== worker.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/sync") return;
  if (url.pathname.startsWith("/office")) return;
  event.respondWith(fromShell(request));
});

// Cache first: the shell of this build never changes; a new build installs a new worker.
async function fromShell(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const key = request.mode === "navigate" ? "./" : request;
  const cached = await cache.match(key, { ignoreSearch: true });
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch {
    return new Response("离线，且此文件未缓存。Offline and not cached.", {
      status: 503,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
}
