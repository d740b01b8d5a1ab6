// A host group's page: where its holds stand, the claim form, releasing a hold and editing an event.
import {
  start, api, app, h, t, fatal, failureKey, requireToken, say, onLanguageChange, field, showFieldErrors, clearFieldErrors,
  formatDates, formatDate, formatInZone, formatLocal, relative, ordinal, conflictText, problemText, lang,
} from './app.js';

const main = app();
const tourId = encodeURIComponent(main.dataset.tourId);
const hostId = encodeURIComponent(main.dataset.hostId);
const base = `/api/tours/${tourId}`;

// Common zones for the places tours go; anything else goes in the free-text box.
const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles',
  'America/Anchorage', 'Pacific/Honolulu', 'America/Puerto_Rico', 'America/Toronto', 'America/Vancouver',
  'America/Mexico_City', 'America/Tijuana', 'America/Guatemala', 'America/El_Salvador', 'America/Tegucigalpa',
  'America/Managua', 'America/Costa_Rica', 'America/Panama', 'America/Havana', 'America/Santo_Domingo',
  'America/Bogota', 'America/Lima', 'America/Caracas', 'America/Santiago', 'America/Argentina/Buenos_Aires',
  'America/Sao_Paulo', 'Europe/London', 'Europe/Madrid', 'Europe/Paris', 'Europe/Berlin', 'UTC'];

let tour = null, host = null, claims = [];
const stops = new Map();
const problems = new Map(); // claimId or eventId → { conflicts, text } shown until the next action

let claimsBox, form, eventsBox, formNotice, suggestionsBox;

await start();
onLanguageChange(renderClaims);
if (requireToken()) await load();

async function load() {
  const [hr, tr] = await Promise.all([api('GET', `${base}/hosts/${hostId}`), api('GET', base)]);
  if (!hr.ok) return fatal(failureKey(hr.status) ?? 'loadFailed');
  if (!tr.ok) return fatal(failureKey(tr.status) ?? 'loadFailed');
  host = hr.data;
  tour = tr.data;
  build();
  await refresh();
}

function build() {
  claimsBox = h('div', { class: 'cards', 'aria-live': 'polite' });
  formNotice = h('div', { role: 'status', class: 'notice', hidden: true, tabindex: '-1' });
  main.replaceChildren(
    h('p', { class: 'eyebrow', i18n: 'host.eyebrow' }),
    h('h1', {}, host.name),
    h('p', { class: 'lead' }, tour.name, ' · ', h('span', { 'data-dates': '' })),
    h('section', { 'aria-labelledby': 'claims-h' }, h('h2', { id: 'claims-h', i18n: 'host.yourClaims' }), claimsBox),
    h('section', { 'aria-labelledby': 'form-h' }, h('h2', { id: 'form-h', i18n: 'host.claimTitle' }),
      h('p', { class: 'hint', i18n: 'host.claimIntro' }), buildForm(), formNotice));
  main.querySelector('[data-dates]').textContent = formatDates([tour.startDate, tour.endDate]);
  onLanguageChange(() => { main.querySelector('[data-dates]').textContent = formatDates([tour.startDate, tour.endDate]); });
}

async function refresh() {
  const r = await api('GET', `${base}/claims`);
  if (!r.ok) return fatal(failureKey(r.status) ?? 'loadFailed');
  claims = r.data.claims;
  await Promise.all(claims.filter(c => c.status === 'held' || c.status === 'confirmed').map(async c => {
    const s = await api('GET', `${base}/stops/${encodeURIComponent(c.stopId)}`);
    if (s.ok) stops.set(c.stopId, s.data);
  }));
  renderClaims();
}

// ---- claims -------------------------------------------------------------------------------------------------------

function standing(c) {
  if (c.status === 'held') return c.rank === 1 ? t('host.first') : t('host.inLine', { n: ordinal(c.rank) });
  return t('status.' + c.status);
}

function renderClaims() {
  if (!claimsBox) return;
  if (!claims.length) return claimsBox.replaceChildren(h('p', { class: 'muted', i18n: 'host.noClaims' }));
  const sorted = [...claims].sort((a, b) => (a.dates[0] || '').localeCompare(b.dates[0] || ''));
  claimsBox.replaceChildren(...sorted.map(c => {
    const stop = stops.get(c.stopId);
    const card = h('article', { class: 'card claim', 'data-claim': c.claimId, 'data-status': c.status },
      h('h3', {}, c.city, ' · ', formatDates(c.dates)),
      h('p', { class: `standing badge ${c.status} rank-${c.rank}` }, standing(c)));
    if (c.status === 'held' && c.rank > 1) card.append(h('p', { class: 'hint', i18n: 'host.queueHelp' }));
    if (c.status === 'held' && c.expiresAt)
      card.append(h('p', { class: 'expiry', title: c.expiresAt }, t('host.expires', { when: relative(c.expiresAt), at: formatLocal(c.expiresAt) })));
    if (stop) card.append(eventsList(stop));
    // Lodging and notes for the speaker: a page of its own (logistics.js); the link carries this page's token fragment.
    if (c.status === 'held' || c.status === 'confirmed')
      card.append(h('p', {}, h('a', { class: 'logistics-link', href: `/logistics/${tourId}/${encodeURIComponent(c.stopId)}${location.hash}` }, t('logistics.link'))));
    const p = problems.get(c.claimId);
    if (p) card.append(problemBox(p));
    if (c.status === 'held')
      card.append(h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => release(c) }, t('host.release'))));
    return card;
  }));
}

function eventsList(stop) {
  if (!stop.events.length) return h('p', { class: 'muted', i18n: 'host.noEvents' });
  return h('ul', { class: 'events' }, stop.events.map(ev => {
    const li = h('li', { class: 'event', 'data-event': ev.eventId },
      h('span', { class: 'when' }, formatInZone(ev.start, ev.timeZone)), ' ', h('strong', {}, ev.title), ' ',
      h('span', { class: 'badge' }, t(ev.public ? 'event.public' : 'event.private')),
      h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', onclick: e => toggleEdit(li, stop, ev, e.currentTarget) }, t('host.edit')));
    const p = problems.get(ev.eventId);
    if (p) li.append(problemBox(p));
    return li;
  }));
}

function problemBox(p) {
  return h('div', { class: 'alert', role: 'alert' },
    p.text ? h('p', {}, p.text) : null,
    p.conflicts?.length ? h('ul', {}, p.conflicts.map(c => h('li', {}, conflictText(c)))) : null,
    p.notes?.length ? h('div', {}, h('p', { i18n: 'notes' }), h('ul', {}, p.notes.map(n => h('li', {}, n)))) : null);
}

async function release(c) {
  problems.clear();
  const r = await api('POST', `${base}/claims/${encodeURIComponent(c.claimId)}/release`);
  if (!r.ok) {
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    problems.set(c.claimId, { text: problemText(r.data) });
  }
  await refresh();
}

function toggleEdit(li, stop, ev, button) {
  const open = li.querySelector('form');
  if (open) { open.remove(); button.setAttribute('aria-expanded', 'false'); return; }
  button.setAttribute('aria-expanded', 'true');
  const px = 'e' + ev.eventId.replace(/\W/g, '');
  const f = h('form', { class: 'edit', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    field('event.title', 'title', h('input', { type: 'text', value: ev.title, required: true, maxlength: '200' }), null, px),
    field('event.start', 'start', h('input', { type: 'datetime-local', value: ev.localStart.slice(0, 16), required: true }), 'event.startHint', px),
    field('event.duration', 'durationMinutes', h('input', { type: 'number', min: '1', max: '1440', inputmode: 'numeric', value: String(ev.durationMinutes) }), null, px),
    checkbox('event.isPublic', 'public', ev.public, px),
    field('event.description', 'description', h('textarea', { rows: '3', value: ev.description ?? '' }), null, px),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('host.saveEvent'))));
  f.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(f);
    const v = name => f.elements[name];
    const body = {
      title: v('title').value, start: v('start').value || null, durationMinutes: Number(v('durationMinutes').value) || null,
      description: v('description').value, public: v('public').checked,
    };
    const r = await api('PATCH', `${base}/stops/${encodeURIComponent(stop.stopId)}/events/${encodeURIComponent(ev.eventId)}`, body);
    problems.clear();
    if (r.ok) {
      if (r.data.notes?.length) problems.set(ev.eventId, { text: t('host.saved'), notes: r.data.notes });
      return refresh();
    }
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    if (r.status === 409) { problems.set(ev.eventId, { text: problemText(r.data), conflicts: r.data.conflicts }); return refresh(); }
    showFieldErrors(f, r.data?.errors ?? { body: [problemText(r.data)] });
  });
  li.append(f);
  f.elements.title.focus();
}

function checkbox(labelKey, name, checked, idPrefix = 'f') {
  const id = idPrefix + '-' + name.replace(/[^\w-]/g, '_');
  return h('div', { class: 'field check' },
    h('input', { type: 'checkbox', id, name, checked }), h('label', { for: id, i18n: labelKey }),
    h('p', { class: 'field-error', 'data-for': name, hidden: true }));
}

// ---- claim form ---------------------------------------------------------------------------------------------------

function buildForm() {
  const guess = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const zones = ZONES.includes(guess) ? ZONES : [guess, ...ZONES];
  const zoneSelect = h('select', {}, zones.map(z => h('option', { value: z }, z.replace(/_/g, ' '))),
    h('option', { value: '', 'data-i18n': 'host.zoneOther' }, t('host.zoneOther')));
  zoneSelect.value = guess;
  const zoneOther = h('input', { type: 'text', id: 'f-timeZoneOther', placeholder: 'America/Chicago', autocomplete: 'off', hidden: true,
    'aria-label': t('host.zoneOtherLabel'), 'data-i18n-label': 'host.zoneOtherLabel' });
  zoneSelect.addEventListener('change', () => { zoneOther.hidden = zoneSelect.value !== ''; if (!zoneOther.hidden) zoneOther.focus(); });
  const zoneField = field('host.timeZone', 'timeZone', zoneSelect, 'host.timeZoneHint');
  zoneField.insertBefore(zoneOther, zoneField.querySelector('.field-error'));

  const firstDate = h('input', { type: 'date', required: true, min: tour.startDate, max: tour.endDate });
  eventsBox = h('div', { class: 'event-rows' });
  form = h('form', { class: 'claim-form', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    h('fieldset', {}, h('legend', { i18n: 'host.place' }),
      field('host.city', 'city', h('input', { type: 'text', required: true, autocomplete: 'address-level2', maxlength: '120', value: host.city ?? '' })),
      field('host.country', 'country', h('input', { type: 'text', required: true, autocomplete: 'country', maxlength: '60' }), 'host.countryHint'),
      zoneField,
      h('div', { class: 'row' },
        field('host.latitude', 'latitude', h('input', { type: 'number', step: 'any', min: '-90', max: '90', inputmode: 'decimal' })),
        field('host.longitude', 'longitude', h('input', { type: 'number', step: 'any', min: '-180', max: '180', inputmode: 'decimal' }))),
      h('p', { class: 'hint', i18n: 'host.coordsHint' })),
    h('fieldset', {}, h('legend', { i18n: 'host.when' }),
      h('div', { class: 'row' },
        field('host.firstDate', 'dates', firstDate, 'host.firstDateHint'),
        field('host.days', 'days', h('input', { type: 'number', min: '1', max: '14', value: '1', inputmode: 'numeric' }))),
      h('button', { type: 'button', class: 'secondary suggest', onclick: () => suggest(firstDate) }, h('span', { i18n: 'host.suggest' })),
      suggestionsBox = h('div', { class: 'suggestions', 'aria-live': 'polite' })),
    h('fieldset', {}, h('legend', { i18n: 'host.venue' }),
      field('host.venueName', 'venue.name', h('input', { type: 'text', maxlength: '200' })),
      field('host.venueAddress', 'venue.address', h('input', { type: 'text', autocomplete: 'street-address', maxlength: '500' }))),
    h('fieldset', {}, h('legend', { i18n: 'host.events' }), eventsBox,
      h('button', { type: 'button', class: 'secondary', onclick: () => addEventRow(true) }, h('span', { i18n: 'host.addEvent' }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, h('span', { i18n: 'host.submit' }))));
  addEventRow(false);
  // Most events happen on the claimed day, so start the first event's clock there to save typing on a phone.
  firstDate.addEventListener('change', () => {
    for (const input of eventsBox.querySelectorAll('input[type=datetime-local]')) if (!input.value && firstDate.value) input.value = `${firstDate.value}T19:00`;
  });
  form.addEventListener('submit', submit);
  return form;
}

/** Asks the server which dates would fit the confirmed route for this place and time of day, best first. */
async function suggest(firstDate) {
  const body = formBody();
  const firstStart = body.events.find(e => e.start)?.start;
  const q = new URLSearchParams({ hostId });
  if (body.timeZone) q.set('timeZone', body.timeZone);
  if (body.latitude !== null && body.longitude !== null) { q.set('latitude', body.latitude); q.set('longitude', body.longitude); }
  q.set('start', firstStart ? firstStart.slice(11, 16) : '19:00');
  const minutes = body.events.find(e => e.durationMinutes)?.durationMinutes;
  if (minutes) q.set('durationMinutes', minutes);
  suggestionsBox.replaceChildren(h('p', { class: 'muted', i18n: 'loading' }));
  const r = await api('GET', `${base}/suggestions?${q}`);
  if (!r.ok) { suggestionsBox.replaceChildren(problemBox(r.data)); return; }
  const reason = x => (lang() === 'es' ? x.reasonEs : x.reason);
  const good = r.data.suggestions ?? [];
  suggestionsBox.replaceChildren(
    h('p', { class: 'hint', i18n: good.length ? 'host.suggestIntro' : 'host.noSuggestions' }),
    h('ul', { class: 'suggestion-list' }, good.map(x => h('li', {},
      h('strong', {}, formatDate(x.date, true)), ' ', h('span', { class: 'muted' }, reason(x)), ' ',
      h('button', { type: 'button', class: 'link', onclick: () => useDate(firstDate, x.date) }, h('span', { i18n: 'host.useDate' }))))),
    (r.data.rejected ?? []).length ? h('details', {}, h('summary', { i18n: 'host.rejectedDates' }),
      h('ul', {}, r.data.rejected.map(x => h('li', {}, h('strong', {}, formatDate(x.date, true)), ' ', reason(x))))) : '');
}

/** Moves the form to a suggested date, keeping each event's time of day. */
function useDate(firstDate, date) {
  firstDate.value = date;
  for (const input of eventsBox.querySelectorAll('input[type=datetime-local]')) input.value = `${date}T${(input.value || 'T19:00').split('T')[1]}`;
  firstDate.focus();
}

function addEventRow(focus) {
  const i = eventsBox.children.length;
  const p = `events[${i}]`;
  const row = h('div', { class: 'event-row', 'data-index': String(i) },
    h('p', { class: 'row-title' }, h('span', { i18n: 'host.eventN' }), ` ${i + 1}`),
    field('event.title', `${p}.title`, h('input', { type: 'text', maxlength: '200' })),
    field('event.start', `${p}.start`, h('input', { type: 'datetime-local' }), 'event.startHint'),
    field('event.duration', `${p}.durationMinutes`, h('input', { type: 'number', min: '1', max: '1440', value: '120', inputmode: 'numeric' })),
    checkbox('event.isPublic', `${p}.public`, true),
    field('event.description', `${p}.description`, h('textarea', { rows: '2' })));
  if (i > 0) row.append(h('button', { type: 'button', class: 'link', onclick: () => { row.remove(); renumber(); } }, h('span', { i18n: 'host.removeEvent' })));
  eventsBox.append(row);
  const first = form?.elements['dates']?.value;
  if (first) row.querySelector('input[type=datetime-local]').value = `${first}T19:00`;
  if (focus) row.querySelector('input').focus();
}

/** Keeps names as events[0..n-1] so the server's error keys still point at the right row after a removal. */
function renumber() {
  [...eventsBox.children].forEach((row, i) => {
    row.dataset.index = String(i);
    row.querySelector('.row-title').lastChild.textContent = ` ${i + 1}`;
    for (const el of row.querySelectorAll('[name], [data-for]')) {
      for (const attr of ['name', 'data-for']) {
        const v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, v.replace(/^events\[\d+\]/, `events[${i}]`));
      }
    }
  });
}

function formBody() {
  const v = name => form.elements[name];
  const num = name => (v(name).value.trim() === '' ? null : Number(v(name).value));
  const zone = v('timeZone').value || form.querySelector('#f-timeZoneOther').value.trim();
  const dates = [];
  const first = v('dates').value;
  if (first) {
    const days = Math.max(1, Math.min(14, Number(v('days').value) || 1));
    for (let d = 0; d < days; d++) dates.push(new Date(Date.parse(first + 'T00:00:00Z') + d * 86400e3).toISOString().slice(0, 10));
  }
  const events = [];
  for (const row of eventsBox.children) {
    const p = `events[${row.dataset.index}]`;
    const title = v(`${p}.title`).value.trim(), startAt = v(`${p}.start`).value;
    if (!title && !startAt) continue; // an untouched row is not an event
    events.push({
      title, start: startAt || null, durationMinutes: num(`${p}.durationMinutes`), public: v(`${p}.public`).checked,
      description: v(`${p}.description`).value.trim() || null,
    });
  }
  return {
    city: v('city').value.trim(), country: v('country').value.trim(), timeZone: zone,
    latitude: num('latitude'), longitude: num('longitude'), dates,
    venue: { name: v('venue.name').value.trim() || null, address: v('venue.address').value.trim() || null }, events,
  };
}

async function submit(e) {
  e.preventDefault();
  clearFieldErrors(form);
  formNotice.hidden = true;
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const r = await api('POST', `${base}/claims`, formBody());
    if (r.ok) {
      const c = r.data;
      formNotice.hidden = false;
      say(formNotice, t('host.sent', { standing: standing(c) }));
      if (c.notes?.length) formNotice.append(h('p', { i18n: 'notes' }), h('ul', {}, c.notes.map(n => h('li', {}, n))));
      // The claim is taken either way; what confirming it would run into is better known now than at confirm time.
      if (c.conflicts?.length) formNotice.append(h('p', { i18n: 'host.claimConflicts' }), h('ul', { class: 'conflicts' }, c.conflicts.map(x => h('li', {}, conflictText(x)))));
      for (const row of [...eventsBox.children].slice(1)) row.remove();
      for (const el of eventsBox.querySelectorAll('input[type=text], input[type=datetime-local], textarea')) el.value = '';
      await refresh();
      formNotice.focus();
      return;
    }
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    showFieldErrors(form, r.data?.errors ?? { body: [problemText(r.data)] });
  } finally {
    button.disabled = false;
  }
}
