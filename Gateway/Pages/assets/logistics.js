// A stop's lodging and practical notes, written by its host group (or the organizer). They reach that stop's
// speakers on their day sheets and private calendar, never the public page, feed or another host group.
import {
  start, api, app, h, t, token, fatal, failureKey, requireToken, say, onLanguageChange, field, showFieldErrors, clearFieldErrors,
  formatDates, problemText,
} from './app.js';

const main = app();
const tourId = main.dataset.tourId;
const stopId = main.dataset.stopId;
const base = `/api/tours/${encodeURIComponent(tourId)}`;
const FIELDS = ['lodging', 'parking', 'entrance', 'interpreter', 'notes'];

let stop = null, logistics = null, isOrganizer = false, form = null;

await start();
onLanguageChange(render);
if (requireToken()) await load();

async function load() {
  const [sr, lr, tr] = await Promise.all([
    api('GET', `${base}/stops/${encodeURIComponent(stopId)}`), api('GET', `${base}/stops/${encodeURIComponent(stopId)}/logistics`), api('GET', base)]);
  if (!sr.ok) return fatal(failureKey(sr.status) ?? 'loadFailed');
  if (!lr.ok) return fatal(failureKey(lr.status) ?? 'loadFailed');
  stop = sr.data;
  logistics = lr.data;
  isOrganizer = tr.ok && Array.isArray(tr.data.hosts);
  render();
}

function render() {
  if (!stop) return;
  const back = isOrganizer
    ? `/organize/${encodeURIComponent(tourId)}/days#token=${encodeURIComponent(token())}`
    : `/host/${encodeURIComponent(tourId)}/${encodeURIComponent(stop.hostId)}#token=${encodeURIComponent(token())}`;
  form = h('form', { class: 'logistics-form', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    ...FIELDS.map(k => field('logistics.' + k, k,
      h('textarea', { rows: k === 'lodging' || k === 'notes' ? '4' : '2', maxlength: '1000', value: logistics?.[k] ?? '' }), 'logistics.' + k + 'Hint', 'lg')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('logistics.save'))),
    h('p', { class: 'status', role: 'status' }));
  form.addEventListener('submit', save);
  main.replaceChildren(
    h('nav', { class: 'sheet-nav' }, h('a', { href: back }, t(isOrganizer ? 'days.backToSheets' : 'logistics.backHost'))),
    h('p', { class: 'eyebrow', i18n: isOrganizer ? 'org.eyebrow' : 'host.eyebrow' }),
    h('h1', {}, t('logistics.title', { city: stop.city })),
    h('p', { class: 'lead' }, formatDates(stop.dates), stop.venue?.name ? ` · ${stop.venue.name}` : ''),
    h('p', { class: 'hint', i18n: 'logistics.intro' }),
    form);
}

async function save(e) {
  e.preventDefault();
  clearFieldErrors(form);
  const body = Object.fromEntries(FIELDS.map(k => [k, form.elements[k].value]));
  const r = await api('PATCH', `${base}/stops/${encodeURIComponent(stopId)}/logistics`, body);
  const status = form.querySelector('.status');
  if (!r.ok) {
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    return showFieldErrors(form, r.data?.errors ?? { body: [problemText(r.data)] });
  }
  logistics = r.data;
  say(status, t('logistics.saved'));
}
