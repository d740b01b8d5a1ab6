// A speaker's page: where to be and how to get there, in each place's own time, from home and back; today's day
// sheet; their private calendar feed; and a copy kept on the phone for the bus, the train and the plane.
import {
  start, api, app, h, t, token, fatal, failureKey, onLanguageChange, formatInZone, formatDates, formatDate, conflictText,
  relative, formatLocal, problemText, copy,
} from './app.js';
import { keep, kept, keepToken, storedToken, keepPages, forgetDevice, unreachable } from './offline.js';
import { daySheet, legTitle, legLines, timeIn, todayIn } from './sheet.js';

const main = app();
const tourId = main.dataset.tourId;
const speakerId = main.dataset.speakerId;
const base = `/api/tours/${encodeURIComponent(tourId)}`;
const pagePath = `/speak/${encodeURIComponent(tourId)}/${encodeURIComponent(speakerId)}`;
const RETRY_MS = 30000;

let tour = null, itinerary = null, days = null;
let syncedAt = null, offline = false, offlineReady = false, ownDevice = false, forgetArmed = false, retry = null;
let feedLink = null, feedProblem = null;

await start();
onLanguageChange(render);
// The installed app opens without the #token= fragment: the link kept on this phone stands in for it.
if (!token() && storedToken(tourId, speakerId)) history.replaceState(null, '', `${location.pathname}#token=${storedToken(tourId, speakerId)}`);
if (!token()) fatal('invalidLink');
else {
  await load();
  addEventListener('online', () => load());
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible' && offline) load(); });
}

async function load() {
  clearTimeout(retry);
  // Conflicts come back with `message` in the asked language and `messageEs` always Spanish: asking in English keeps
  // both languages in the copy this phone keeps, so switching language offline still shows no other language's words.
  const [ir, tr, dr] = await Promise.all([
    api('GET', `${base}/itinerary?speakerId=${encodeURIComponent(speakerId)}&lang=en`), api('GET', base),
    api('GET', `${base}/days?speakerId=${encodeURIComponent(speakerId)}`)]);
  if (!ir.ok && !unreachable(ir.status)) {
    // A revoked link on a phone that may have been taken: it forgets what it kept.
    if (failureKey(ir.status) === 'invalidLink') await forgetDevice();
    return fatal(failureKey(ir.status) ?? 'loadFailed');
  }
  if (ir.ok && tr.ok && dr.ok) {
    itinerary = ir.data; tour = tr.data; days = dr.data;
    offline = false;
    syncedAt = new Date().toISOString();
    // The organizer may open this page with their own link: only the speaker's own phone keeps a copy.
    ownDevice = !Array.isArray(tour.hosts);
    if (ownDevice) {
      keepToken(tourId, speakerId, token());
      keep(tourId, speakerId, 'itinerary', itinerary);
      keep(tourId, speakerId, 'tour', tour);
      keep(tourId, speakerId, 'days', days);
    }
    render();
    if (ownDevice && !offlineReady) {
      offlineReady = await keepPages([pagePath, `${pagePath}/days`]);
      render();
    }
    return;
  }
  const copies = ['itinerary', 'tour', 'days'].map(p => kept(tourId, speakerId, p));
  if (copies.some(c => !c)) return fatal('offlineEmpty');
  [itinerary, tour, days] = copies.map(c => c.data);
  syncedAt = copies.map(c => c.at).sort()[0];
  offline = true;
  ownDevice = true;
  render();
  retry = setTimeout(load, RETRY_MS);
}

function eventItem(i) {
  return h('li', { class: 'card appointment', 'data-event': i.eventId },
    h('p', { class: 'when' }, formatDate(String(i.localStart).slice(0, 10)), ' ', timeIn(i.start, i.timeZone), '–', timeIn(i.end, i.timeZone), ' ', i.endAbbreviation || ''),
    h('p', {}, h('strong', {}, i.title), i.public === false ? [' ', h('span', { class: 'badge' }, t('event.private'))] : null),
    i.city ? h('p', { class: 'muted' }, i.city) : null);
}

function legItem(i) {
  return h('li', { class: `card travel leg-${i.leg || 'between'}`, 'data-leg': i.leg || 'between' },
    h('p', {}, h('strong', {}, legTitle(i))), ...legLines(i));
}

function syncLine() {
  if (!syncedAt) return null;
  const when = t('offline.synced', { when: relative(syncedAt), at: formatLocal(syncedAt) });
  if (!offline) {
    return h('p', { class: 'sync muted', role: 'status', 'data-offline': offlineReady ? 'ready' : 'online' },
      when, offlineReady ? [' ', t('offline.ready')] : null);
  }
  return h('div', { class: 'notice warn sync', role: 'status', 'data-offline': 'offline' },
    h('p', {}, h('strong', { i18n: 'offline.title' })), h('p', {}, t('offline.body')), h('p', {}, when),
    h('button', { type: 'button', class: 'secondary no-print', onclick: () => load() }, t('offline.retry')));
}

function todaySection() {
  const sheets = (days?.days ?? []);
  const today = sheets.filter(d => d.date === todayIn(d.timeZone));
  const upcoming = sheets.find(d => d.date > todayIn(d.timeZone));
  const daysLink = h('a', { href: `${pagePath}/days` }, t('speak.allDays'));
  const content = today.length
    ? today.map(d => daySheet(d, { level: 3, tourName: tour?.name }))
    : [h('p', { class: 'muted' }, t('speak.noSheetToday')),
      upcoming ? h('p', {}, h('a', { href: `${pagePath}/days#day=${upcoming.date}` }, t('speak.nextSheet', { date: formatDate(upcoming.date), city: upcoming.city }))) : null];
  return h('section', { 'aria-labelledby': 'today-h', class: 'today' }, h('h2', { id: 'today-h', i18n: 'speak.today' }), ...content,
    sheets.length ? h('p', { class: 'no-print' }, daysLink) : null);
}

function feedSection() {
  return h('section', { 'aria-labelledby': 'feed-h', class: 'no-print' },
    h('h2', { id: 'feed-h', i18n: 'feed.title' }),
    h('p', { class: 'hint', i18n: 'feed.intro' }),
    h('button', { type: 'button', disabled: offline || undefined, onclick: issueFeedLink }, t('feed.get')),
    offline ? h('p', { class: 'hint', i18n: 'feed.offline' }) : null,
    feedProblem ? h('p', { class: 'alert', role: 'alert' }, feedProblem) : null,
    feedLink ? feedLinks(feedLink) : null);
}

// The link is shown once (the server keeps only its hash); it stays on screen until the page is left.
function feedLinks(link) {
  const status = h('p', { role: 'status' });
  const box = h('input', { type: 'text', readonly: true, value: link.ics, id: 'feed-url', class: 'url' });
  return h('div', { class: 'notice ok feed-links' },
    h('p', { i18n: 'feed.shownOnce' }),
    h('ul', { class: 'plain feed-apps' },
      h('li', {}, h('a', { href: link.webcal }, t('feed.webcal'))),
      h('li', {}, h('a', { href: link.google, rel: 'noopener noreferrer', target: '_blank' }, t('feed.google'))),
      h('li', {}, h('a', { href: link.outlook, rel: 'noopener noreferrer', target: '_blank' }, t('feed.outlook'))),
      h('li', {}, h('a', { href: link.ics, download: 'itinerary.ics' }, t('feed.ics')))),
    h('label', { for: 'feed-url' }, t('feed.url')), box,
    h('p', { class: 'hint', i18n: 'feed.private' }),
    h('button', { type: 'button', onclick: () => copy(box, status) }, t('copy')), status);
}

async function issueFeedLink() {
  const r = await api('POST', `${base}/speakers/${encodeURIComponent(speakerId)}/feed-link?lang=${document.documentElement.lang === 'es' ? 'es' : 'en'}`);
  feedLink = r.ok ? r.data : null;
  feedProblem = r.ok ? null : problemText(r.data);
  render();
  main.querySelector(feedLink ? '#feed-url' : '#feed-h')?.focus();
}

function deviceSection() {
  if (!ownDevice) return null;
  const button = forgetArmed
    ? h('button', { type: 'button', class: 'danger', onclick: forget }, t('device.forgetSure'))
    : h('button', { type: 'button', class: 'secondary', onclick: () => { forgetArmed = true; render(); main.querySelector('.device button')?.focus(); } }, t('device.forget'));
  return h('section', { 'aria-labelledby': 'device-h', class: 'device no-print' },
    h('h2', { id: 'device-h', i18n: 'device.title' }),
    h('p', { class: 'hint', i18n: 'device.install' }),
    h('p', { class: 'hint', i18n: 'device.forgetHint' }),
    h('div', { class: 'actions' }, button));
}

async function forget() {
  clearTimeout(retry);
  await forgetDevice();
  tour = itinerary = days = null;
  main.replaceChildren(h('div', { class: 'notice ok', role: 'status' },
    h('h1', { i18n: 'device.forgotten.title' }), h('p', { i18n: 'device.forgotten.body' })));
  main.focus();
}

function render() {
  if (!itinerary) return;
  const speaker = tour?.speakers?.find(s => s.id === speakerId);
  // replaceChildren would print a null as the text "null".
  main.replaceChildren(...[
    h('p', { class: 'eyebrow', i18n: 'speak.eyebrow' }),
    h('h1', {}, speaker?.name ?? t('speak.title')),
    tour ? h('p', { class: 'lead' }, tour.name, ' · ', formatDates([tour.startDate, tour.endDate])) : null,
    syncLine(),
    todaySection(),
    h('section', { 'aria-labelledby': 'conf-h' }, h('h2', { id: 'conf-h', i18n: 'org.conflicts' }),
      itinerary.conflicts.length
        ? h('ul', { class: 'cards' }, itinerary.conflicts.map(c => h('li', { class: `card conflict ${c.severity}`, role: 'note', 'data-code': c.code }, conflictText(c))))
        : h('p', { class: 'muted', i18n: 'org.noConflicts' })),
    h('section', { 'aria-labelledby': 'it-h' }, h('h2', { id: 'it-h', i18n: 'speak.itinerary' }),
      itinerary.items.length
        ? h('ol', { class: 'cards itinerary' }, itinerary.items.map(i => (i.kind === 'travel' ? legItem(i) : eventItem(i))))
        : h('p', { class: 'muted', i18n: 'speak.empty' })),
    feedSection(),
    deviceSection()].filter(Boolean));
}
