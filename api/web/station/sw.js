// The station's service worker: it keeps the app's files, so /station opens
// and reloads with no signal. Files are fetched from the network first (a
// keeper gets a new release as soon as there is signal) and from the cache
// when the network fails or is slower than a keeper should wait. API calls
// are never cached (the page keeps its own data in IndexedDB), except the
// labels' barcodes: a barcode depends on its text alone, and the check-in
// fetches each one as the parcel is shelved, so labels print with no signal.
const CACHE = "tongpei-station-v4";
const FILES = [
  "/station",
  "/console/shell/shell.css", "/console/shell/i18n.js", "/console/shell/api.js",
  "/console/shell/session.js", "/console/shell/header.js",
  "/console/station/station.css", "/console/station/app.js", "/console/station/strings.js",
  "/console/station/idb.js", "/console/station/outbox.js", "/console/station/feedback.js",
  "/console/station/status.js", "/console/station/words.js", "/console/station/checkin.js",
  "/console/station/shelf.js", "/console/station/handover.js", "/console/station/problems.js",
  "/console/station/today.js", "/console/station/up.js", "/console/station/labels.js",
  "/console/station/camera.js",
];
const NETWORK_WAIT_MS = 4000;
const BARCODES = "tongpei-station-barcodes";
const MAX_BARCODES = 1000;

self.addEventListener("install", (ev) => {
  ev.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (ev) => {
  ev.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE && k !== BARCODES).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (ev) => {
  const url = new URL(ev.request.url);
  if (ev.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname === "/v1/barcode") { ev.respondWith(barcode(ev.request)); return; }
  if (url.pathname !== "/station" && !url.pathname.startsWith("/console/")) return;
  ev.respondWith(networkThenCache(ev.request, url.pathname === "/station" ? "/station" : ev.request));
});

async function networkThenCache(request, key) {
  const cache = await caches.open(CACHE);
  const fromNet = fetch(request).then((resp) => {
    if (resp.ok) cache.put(key, resp.clone());
    return resp;
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS, null));
  try {
    const resp = await Promise.race([fromNet, timeout]);
    if (resp) return resp;
  } catch (e) { /* no network: the cache answers */ }
  const kept = await cache.match(key);
  return kept || fromNet;
}

// barcode answers a label's barcode from the cache, else from the network,
// keeping at most MAX_BARCODES (the oldest go first). The page
// (labels.js keepBarcode) fills the same cache as parcels are shelved.
async function barcode(request) {
  const cache = await caches.open(BARCODES);
  const kept = await cache.match(request);
  if (kept) return kept;
  // With no signal a fetch may hang rather than fail; a label must not.
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS, Response.error()));
  const resp = await Promise.race([fetch(request).catch(() => Response.error()), timeout]);
  if (resp.ok) {
    await cache.put(request, resp.clone());
    const keys = await cache.keys();
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_BARCODES))) await cache.delete(k);
  }
  return resp;
}
