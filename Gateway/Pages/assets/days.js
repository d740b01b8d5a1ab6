// Day sheets: one printable page per day of a stop, for the organizer (every stop) or one speaker (their days).
// A day opens alone with #day=2026-10-28 or /days/2026-10-28. On a speaker's phone the sheets open offline too.
import { start, api, app, h, t, token, fatal, failureKey, onLanguageChange, formatDate, relative, formatLocal } from './app.js';
import { keep, kept, keepToken, storedToken, unreachable } from './offline.js';
import { daySheet } from './sheet.js';

const main = app();
const role = main.dataset.role === 'speak' ? 'speak' : 'organize';
const tourId = main.dataset.tourId;
const speakerId = main.dataset.speakerId || null;
const base = `/api/tours/${encodeURIComponent(tourId)}`;
const home = role === 'speak' ? `/speak/${encodeURIComponent(tourId)}/${encodeURIComponent(speakerId)}` : `/organize/${encodeURIComponent(tourId)}`;

let sheets = null, syncedAt = null, offline = false;

await start();
onLanguageChange(render);
addEventListener('hashchange', render);
if (role === 'speak' && !token() && storedToken(tourId, speakerId)) {
  const day = chosenDay();
  history.replaceState(null, '', `${location.pathname}#${fragment(storedToken(tourId, speakerId), day)}`);
}
if (!token()) fatal('invalidLink');
else await load();

function fragment(tok, day) {
  const p = new URLSearchParams({ token: tok });
  if (day) p.set('day', day);
  return p.toString();
}

/** The one day asked for, from #day= or the path; null for every day. */
function chosenDay() {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('day');
  const fromPath = location.pathname.match(/\/days\/(\d{4}-\d{2}-\d{2})$/)?.[1];
  const day = fromHash || fromPath;
  return /^\d{4}-\d{2}-\d{2}$/.test(day || '') ? day : null;
}

async function load() {
  const r = await api('GET', `${base}/days${role === 'speak' ? `?speakerId=${encodeURIComponent(speakerId)}` : ''}`);
  if (r.ok) {
    sheets = r.data;
    syncedAt = new Date().toISOString();
    offline = false;
    if (role === 'speak' && sheets.viewer === 'speaker') {
      keepToken(tourId, speakerId, token());
      keep(tourId, speakerId, 'days', sheets);
    }
    return render();
  }
  const copy = role === 'speak' && unreachable(r.status) ? kept(tourId, speakerId, 'days') : null;
  if (!copy) return fatal(failureKey(r.status) ?? (unreachable(r.status) ? 'offlineEmpty' : 'loadFailed'));
  sheets = copy.data;
  syncedAt = copy.at;
  offline = true;
  render();
}

function render() {
  if (!sheets) return;
  const day = chosenDay();
  const shown = day ? sheets.days.filter(d => d.date === day) : sheets.days;
  const link = d => `${location.pathname.replace(/\/days\/\d{4}-\d{2}-\d{2}$/, '/days')}#${fragment(token(), d)}`;
  const editLink = d => role === 'organize'
    ? h('p', {}, h('a', { href: `/logistics/${encodeURIComponent(tourId)}/${encodeURIComponent(d.stopId)}#token=${encodeURIComponent(token())}` }, t('logistics.edit', { city: d.city })))
    : null;
  // replaceChildren would print a null as the text "null".
  main.replaceChildren(...[
    h('nav', { class: 'no-print sheet-nav', 'aria-label': t('days.navigation') },
      h('a', { href: `${home}#${fragment(token())}` }, t(role === 'speak' ? 'days.backSpeaker' : 'days.backOrganizer')),
      h('button', { type: 'button', class: 'secondary', onclick: () => print() }, t('days.print'))),
    h('p', { class: 'eyebrow no-print', i18n: role === 'speak' ? 'speak.eyebrow' : 'org.eyebrow' }),
    h('h1', { class: 'no-print' }, day ? t('days.oneDay', { date: formatDate(day, true) }) : t('days.title')),
    h('p', { class: 'lead no-print' }, [sheets.tourName, sheets.speakerName].filter(Boolean).join(' · ')),
    offline
      ? h('div', { class: 'notice warn no-print', role: 'status', 'data-offline': 'offline' },
        h('p', {}, h('strong', { i18n: 'offline.title' })), h('p', {}, t('offline.synced', { when: relative(syncedAt), at: formatLocal(syncedAt) })))
      : null,
    day
      ? h('p', { class: 'no-print' }, h('a', { href: link(null) }, t('days.all', { count: sheets.days.length })))
      : sheets.days.length > 1
        ? h('nav', { class: 'no-print', 'aria-label': t('days.list') }, h('ul', { class: 'chips' },
          sheets.days.map(d => h('li', {}, h('a', { href: link(d.date) }, formatDate(d.date), ' · ', d.city)))))
        : null,
    shown.length
      ? h('div', { class: 'sheets' }, shown.map(d => daySheet(d, { level: 2, tourName: sheets.tourName, speakerName: sheets.speakerName, extra: editLink(d) })))
      : h('p', { class: 'muted' }, t(day ? 'days.noneThatDay' : 'days.none'))].filter(Boolean));
}
