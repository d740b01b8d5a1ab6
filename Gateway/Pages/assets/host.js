// A host group's page: the tour's dates as a month grid, where its requests stand (with what confirming them would run
// into), the request form, and, once a stop is confirmed, its events and venue.
import {
  start, api, app, h, t, fatal, failureKey, requireToken, onLanguageChange, field, showFieldErrors, clearFieldErrors,
  formatDates, formatDate, formatInZone, formatLocal, relative, ordinal, conflictText, problemText, lang, collectErrors, hasErrors,
  newKey, placePicker, isKnownZone, todayIn, formatMinutes, watchTour, say, named,
} from './app.js';

const main = app();
const tourId = encodeURIComponent(main.dataset.tourId);
const rawHostId = main.dataset.hostId;
const hostId = encodeURIComponent(rawHostId);
const base = `/api/tours/${tourId}`;
// The organizer's "preview" opens this page with the organizer's own link: read-only, and only this group's things.
const preview = new URLSearchParams(location.search).get('preview') === '1';

let tour = null, host = null, claims = [], calendar = null;
const stops = new Map();
const warnings = new Map(); // claimId → conflicts confirming it would run into today
const problems = new Map(); // claimId or eventId → { text, conflicts, notes, kind } shown until the next action
const suggestionsFor = new Map(); // claimId → suggestions for a claim behind a confirmed stop
const armed = new Set();
let claimsBox, gridBox, form, eventsBox, formNotice, formWarnings, suggestionsBox, datesExtra;
let claimKey = newKey();
let reloadTimer = null;
const signups = new Map(); // stopId → { count, signups } for confirmed stops whose address is sent on request
// Set from the moment the group asks to leave: its links stop working then, so nothing may load or report a bad link.
let withdrawn = false;


async function load() {
  if (withdrawn) return;
  const [hr, tr] = await Promise.all([api('GET', `${base}/hosts/${hostId}`), api('GET', base)]);
  if (withdrawn) return;
  if (!hr.ok) return fatal(failureKey(hr.status) ?? 'loadFailed');
  if (!tr.ok) return fatal(failureKey(tr.status) ?? 'loadFailed');
  host = hr.data;
  tour = tr.data;
  build();
  await refresh();
}

function build() {
  claimsBox = h('div', { class: 'cards' });
  gridBox = h('div', { class: 'month-grid' });
  formNotice = h('div', { role: 'status', class: 'notice', hidden: true, tabindex: '-1' });
  formWarnings = h('div', { class: 'notice warn', hidden: true });
  main.replaceChildren(
    h('p', { class: 'eyebrow', i18n: 'host.eyebrow' }),
    h('div', { 'data-header': '' }),
    preview ? h('p', { class: 'notice warn', role: 'note' }, t('host.previewBanner', { name: host.name })) : '',
    h('section', { 'aria-labelledby': 'grid-h' }, h('h2', { id: 'grid-h', i18n: 'host.calendar' }),
      h('p', { class: 'hint', i18n: 'host.calendarIntro' }), gridBox),
    h('section', { 'aria-labelledby': 'claims-h' }, h('h2', { id: 'claims-h', i18n: 'host.yourClaims' }), claimsBox),
    h('section', { 'aria-labelledby': 'form-h' }, h('h2', { id: 'form-h', i18n: 'host.claimTitle', tabindex: '-1' }),
      h('p', { class: 'hint', i18n: 'host.claimIntro' }), buildForm(), formNotice, formWarnings),
    preview ? '' : withdrawSection());
  renderHeader();
}

function renderHeader() {
  main.querySelector('[data-header]')?.replaceChildren(h('h1', {}, host.name), h('p', { class: 'lead' }, tour.name, ' · ', formatDates([tour.startDate, tour.endDate])));
}

async function refresh() {
  if (withdrawn) return;
  const [cr, gr] = await Promise.all([api('GET', `${base}/claims`), api('GET', `${base}/hosts/${hostId}/calendar`)]);
  if (withdrawn) return;
  if (!cr.ok) return fatal(failureKey(cr.status) ?? 'loadFailed');
  claims = cr.data.claims.filter(c => c.hostId === rawHostId);
  calendar = gr.ok ? gr.data : null;
  const live = claims.filter(c => c.status === 'held' || c.status === 'confirmed' || c.status === 'cancelled');
  await Promise.all(live.map(async c => {
    const [s, w] = await Promise.all([
      api('GET', `${base}/stops/${encodeURIComponent(c.stopId)}`),
      c.status === 'held' ? api('GET', `${base}/claims/${encodeURIComponent(c.claimId)}/conflicts`) : Promise.resolve({ ok: false })]);
    if (s.ok) stops.set(c.stopId, s.data);
    if (w.ok) warnings.set(c.claimId, w.data.conflicts); else warnings.delete(c.claimId);
    // Who asked for an on-request address: how many, and the e-mails shared with the group.
    const onRequest = c.status === 'confirmed' && s.ok && s.data.venue?.addressVisibility === 'on-request';
    const su = onRequest && !preview ? await api('GET', `${base}/stops/${encodeURIComponent(c.stopId)}/signups`) : { ok: false };
    if (su.ok) signups.set(c.stopId, su.data); else signups.delete(c.stopId);
  }));
  // A request behind a confirmed stop will not move up: find the nearest dates that would work instead.
  await Promise.all(taken().map(async c => {
    if (suggestionsFor.has(c.claimId)) return;
    const r = await api('GET', `${base}/suggestions?hostId=${hostId}&claimId=${encodeURIComponent(c.claimId)}`);
    suggestionsFor.set(c.claimId, r.ok ? nearest(r.data.suggestions ?? [], c.dates[0]) : []);
  }));
  if (withdrawn) return;
  renderGrid();
  renderClaims();
}

/** Held requests whose date another group's confirmed stop has taken. */
function taken() {
  if (!calendar) return [];
  return claims.filter(c => c.status === 'held' && calendar.days.some(d => d.claimId === c.claimId && d.state === 'confirmed' && !d.mine));
}

function nearest(list, date) {
  const day = d => Date.parse(d + 'T00:00:00Z') / 86400e3;
  return [...list].sort((a, b) => Math.abs(day(a.date) - day(date)) - Math.abs(day(b.date) - day(date)) || a.addedTravelMinutes - b.addedTravelMinutes).slice(0, 4);
}

// ---- month grid ---------------------------------------------------------------------------------------------------

function dayLabel(d) {
  switch (d.state) {
    case 'open': return t('grid.open');
    case 'held': return t('grid.held', { n: d.queue });
    case 'mine': return t('grid.mine', { n: ordinal(d.rank) });
    case 'confirmed': return d.mine ? t('grid.yourStop', { city: d.city }) : t('grid.confirmed', { city: d.city });
    case 'unavailable': return t('grid.unavailable');
    default: return t('grid.past');
  }
}

function renderGrid() {
  if (!gridBox) return;
  if (!calendar) return gridBox.replaceChildren(h('p', { class: 'muted', i18n: 'loadFailed.body' }));
  const months = new Map();
  for (const d of calendar.days) {
    const key = d.date.slice(0, 7);
    if (!months.has(key)) months.set(key, []);
    months.get(key).push(d);
  }
  const locale = lang() === 'es' ? 'es' : 'en-GB';
  const weekdays = [...Array(7)].map((_, i) => new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + i)))); // 2024-01-01 is a Monday
  gridBox.replaceChildren(...[...months.entries()].map(([key, days]) => {
    const long = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(key + '-01T00:00:00Z'));
    const title = long.charAt(0).toUpperCase() + long.slice(1); // "octubre de 2026" → "Octubre de 2026"
    const first = (new Date(days[0].date + 'T00:00:00Z').getUTCDay() + 6) % 7; // Monday first
    const cells = [...Array(first).fill(null), ...days];
    const rows = [];
    for (let i = 0; i < cells.length; i += 7) rows.push(cells.slice(i, i + 7));
    return h('table', { class: 'month' },
      h('caption', {}, title),
      h('thead', {}, h('tr', {}, weekdays.map(w => h('th', { scope: 'col', abbr: w }, w.replace(/\.$/, ''))))),
      h('tbody', {}, rows.map(r => h('tr', {}, [...r, ...Array(7 - r.length).fill(null)].map(d => d ? dayCell(d) : h('td', {}))))));
  }), h('ul', { class: 'legend' }, ['open', 'held', 'mine', 'confirmed', 'unavailable'].map(s => h('li', {}, h('span', { class: `swatch day-${s}`, 'aria-hidden': 'true' }), t('grid.legend.' + s)))));
}

function dayCell(d) {
  const canClaim = !preview && (d.state === 'open' || d.state === 'held');
  const label = `${formatDate(d.date, true)}: ${dayLabel(d)}${canClaim ? '. ' + t('grid.tapToAsk') : ''}`;
  const day = Number(d.date.slice(8));
  const short = { open: '', held: String(d.queue), mine: ordinal(d.rank), confirmed: '✓', unavailable: '–', past: '' }[d.state] ?? '';
  const content = [h('span', { class: 'num' }, String(day)), h('span', { class: 'state', 'aria-hidden': 'true' }, short)];
  return h('td', { class: `day day-${d.state}${d.mine ? ' day-mine' : ''}`, 'data-date': d.date },
    canClaim ? h('button', { type: 'button', 'aria-label': label, onclick: () => startClaimFor(d.date) }, ...content)
      : h('span', { class: 'cell', role: 'img', 'aria-label': label, title: dayLabel(d) }, ...content));
}

function startClaimFor(date) {
  form.elements.dates.value = date;
  form.elements.dates.dispatchEvent(new Event('change'));
  document.getElementById('form-h').scrollIntoView();
  form.elements.dates.focus();
}

// ---- requests -----------------------------------------------------------------------------------------------------

function standing(c) {
  if (c.status === 'held') return c.rank === 1 ? t('host.first') : t('host.inLine', { n: ordinal(c.rank) });
  return t('status.' + c.status);
}

function renderClaims() {
  if (!claimsBox) return;
  if (!claims.length) return claimsBox.replaceChildren(h('p', { class: 'muted', i18n: 'host.noClaims' }));
  const takenIds = new Set(taken().map(c => c.claimId));
  const order = { confirmed: 0, held: 1, cancelled: 2, released: 3, expired: 3 };
  const sorted = [...claims].sort((a, b) => order[a.status] - order[b.status] || (a.dates[0] || '').localeCompare(b.dates[0] || ''));
  claimsBox.replaceChildren(...sorted.map(c => {
    const stop = stops.get(c.stopId);
    const card = h('article', { class: 'card claim', 'data-claim': c.claimId, 'data-status': c.status },
      h('h3', {}, c.city, ' · ', formatDates(c.dates)),
      h('p', { class: `standing badge ${c.status} rank-${c.rank}` }, takenIds.has(c.claimId) ? t('host.taken') : standing(c)));
    if (takenIds.has(c.claimId)) card.append(takenBox(c));
    else if (c.status === 'held' && c.rank > 1) card.append(h('p', { class: 'hint', i18n: 'host.queueHelp' }));
    if (c.status === 'held' && c.expiresAt)
      card.append(h('p', { class: 'expiry', title: c.expiresAt }, t('host.expires', { when: relative(c.expiresAt), at: formatLocal(c.expiresAt) })));
    if (c.status === 'cancelled') card.append(h('p', { class: 'notice warn' }, stop?.cancelledAt ? t('host.cancelledOn', { at: formatLocal(stop.cancelledAt) }) : t('host.cancelled')));
    const w = warnings.get(c.claimId);
    if (c.status === 'held' && w?.length)
      card.append(h('div', { class: 'notice warn warnings' }, h('p', {}, t('host.wouldConflict')), h('ul', {}, w.map(x => h('li', {}, conflictText(x))))));
    if (stop && c.status !== 'released' && c.status !== 'expired') {
      if (stop.venue?.name || stop.venue?.address) card.append(h('p', { class: 'venue' }, [stop.venue.name, stop.venue.address].filter(Boolean).join(' — ')));
      card.append(h('p', { class: 'visibility' }, h('span', { i18n: 'host.visibilityNow' }), ' ',
        h('strong', { i18n: `host.visibility.${stop.venue?.addressVisibility ?? 'city'}` })));
      const su = signups.get(c.stopId);
      if (su && c.status === 'confirmed') card.append(signupsBox(su));
      card.append(eventsList(stop, c));
    }
    // Lodging and notes for the speaker: a page of its own (logistics.js); the link carries this page's token fragment.
    if (!preview && (c.status === 'held' || c.status === 'confirmed'))
      card.append(h('p', {}, h('a', { class: 'logistics-link', href: `/logistics/${tourId}/${encodeURIComponent(c.stopId)}${location.hash}`, 'aria-label': named('logistics.link', `${c.city} · ${formatDates(c.dates)}`) }, t('logistics.link'))));
    const p = problems.get(c.claimId);
    if (p) card.append(problemBox(p));
    const who = formatDates(c.dates);
    const actions = h('div', { class: 'actions' });
    if (!preview && c.status === 'held')
      actions.append(h('button', { type: 'button', class: 'secondary', 'aria-label': named('host.release', who), onclick: () => release(c) }, t('host.release')));
    if (!preview && c.status === 'confirmed' && stop) {
      actions.append(h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-label': named('host.addEventShort', who), onclick: e => toggleAddEvent(card, stop, e.currentTarget) }, t('host.addEventShort')));
      actions.append(h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-label': named('host.changeVenue', who), onclick: e => toggleVenue(card, stop, e.currentTarget) }, t('host.changeVenue')));
    }
    if (actions.children.length) card.append(actions);
    return card;
  }));
}

/** How many supporters asked for the address, and the e-mails of those who agreed to share theirs with the group. */
function signupsBox(su) {
  const shared = su.signups.filter(x => x.email);
  return h('div', { class: 'signups' },
    h('p', {}, t(su.count === 1 ? 'host.signupsOne' : 'host.signups', { n: su.count })),
    shared.length
      ? h('div', {}, h('p', { i18n: 'host.signupsShared' }), h('ul', { class: 'plain shared-emails' }, shared.map(x => h('li', {}, x.email))))
      : su.count ? h('p', { class: 'muted', i18n: 'host.signupsNoneShared' }) : null);
}

// ---- leaving the tour ---------------------------------------------------------------------------------------------

/** "Withdraw from this tour": one button, then a confirmation that says what happens, then the page's final state. */
function withdrawSection() {
  const box = h('div', { class: 'withdraw-box' });
  const status = h('div', { role: 'alert' });
  const ask = () => {
    const sure = h('button', { type: 'button', class: 'danger', onclick: () => withdraw(status, sure) }, h('span', { i18n: 'host.withdrawSure' }));
    const keep = h('button', { type: 'button', class: 'secondary', onclick: () => { box.replaceChildren(opener()); box.querySelector('button').focus(); } }, h('span', { i18n: 'host.withdrawKeep' }));
    box.replaceChildren(h('div', { class: 'notice warn', role: 'group', 'aria-labelledby': 'withdraw-q' },
      h('p', { id: 'withdraw-q' }, h('strong', { i18n: 'host.withdrawQuestion' })),
      h('ul', {}, ['host.withdrawClaims', 'host.withdrawStops', 'host.withdrawContacts', 'host.withdrawLinks'].map(k => h('li', { i18n: k }))),
      h('p', { i18n: 'host.withdrawFinal' }),
      status, h('div', { class: 'actions' }, sure, keep)));
    keep.focus();
  };
  const opener = () => h('button', { type: 'button', class: 'secondary withdraw', onclick: ask }, h('span', { i18n: 'host.withdraw' }));
  box.append(opener());
  return h('section', { 'aria-labelledby': 'withdraw-h' }, h('h2', { id: 'withdraw-h', i18n: 'host.withdrawTitle' }),
    h('p', { class: 'hint', i18n: 'host.withdrawIntro' }), box);
}

async function withdraw(status, button) {
  button.disabled = true;
  withdrawn = true;
  clearTimeout(reloadTimer);
  const r = await api('POST', `${base}/hosts/${hostId}/withdraw`);
  if (!r.ok) {
    withdrawn = false;
    button.disabled = false;
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    status.replaceChildren(h('p', { class: 'alert' }, problemText(r.data)));
    return;
  }
  main.replaceChildren(h('div', { class: 'notice ok', role: 'status', tabindex: '-1' },
    h('h1', { i18n: 'host.withdrawnTitle' }), h('p', { i18n: 'host.withdrawn' })));
  main.firstChild.focus();
}

function takenBox(c) {
  const list = suggestionsFor.get(c.claimId) ?? [];
  return h('div', { class: 'notice warn taken' },
    h('p', {}, t('host.takenBody')),
    list.length ? h('ul', { class: 'suggestion-list' }, list.map(s => h('li', {},
      h('strong', {}, formatDate(s.date, true)), ' ', h('span', {}, t('host.addsTravel', { time: formatMinutes(s.addedTravelMinutes) })), ' ',
      preview ? null : h('button', { type: 'button', class: 'link', 'aria-label': named('host.moveTo', formatDate(s.date, true)), onclick: () => moveClaim(c, s.date) }, t('host.moveTo'))))) : h('p', { i18n: 'host.noSuggestions' }));
}

/** Asks for the suggested date with the same place, venue and events (moved by the same number of days), then gives the taken one up. */
async function moveClaim(c, date) {
  problems.clear();
  const stop = stops.get(c.stopId);
  if (!stop) return;
  const shift = (Date.parse(date + 'T00:00:00Z') - Date.parse(c.dates[0] + 'T00:00:00Z')) / 86400e3;
  const move = iso => new Date(Date.parse(iso.slice(0, 10) + 'T00:00:00Z') + shift * 86400e3).toISOString().slice(0, 10) + iso.slice(10);
  const body = {
    city: stop.city, country: stop.country, timeZone: stop.timeZone, latitude: stop.latitude, longitude: stop.longitude,
    dates: c.dates.map(move), venue: { name: stop.venue?.name ?? null, address: stop.venue?.address ?? null, calendarUrl: stop.venue?.calendarUrl ?? null, addressVisibility: stop.venue?.addressVisibility ?? null },
    events: stop.events.map(e => ({ title: e.title, start: move(e.localStart).slice(0, 16), durationMinutes: e.durationMinutes, public: e.public, description: e.description, speakerIds: e.speakerIds })),
    priority: c.priority ?? 1,
  };
  const r = await api('POST', `${base}/claims`, body, { headers: { 'Idempotency-Key': `move-${c.claimId}-${date}` } });
  if (!r.ok) {
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    problems.set(c.claimId, { text: r.data?.errors ? Object.values(r.data.errors).flat().join(' ') : problemText(r.data) });
    return renderClaims();
  }
  await api('POST', `${base}/claims/${encodeURIComponent(c.claimId)}/release`);
  suggestionsFor.delete(c.claimId);
  await refresh();
  formNotice.hidden = false;
  say(formNotice, t('host.moved', { date: formatDate(date, true), standing: standing(r.data) }));
  formNotice.focus();
}

function eventsList(stop, claim) {
  if (!stop.events.length) return h('p', { class: 'muted', i18n: 'host.noEvents' });
  const editable = !preview && (claim.status === 'held' || claim.status === 'confirmed');
  return h('ul', { class: 'events' }, stop.events.map(ev => {
    const name = `${ev.title}, ${formatInZone(ev.start, ev.timeZone)}`;
    const li = h('li', { class: 'event', 'data-event': ev.eventId },
      h('span', { class: 'when' }, formatInZone(ev.start, ev.timeZone)), ' ', h('strong', {}, ev.title), ' ',
      h('span', { class: 'badge' }, t(ev.public ? 'event.public' : 'event.private')),
      editable ? h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-label': named('host.edit', name), onclick: e => toggleEdit(li, stop, ev, e.currentTarget) }, t('host.edit')) : null,
      editable && claim.status === 'confirmed' && stop.events.length > 1 ? (armed.has(ev.eventId)
        ? h('button', { type: 'button', class: 'link danger-link', 'aria-label': named('host.removeSure', name), onclick: () => removeEvent(stop, ev) }, t('host.removeSure'))
        : h('button', { type: 'button', class: 'link', 'aria-label': named('host.removeEventShort', name), onclick: () => { armed.add(ev.eventId); renderClaims(); } }, t('host.removeEventShort'))) : null);
    const p = problems.get(ev.eventId);
    if (p) li.append(problemBox(p));
    return li;
  }));
}

function problemBox(p) {
  const warn = p.kind === 'warn';
  return h('div', { class: warn ? 'notice warn' : 'alert', role: warn ? null : 'alert', tabindex: '-1' },
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

async function removeEvent(stop, ev) {
  problems.clear();
  armed.clear();
  const r = await api('DELETE', `${base}/stops/${encodeURIComponent(stop.stopId)}/events/${encodeURIComponent(ev.eventId)}`);
  if (!r.ok) {
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    problems.set(ev.eventId, { text: problemText(r.data), conflicts: r.data?.conflicts });
  }
  await refresh();
}

/** After a change to a confirmed stop: refused changes are errors; warnings that did not block it stay warnings. */
async function afterChange(r, key, f) {
  problems.clear();
  if (r.ok) {
    const warn = r.data.warnings ?? r.data.conflicts ?? [];
    if (warn.length || r.data.notes?.length) problems.set(key, { kind: 'warn', text: t('host.savedWithWarnings'), conflicts: warn, notes: r.data.notes });
    await refresh();
    return true;
  }
  if (failureKey(r.status) === 'invalidLink') { fatal('invalidLink'); return false; }
  if (r.status === 409) { problems.set(key, { text: problemText(r.data), conflicts: r.data.conflicts }); await refresh(); return false; }
  showFieldErrors(f, r.data?.errors ?? { body: [problemText(r.data)] });
  return false;
}

function eventFields(px, ev = {}, date = '') {
  return [
    field('event.title', 'title', h('input', { type: 'text', value: ev.title ?? '', required: true, maxlength: '200' }), null, px),
    field('event.start', 'start', h('input', { type: 'datetime-local', value: ev.localStart?.slice(0, 16) ?? (date ? `${date}T19:00` : ''), required: true }), 'event.startHint', px),
    field('event.duration', 'durationMinutes', h('input', { type: 'number', min: '1', max: '1440', inputmode: 'numeric', value: String(ev.durationMinutes ?? 120) }), null, px),
    checkbox('event.isPublic', 'public', ev.public ?? true, px),
    field('event.description', 'description', h('textarea', { rows: '3', value: ev.description ?? '' }), null, px),
  ];
}

function eventBody(f) {
  const v = name => f.elements[name];
  return { title: v('title').value.trim(), start: v('start').value || null, durationMinutes: Number(v('durationMinutes').value) || null,
    description: v('description').value, public: v('public').checked };
}

function eventChecks(b, stop) {
  return collectErrors([
    ['title', b.title ? null : t('check.required')],
    ['start', !b.start ? t('check.dateTime') : stop.dates.includes(b.start.slice(0, 10)) ? null : t('check.startOnDates', { dates: formatDates(stop.dates) })],
    ['durationMinutes', b.durationMinutes >= 1 && b.durationMinutes <= 1440 ? null : t('check.duration')],
  ]);
}

function toggleEdit(li, stop, ev, button) {
  const open = li.querySelector('form');
  if (open) { open.remove(); button.setAttribute('aria-expanded', 'false'); return; }
  button.setAttribute('aria-expanded', 'true');
  const px = 'e' + ev.eventId.replace(/\W/g, '');
  const f = h('form', { class: 'edit', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    ...eventFields(px, ev),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('host.saveEvent'))));
  f.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(f);
    const b = eventBody(f);
    const local = eventChecks(b, stop);
    if (hasErrors(local)) return showFieldErrors(f, local);
    const r = await api('PATCH', `${base}/stops/${encodeURIComponent(stop.stopId)}/events/${encodeURIComponent(ev.eventId)}`, b);
    await afterChange(r, ev.eventId, f);
  });
  li.append(f);
  f.elements.title.focus();
}

function toggleAddEvent(card, stop, button) {
  const open = card.querySelector('form.add-event');
  if (open) { open.remove(); button.setAttribute('aria-expanded', 'false'); return; }
  button.setAttribute('aria-expanded', 'true');
  const px = 'a' + stop.stopId.replace(/\W/g, '');
  const f = h('form', { class: 'add-event', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    ...eventFields(px, {}, stop.dates[0]),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('host.addEventShort'))));
  let key = newKey();
  f.addEventListener('input', () => { key = newKey(); });
  f.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(f);
    const b = eventBody(f);
    const local = eventChecks(b, stop);
    if (hasErrors(local)) return showFieldErrors(f, local);
    const r = await api('POST', `${base}/stops/${encodeURIComponent(stop.stopId)}/events`, b, { headers: { 'Idempotency-Key': key } });
    await afterChange(r, stop.claimId, f);
  });
  card.querySelector('.actions').before(f);
  f.elements.title.focus();
}

function toggleVenue(card, stop, button) {
  const open = card.querySelector('form.venue-form');
  if (open) { open.remove(); button.setAttribute('aria-expanded', 'false'); return; }
  button.setAttribute('aria-expanded', 'true');
  const px = 'v' + stop.stopId.replace(/\W/g, '');
  const f = h('form', { class: 'venue-form', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    ...venueFields(px, stop.venue),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('host.saveVenue'))));
  f.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(f);
    const v = n => f.elements[n].value.trim();
    const b = { name: v('venue.name'), address: v('venue.address'), calendarUrl: v('venue.calendarUrl'), addressVisibility: visibilityOf(f) };
    const local = collectErrors([['venue.calendarUrl', !b.calendarUrl || /^https?:\/\/\S+$/i.test(b.calendarUrl) ? null : t('check.url')]]);
    if (hasErrors(local)) return showFieldErrors(f, local);
    const r = await api('PATCH', `${base}/stops/${encodeURIComponent(stop.stopId)}/venue`, b);
    // The venue's errors come back under its own names (name, calendarUrl); the form's fields are venue.*.
    if (!r.ok && r.data?.errors) r.data.errors = Object.fromEntries(Object.entries(r.data.errors).map(([k, m]) => [k.startsWith('venue.') ? k : `venue.${k}`, m]));
    await afterChange(r, stop.claimId, f);
  });
  card.querySelector('.actions').before(f);
  f.elements['venue.name'].focus();
}

function venueFields(px, venue = {}) {
  return [
    field('host.venueName', 'venue.name', h('input', { type: 'text', maxlength: '200', value: venue?.name ?? '' }), null, px),
    field('host.venueAddress', 'venue.address', h('input', { type: 'text', autocomplete: 'street-address', maxlength: '500', value: venue?.address ?? '' }), null, px),
    visibilityField(px, venue?.addressVisibility ?? 'city'),
    field('host.calendarUrl', 'venue.calendarUrl', h('input', { type: 'url', inputmode: 'url', maxlength: '2000', value: venue?.calendarUrl ?? '' }), 'host.calendarUrlHint', px),
  ];
}

/** What the public sees of the address: three choices, each explained in one sentence; city only unless the group says otherwise. */
function visibilityField(px, chosen) {
  const name = 'venue.addressVisibility';
  return h('fieldset', { class: 'visibility-choice' }, h('legend', { i18n: 'host.visibility' }),
    ['full', 'city', 'on-request'].map(value => {
      const id = `${px}-visibility-${value}`;
      return h('div', { class: 'field check' },
        h('input', { type: 'radio', id, name, value, checked: value === chosen, 'aria-describedby': `${id}-hint` }),
        h('label', { for: id, i18n: `host.visibility.${value}` }),
        h('p', { class: 'hint', id: `${id}-hint`, i18n: `host.visibilityHint.${value}` }));
    }),
    h('p', { class: 'field-error', 'data-for': name, hidden: true }));
}

function visibilityOf(f) {
  return f.querySelector('input[name="venue.addressVisibility"]:checked')?.value ?? 'city';
}

function checkbox(labelKey, name, checked, idPrefix = 'f') {
  const id = idPrefix + '-' + name.replace(/[^\w-]/g, '_');
  return h('div', { class: 'field check' },
    h('input', { type: 'checkbox', id, name, checked }), h('label', { for: id, i18n: labelKey }),
    h('p', { class: 'field-error', 'data-for': name, hidden: true }));
}

// ---- request form -------------------------------------------------------------------------------------------------

function buildForm() {
  const firstDate = h('input', { type: 'date', required: true, min: tour.startDate, max: tour.endDate });
  eventsBox = h('div', { class: 'event-rows' });
  const flex = h('select', {},
    h('option', { value: 'none', 'data-i18n': 'host.flexNone' }, t('host.flexNone')),
    h('option', { value: 'dates', 'data-i18n': 'host.flexDates' }, t('host.flexDates')),
    h('option', { value: 'window', 'data-i18n': 'host.flexWindow' }, t('host.flexWindow')));
  datesExtra = h('div', { class: 'flex-extra' });
  flex.addEventListener('change', () => renderFlex(flex.value));
  const priority = h('select', {}, [1, 2, 3].map(n => h('option', { value: String(n), 'data-i18n': `host.priority${n}` }, t(`host.priority${n}`))));
  form = h('form', { class: 'claim-form', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    h('fieldset', {}, h('legend', { i18n: 'host.place' }),
      placePicker({ idPrefix: 'f', names: { city: 'city', latitude: 'latitude', longitude: 'longitude', timeZone: 'timeZone', country: 'country' }, values: { city: host.city ?? '' }, required: true }),
      h('p', { class: 'hint', i18n: 'host.coordsHint' })),
    h('fieldset', {}, h('legend', { i18n: 'host.when' }),
      h('div', { class: 'row' },
        field('host.firstDate', 'dates', firstDate, 'host.firstDateHint'),
        field('host.days', 'days', h('input', { type: 'number', min: '1', max: '14', value: '1', inputmode: 'numeric' }))),
      field('host.flexible', 'flexible', flex, 'host.flexibleHint'),
      datesExtra,
      field('host.priority', 'priority', priority, 'host.priorityHint'),
      h('button', { type: 'button', class: 'secondary suggest', onclick: () => suggest(firstDate) }, h('span', { i18n: 'host.suggest' })),
      suggestionsBox = h('div', { class: 'suggestions', 'aria-live': 'polite' })),
    h('fieldset', {}, h('legend', { i18n: 'host.venue' }), ...venueFields('f', {})),
    h('fieldset', {}, h('legend', { i18n: 'host.events' }), eventsBox,
      h('button', { type: 'button', class: 'secondary', onclick: () => addEventRow(true) }, h('span', { i18n: 'host.addEvent' }))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', disabled: preview }, h('span', { i18n: 'host.submit' }))));
  addEventRow(false);
  // Most events happen on the claimed day, so start the first event's clock there to save typing on a phone.
  firstDate.addEventListener('change', () => {
    for (const input of eventsBox.querySelectorAll('input[type=datetime-local]')) if (!input.value && firstDate.value) input.value = `${firstDate.value}T19:00`;
  });
  form.addEventListener('submit', submit);
  form.addEventListener('input', () => { claimKey = newKey(); });
  return form;
}

function renderFlex(kind) {
  if (kind === 'dates') {
    const set = new Set();
    const input = h('input', { type: 'date', min: tour.startDate, max: tour.endDate });
    const chips = h('ul', { class: 'chips dates-chips' });
    const render = () => chips.replaceChildren(...[...set].sort().map(d => h('li', { 'data-date': d }, h('span', {}, formatDate(d, true)),
      h('button', { type: 'button', class: 'link', 'aria-label': t('start.removeBlackout', { date: formatDate(d, true) }), onclick: () => { set.delete(d); render(); input.focus(); } }, '×'))));
    const f = field('host.otherDates', 'acceptableDates', input, 'host.otherDatesHint');
    f.querySelector('.field-error').before(h('button', { type: 'button', class: 'secondary', onclick: () => { if (input.value) { set.add(input.value); input.value = ''; render(); input.focus(); } } },
      h('span', { i18n: 'host.addOtherDate' })), chips);
    datesExtra.dates = set;
    datesExtra.replaceChildren(f);
  } else if (kind === 'window') {
    datesExtra.dates = null;
    datesExtra.replaceChildren(h('div', { class: 'row' },
      field('host.windowFrom', 'window.from', h('input', { type: 'date', min: tour.startDate, max: tour.endDate })),
      field('host.windowTo', 'window.to', h('input', { type: 'date', min: tour.startDate, max: tour.endDate }))));
  } else {
    datesExtra.dates = null;
    datesExtra.replaceChildren();
  }
}

/** Asks the server which dates would fit the confirmed route for this place and time of day, best first. */
async function suggest(firstDate) {
  const body = formBody();
  const firstStart = body.events.find(e => e.start)?.start;
  const q = new URLSearchParams({ hostId: rawHostId });
  if (body.timeZone) q.set('timeZone', body.timeZone);
  if (body.latitude !== null && body.longitude !== null) { q.set('latitude', body.latitude); q.set('longitude', body.longitude); }
  q.set('start', firstStart ? firstStart.slice(11, 16) : '19:00');
  const minutes = body.events.find(e => e.durationMinutes)?.durationMinutes;
  if (minutes) q.set('durationMinutes', minutes);
  suggestionsBox.replaceChildren(h('p', { class: 'muted', i18n: 'loading' }));
  const r = await api('GET', `${base}/suggestions?${q}`);
  if (!r.ok) { suggestionsBox.replaceChildren(problemBox({ text: r.data?.errors ? Object.values(r.data.errors).flat().join(' ') : problemText(r.data) })); return; }
  const reason = x => (lang() === 'es' ? x.reasonEs : x.reason);
  const good = r.data.suggestions ?? [];
  suggestionsBox.replaceChildren(
    h('p', { class: 'hint', i18n: good.length ? 'host.suggestIntro' : 'host.noSuggestions' }),
    h('ul', { class: 'suggestion-list' }, good.map(x => h('li', {},
      h('strong', {}, formatDate(x.date, true)), ' ', h('span', { class: 'muted' }, t('host.addsTravel', { time: formatMinutes(x.addedTravelMinutes) })), ' ',
      h('button', { type: 'button', class: 'link', 'aria-label': named('host.useDate', formatDate(x.date, true)), onclick: () => useDate(firstDate, x.date) }, h('span', { i18n: 'host.useDate' }))))),
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
  const speakerBoxes = tour.speakers.length > 1 ? h('fieldset', { class: 'speakers-pick' }, h('legend', { i18n: 'host.eventSpeakers' }),
    tour.speakers.map(s => {
      const id = `f-${p.replace(/\W/g, '_')}-sp-${s.id.replace(/\W/g, '')}`;
      return h('div', { class: 'field check' }, h('input', { type: 'checkbox', id, 'data-speaker': s.id, checked: true }), h('label', { for: id }, s.name));
    }), h('p', { class: 'field-error', 'data-for': `${p}.speakerIds`, hidden: true })) : null;
  const row = h('div', { class: 'event-row', 'data-index': String(i) },
    h('p', { class: 'row-title' }, h('span', { i18n: 'host.eventN' }), ` ${i + 1}`),
    field('event.title', `${p}.title`, h('input', { type: 'text', maxlength: '200' })),
    field('event.start', `${p}.start`, h('input', { type: 'datetime-local' }), 'event.startHint'),
    field('event.duration', `${p}.durationMinutes`, h('input', { type: 'number', min: '1', max: '1440', value: '120', inputmode: 'numeric' })),
    checkbox('event.isPublic', `${p}.public`, true),
    field('event.description', `${p}.description`, h('textarea', { rows: '2' })),
    speakerBoxes);
  if (i > 0) row.append(h('button', { type: 'button', class: 'link', onclick: () => { row.remove(); renumber(); } }, h('span', { i18n: 'host.removeEvent' }), h('span', { class: 'sr-only' }, ` ${i + 1}`)));
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

const addDays = (iso, n) => new Date(Date.parse(iso + 'T00:00:00Z') + n * 86400e3).toISOString().slice(0, 10);

function formBody() {
  const v = name => form.elements[name];
  const num = name => (v(name).value.trim() === '' ? null : Number(v(name).value));
  const dates = [];
  const first = v('dates').value;
  if (first) {
    const days = Math.max(1, Math.min(14, Number(v('days').value) || 1));
    for (let d = 0; d < days; d++) dates.push(addDays(first, d));
  }
  const events = [];
  for (const row of eventsBox.children) {
    const p = `events[${row.dataset.index}]`;
    const title = v(`${p}.title`).value.trim(), startAt = v(`${p}.start`).value;
    if (!title && !startAt) continue; // an untouched row is not an event
    const picked = [...row.querySelectorAll('input[data-speaker]')];
    events.push({
      title, start: startAt || null, durationMinutes: num(`${p}.durationMinutes`), public: v(`${p}.public`).checked,
      description: v(`${p}.description`).value.trim() || null,
      speakerIds: picked.length && picked.some(x => !x.checked) ? picked.filter(x => x.checked).map(x => x.dataset.speaker) : null,
    });
  }
  const flex = v('flexible').value;
  return {
    city: v('city').value.trim(), country: v('country').value.trim(), timeZone: v('timeZone').value.trim(),
    latitude: num('latitude'), longitude: num('longitude'), dates,
    acceptableDates: flex === 'dates' && datesExtra.dates?.size ? [...datesExtra.dates].sort() : null,
    window: flex === 'window' ? { from: v('window.from').value || null, to: v('window.to').value || null } : null,
    priority: Number(v('priority').value) || 1,
    venue: { name: v('venue.name').value.trim() || null, address: v('venue.address').value.trim() || null, calendarUrl: v('venue.calendarUrl').value.trim() || null,
      addressVisibility: visibilityOf(form) },
    events,
  };
}

/** Every problem the page can see before sending, each on its own field; the server checks everything again. */
function check(b) {
  const zoneOk = isKnownZone(b.timeZone);
  const today = zoneOk ? todayIn(b.timeZone) : todayIn(tour.timeZone);
  const when = d => d < today ? t('check.past', { date: formatDate(d, true) }) : d < tour.startDate || d > tour.endDate ? t('check.outsideTour', { date: formatDate(d, true), tour: formatDates([tour.startDate, tour.endDate]) }) : null;
  const checks = [
    ['city', b.city ? null : t('check.required')],
    ['country', b.country ? null : t('check.required')],
    ['timeZone', zoneOk ? null : t('check.zone')],
    ['latitude', b.latitude === null ? t('check.coordinates') : b.latitude < -90 || b.latitude > 90 ? t('check.latitude') : null],
    ['longitude', b.longitude === null ? t('check.coordinates') : b.longitude < -180 || b.longitude > 180 ? t('check.longitude') : null],
    ['dates', b.dates.length ? b.dates.map(when).find(Boolean) ?? null : t('check.date')],
    ['venue.calendarUrl', !b.venue.calendarUrl || /^https?:\/\/\S+$/i.test(b.venue.calendarUrl) ? null : t('check.url')],
  ];
  if (b.acceptableDates) checks.push(['acceptableDates', b.acceptableDates.map(when).find(Boolean) ?? null]);
  if (b.window) {
    checks.push(['window.from', b.window.from ? when(b.window.from) : t('check.date')]);
    checks.push(['window.to', !b.window.to ? t('check.date') : b.window.from && b.window.to < b.window.from ? t('check.endBeforeStart') : when(b.window.to)]);
  }
  if (!b.events.length) checks.push(['events[0].title', t('check.oneEvent')]);
  b.events.forEach((e, i) => {
    checks.push([`events[${i}].title`, e.title ? null : t('check.required')]);
    checks.push([`events[${i}].start`, !e.start ? t('check.dateTime') : b.dates.length && !b.dates.includes(e.start.slice(0, 10)) ? t('check.startOnDates', { dates: formatDates(b.dates) }) : null]);
    checks.push([`events[${i}].durationMinutes`, e.durationMinutes >= 1 && e.durationMinutes <= 1440 ? null : t('check.duration')]);
    if (e.speakerIds && !e.speakerIds.length) checks.push([`events[${i}].speakerIds`, t('check.speakers')]);
  });
  return collectErrors(checks);
}

async function submit(e) {
  e.preventDefault();
  if (preview) return;
  clearFieldErrors(form);
  formNotice.hidden = true;
  formWarnings.hidden = true;
  const b = formBody();
  const local = check(b);
  if (hasErrors(local)) return showFieldErrors(form, local);
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const r = await api('POST', `${base}/claims`, b, { headers: { 'Idempotency-Key': claimKey } });
    if (r.ok) {
      const c = r.data;
      claimKey = newKey();
      formNotice.hidden = false;
      say(formNotice, t('host.sent', { standing: standing(c) }));
      if (c.notes?.length) formNotice.append(h('p', { i18n: 'notes' }), h('ul', {}, c.notes.map(n => h('li', {}, n))));
      // The claim is taken either way; what confirming it would run into is a warning, never part of the success.
      if (c.conflicts?.length) {
        formWarnings.hidden = false;
        formWarnings.replaceChildren(h('p', { i18n: 'host.claimConflicts' }), h('ul', { class: 'conflicts' }, c.conflicts.map(x => h('li', {}, conflictText(x)))));
      }
      for (const row of [...eventsBox.children].slice(1)) row.remove();
      for (const el of eventsBox.querySelectorAll('input[type=text], input[type=datetime-local], textarea')) el.value = '';
      await refresh();
      formNotice.focus();
      return;
    }
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    showFieldErrors(form, r.data?.errors ?? { body: [problemText(r.data)] });
  } finally {
    button.disabled = preview;
  }
}

// Started last, so every function and constant above exists before the first render.
await start();
onLanguageChange(() => { renderHeader(); renderGrid(); renderClaims(); });
if (requireToken()) {
  await load();
  if (host) watchTour(base, version => {
    if (version === null) return load();
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(refresh, 300);
  });
}
