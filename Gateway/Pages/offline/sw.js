// The speaker pages' service worker (scope /speak/). It keeps the pages and their assets so a speaker's itinerary
// and day sheets open with no network; the data itself is kept by the pages (offline.js), which know when they
// last synced. Network first, always: a phone with signal must never run yesterday's script or see yesterday's page.
// API answers and calendar feeds are never stored here.

const CACHE = 'tourplanner-speak-v1';
const ASSETS = [
  '/assets/app.css', '/assets/sheets.css', '/assets/app.js', '/assets/speak.js', '/assets/days.js', '/assets/sheet.js',
  '/assets/offline.js', '/assets/i18n.json', '/assets/icon-192.png', '/assets/icon-512.png',
];
// A page slower than this is taken from the cache: on a bus, a half-dead connection is worse than none.
const NETWORK_TIMEOUT_MS = 6000;

self.addEventListener('install', event => {
  event.waitUntil(caches.open(CACHE).then(cache => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('tourplanner') && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

// Set by "forget this device": from then on nothing is kept, so a late request (a favicon) cannot bring a cache back.
let forgotten = false;

// A page asks to keep its own URL and its day sheets' URL (the first visit's page never passed through here), or to
// forget everything.
self.addEventListener('message', event => {
  const { type, paths } = event.data || {};
  if (type === 'forget') {
    forgotten = true;
    event.waitUntil((async () => {
      for (const name of await caches.keys()) if (name.startsWith('tourplanner')) await caches.delete(name);
      event.ports[0]?.postMessage({ forgotten: true });
    })());
    return;
  }
  if (type !== 'keep' || !Array.isArray(paths) || forgotten) return;
  const ours = paths.filter(p => typeof p === 'string' && /^\/speak\/[\w-]+\/[\w-]+(\/days)?$/.test(p)).slice(0, 4);
  event.waitUntil((async () => {
    let kept = true;
    const cache = await caches.open(CACHE);
    for (const path of ours) {
      try {
        const response = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
        if (response.ok) await cache.put(path, response); else kept = false;
      } catch { kept = false; }
    }
    event.ports[0]?.postMessage({ kept: kept && ours.length > 0 });
  })());
});

self.addEventListener('fetch', event => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith('/speak/')) {
    // One day alone (/days/2026-10-28) reads its date from the address, so the kept day-sheets page serves it too.
    const days = url.pathname.match(/^(\/speak\/[\w-]+\/[\w-]+\/days)\/\d{4}-\d{2}-\d{2}$/);
    event.respondWith(networkFirst(request, url.pathname, days ? [url.pathname, days[1]] : [url.pathname]));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(networkFirst(request, url.pathname, [url.pathname]));
  }
});

async function networkFirst(request, key, fallbacks) {
  if (forgotten) return fetch(request);
  const cache = await caches.open(CACHE);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), NETWORK_TIMEOUT_MS);
  let response = null;
  try {
    // By URL, not by the request: a navigation request cannot be copied with a signal.
    response = await fetch(request.url, { signal: controller.signal, credentials: 'same-origin' });
    if (response.ok) {
      await cache.put(key, response.clone());
      return response;
    }
    if (response.status < 500) return response;
  } catch {
    response = null; // no network, the Gateway is down, or it took too long
  } finally {
    clearTimeout(timer);
  }
  for (const path of fallbacks) {
    const hit = await cache.match(path);
    if (hit) return hit;
  }
  return response ?? Response.error();
}
