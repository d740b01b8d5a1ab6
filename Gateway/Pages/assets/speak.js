// A speaker's page: where to be and how to get there, in each place's own time.
import { start, api, app, h, t, fatal, failureKey, requireToken, onLanguageChange, formatInZone, formatDates, conflictText } from './app.js';

const main = app();
const base = `/api/tours/${encodeURIComponent(main.dataset.tourId)}`;
const speakerId = main.dataset.speakerId;
let tour = null, itinerary = null;

await start();
onLanguageChange(render);
if (requireToken()) await load();

async function load() {
  const [ir, tr] = await Promise.all([api('GET', `${base}/itinerary?speakerId=${encodeURIComponent(speakerId)}`), api('GET', base)]);
  if (!ir.ok) return fatal(failureKey(ir.status) ?? 'loadFailed');
  itinerary = ir.data;
  tour = tr.ok ? tr.data : null;
  render();
}

function item(i) {
  if (i.kind === 'travel') {
    const mode = t('mode.' + i.mode) === 'mode.' + i.mode ? i.mode : t('mode.' + i.mode);
    return h('li', { class: 'card travel' },
      h('p', { class: 'when' }, formatInZone(i.start, i.timeZone)),
      // The server titles legs "Travel A → B" in English; the route alone reads in both languages.
      h('p', {}, h('strong', {}, t('speak.travel', { mode })), ' ', (i.title ?? '').replace(/^Travel\s+/, '')),
      h('p', { class: 'muted' }, t('speak.leg', { minutes: i.minutes ?? '?', km: i.distanceKm != null ? Math.round(i.distanceKm) : '?', source: i.source ?? '' })));
  }
  return h('li', { class: 'card appointment' },
    h('p', { class: 'when' }, formatInZone(i.start, i.timeZone), ' – ', formatInZone(i.end, i.endTimeZone || i.timeZone).split(' ').slice(3).join(' ')),
    h('p', {}, h('strong', {}, i.title)), i.city ? h('p', { class: 'muted' }, i.city) : null);
}

function render() {
  if (!itinerary) return;
  const speaker = tour?.speakers?.find(s => s.id === speakerId);
  main.replaceChildren(
    h('p', { class: 'eyebrow', i18n: 'speak.eyebrow' }),
    h('h1', {}, speaker?.name ?? t('speak.title')),
    tour ? h('p', { class: 'lead' }, tour.name, ' · ', formatDates([tour.startDate, tour.endDate])) : null,
    h('section', { 'aria-labelledby': 'conf-h' }, h('h2', { id: 'conf-h', i18n: 'org.conflicts' }),
      itinerary.conflicts.length
        ? h('ul', { class: 'cards' }, itinerary.conflicts.map(c => h('li', { class: `card conflict ${c.severity}`, role: 'note' }, conflictText(c))))
        : h('p', { class: 'muted', i18n: 'org.noConflicts' })),
    h('section', { 'aria-labelledby': 'it-h' }, h('h2', { id: 'it-h', i18n: 'speak.itinerary' }),
      itinerary.items.length ? h('ol', { class: 'cards' }, itinerary.items.map(item)) : h('p', { class: 'muted', i18n: 'speak.empty' })));
}
