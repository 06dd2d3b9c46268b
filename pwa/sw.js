// Willay service worker. The server fills in VERSION (a hash of everything under pwa/) and
// SHELL (the files to precache) when it serves this file, so every change to the app is a
// new version with its own cache, and no one bumps a number by hand.
//
// - install: precache the whole shell; one failed file fails the install (no half shells)
// - activate: delete the shell caches of older versions (data caches are kept)
// - fetch: the shell from the cache; navigations under /app/ get the cached page offline;
//   translation strings and place lists stale-while-revalidate; surveys network-first;
//   a survey's files (lists, audio prompts) go to the network untouched
// - an installed update waits until the page sends "skip-waiting" (see update.js)
// - Background Sync "willay-outbox": send the outbox even with no page open
import { syncNow, SYNC_TAG } from "./sync.js";

const VERSION = "__WILLAY_VERSION__";
const SHELL = ["__WILLAY_SHELL__"];
const SHELL_CACHE = `willay-shell-${VERSION}`;
const DATA_CACHE = "willay-data"; // survives updates: cached surveys stay usable
const SCOPE = new URL("./", self.location).pathname; // "/app/"
const SURVEY_FILE = /^\/api\/v1\/surveys\/[^/]+\/(versions\/\d+\/)?files\//;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    // hashed addresses (?v=) never change: the copies the page just loaded are taken from
    // the browser's cache without asking. The others (the page, the manifest) revalidate
    // ("no-cache": a 304 when unchanged), so the new version never mixes in stale files.
    await cache.addAll(SHELL.map((url) => new Request(url,
      { cache: url.includes("?v=") ? "default" : "no-cache" })));
    if (!self.registration.active) await self.skipWaiting(); // first install: nothing to disturb
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("willay-shell-") && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  // waitUntil keeps the worker alive until the switch is made
  if (event.data && event.data.type === "skip-waiting") event.waitUntil(self.skipWaiting());
  if (event.data && event.data.type === "version" && event.ports[0]) event.ports[0].postMessage(VERSION);
});

self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(syncNow().then((report) => {
    // a rejection asks the browser to try again later (with its own backoff)
    if (report.failed) throw new Error("outbox not empty yet");
  }));
});

// ignoreVary: the server marks its answers "Vary: Accept-Encoding, Accept-Language, Cookie",
// but the app's files are the same whatever the phone's language list or a console cookie;
// honouring Vary would refuse to open the app offline once either changed.
const SHELL_MATCH = { ignoreSearch: true, ignoreVary: true };

async function fromShell(request) {
  const cache = await caches.open(SHELL_CACHE);
  if (request.mode === "navigate") {
    return (await cache.match(SCOPE, SHELL_MATCH)) || fetch(request);
  }
  return (await cache.match(request, SHELL_MATCH)) || fetch(request);
}

async function staleWhileRevalidate(event) {
  const cache = await caches.open(DATA_CACHE);
  const cached = await cache.match(event.request, { ignoreVary: true });
  const refresh = fetch(event.request).then(async (response) => {
    // a full storage (quota) must not turn a good answer into a failure
    if (response.ok) await cache.put(event.request, response.clone()).catch(() => {});
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => null));
    return cached;
  }
  return refresh;
}

async function networkFirst(request) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    // a full storage (quota) must not turn a good answer into the offline copy
    if (response.ok) await cache.put(request, response.clone()).catch(() => {});
    if (response.status < 500) return response;
  } catch { /* offline or server down: fall back to the copy */ }
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached) {
    // marked, so the sync engine knows the server was not reached
    const headers = new Headers(cached.headers);
    headers.set("X-Willay-Offline", "1");
    return new Response(await cached.blob(), { status: cached.status, headers });
  }
  return Response.json({ error: { code: "offline", message: "offline", details: {} } }, { status: 503 });
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (path.startsWith(SCOPE) && path !== `${SCOPE}sw.js`) {
    event.respondWith(fromShell(request));
  } else if (path.startsWith("/api/v1/i18n/") || path.startsWith("/api/v1/places/bulk/")) {
    event.respondWith(staleWhileRevalidate(event));
  } else if (SURVEY_FILE.test(path)) {
    // a survey's lists and audio prompts: pwa/form/files.js keeps them in its own cache
  } else if (path.startsWith("/api/v1/surveys") && !request.headers.has("If-None-Match")) {
    event.respondWith(networkFirst(request));
  }
});
