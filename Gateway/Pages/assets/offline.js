// What a speaker's phone keeps so the itinerary and day sheets open with no signal: the latest answers of the API
// (in localStorage, with when each was fetched), the speaker's link (so the installed app opens without it), and the
// pages themselves (in the service worker's cache). "Forget this device" removes all of it.

const PREFIX = 'tourplanner.offline.';
const WORKER = '/speak/sw.js';
const SCOPE = '/speak/';

const keyOf = (tourId, speakerId) => `${PREFIX}${tourId}/${speakerId}`;

function read(tourId, speakerId) {
  try { return JSON.parse(localStorage.getItem(keyOf(tourId, speakerId)) || 'null') ?? { parts: {} }; }
  catch { return { parts: {} }; }
}

function write(tourId, speakerId, value) {
  try { localStorage.setItem(keyOf(tourId, speakerId), JSON.stringify(value)); return true; }
  catch { return false; /* full or private mode: the page still works online */ }
}

/** The link kept on this device for this speaker, if any. */
export const storedToken = (tourId, speakerId) => read(tourId, speakerId).token || '';

/** Keeps the speaker's link, so the installed app (which opens without the #token= fragment) still reads the tour. */
export function keepToken(tourId, speakerId, token) {
  const saved = read(tourId, speakerId);
  if (saved.token === token) return;
  write(tourId, speakerId, { ...saved, token });
}

/** Keeps the latest answer for one part (tour, itinerary, days) with the time it was fetched. */
export function keep(tourId, speakerId, part, data) {
  const saved = read(tourId, speakerId);
  saved.parts = { ...saved.parts, [part]: { data, at: new Date().toISOString() } };
  return write(tourId, speakerId, saved);
}

/** The kept answer for a part: { data, at } or null. */
export const kept = (tourId, speakerId, part) => read(tourId, speakerId).parts?.[part] ?? null;

/** True when the answer means "no connection to the Gateway", as opposed to the Gateway saying no. */
export const unreachable = status => status === 0 || status === 502 || status === 503 || status === 504;

/**
 * Registers the service worker and asks it to keep these pages, resolving to true once they are stored. The first
 * visit's page was loaded before the worker existed, so it would not otherwise be in the cache.
 */
export async function keepPages(paths) {
  if (!('serviceWorker' in navigator)) return false;
  try {
    await navigator.serviceWorker.register(WORKER, { scope: SCOPE, type: 'classic' });
    const registration = await navigator.serviceWorker.ready;
    if (!registration.active) return false;
    return (await ask(registration.active, { type: 'keep', paths }))?.kept === true;
  } catch {
    return false; // not a secure origin, or storage refused: the page still works online
  }
}

/** Forgets everything TourPlanner keeps on this device: copies, links, cached pages and the service worker. */
export async function forgetDevice() {
  for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
  try {
    const registration = await navigator.serviceWorker?.getRegistration(SCOPE);
    // The worker stops keeping anything first: it still serves this page until it is closed.
    if (registration?.active) await ask(registration.active, { type: 'forget' });
    await registration?.unregister();
    if ('caches' in self) for (const name of await caches.keys()) if (name.startsWith('tourplanner')) await caches.delete(name);
  } catch { /* nothing kept there */ }
  // The link may still sit in the address bar; a reload must not keep it again.
  history.replaceState(null, '', location.pathname);
}

/** Posts a message to the worker and waits for its answer (at most 15 s: a worker that does not answer is not waited for). */
function ask(worker, message) {
  return new Promise(resolve => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), 15000);
    channel.port1.onmessage = e => { clearTimeout(timer); resolve(e.data); };
    worker.postMessage(message, [channel.port2]);
  });
}
