// The organizer's page: the tour at a glance, inviting host groups, and deciding claims date by date.
import {
  start, api, app, h, t, token, fatal, failureKey, requireToken, say, onLanguageChange, field, showFieldErrors,
  clearFieldErrors, formatDates, formatDate, formatLocal, relative, ordinal, conflictText, problemText, copy,
} from './app.js';

const main = app();
const rawTourId = main.dataset.tourId;
const base = `/api/tours/${encodeURIComponent(rawTourId)}`;

let tour = null, conflicts = [];
const problems = new Map(); // claimId → { text, conflicts } from the last action on it
const cancelArmed = new Set();
let summaryBox, claimsBox, conflictsBox, inviteResult;

await start();
onLanguageChange(render);
if (requireToken()) await load(true);

async function load(first) {
  const [tr, cr] = await Promise.all([api('GET', base), api('GET', `${base}/conflicts`)]);
  if (!tr.ok) return fatal(failureKey(tr.status) ?? 'loadFailed');
  // Any valid token reads the public view; only the organizer's includes hosts.
  if (!Array.isArray(tr.data.hosts)) return fatal('invalidLink');
  tour = tr.data;
  conflicts = cr.ok ? cr.data.conflicts : [];
  if (first) build();
  render();
}

function build() {
  summaryBox = h('div');
  claimsBox = h('div', { class: 'dates' });
  conflictsBox = h('div');
  inviteResult = h('div', { hidden: true });
  main.replaceChildren(
    h('p', { class: 'eyebrow', i18n: 'org.eyebrow' }),
    summaryBox,
    h('section', { 'aria-labelledby': 'claims-h' }, h('h2', { id: 'claims-h', i18n: 'org.claims' }), claimsBox),
    h('section', { 'aria-labelledby': 'conf-h' }, h('h2', { id: 'conf-h', i18n: 'org.conflicts' }), conflictsBox),
    h('section', { 'aria-labelledby': 'invite-h' }, h('h2', { id: 'invite-h', i18n: 'org.invite' }), inviteForm(), inviteResult));
}

function render() {
  if (!tour) return;
  renderSummary();
  renderClaims();
  renderConflicts();
}

function renderSummary() {
  const publicUrl = new URL(tour.publicUrl, location.origin).href;
  summaryBox.replaceChildren(
    h('h1', {}, tour.name),
    h('p', { class: 'lead' }, formatDates([tour.startDate, tour.endDate]), ' · ', tour.timeZone),
    tour.description ? h('p', {}, tour.description) : null,
    h('p', {}, h('span', {}, t('org.publicPage')), ' ', h('a', { href: publicUrl }, publicUrl)),
    h('p', {}, h('a', { href: `/organize/${encodeURIComponent(rawTourId)}/days#token=${encodeURIComponent(token())}` }, t('days.title'))),
    h('p', { class: 'muted' }, t('org.holdDays', { n: tour.rules.holdDays })),
    h('h2', {}, t('org.speakers')),
    h('ul', { class: 'plain' }, tour.speakers.map(s => h('li', {}, s.name, ' — ',
      // The organizer's token also opens any speaker's itinerary; this link is for the organizer, not to share.
      h('a', { href: `/speak/${encodeURIComponent(rawTourId)}/${encodeURIComponent(s.id)}#token=${encodeURIComponent(token())}` }, t('org.itinerary'))))));
}

function hostName(id) { return tour.hosts.find(x => x.hostId === id)?.name ?? id; }

function renderClaims() {
  const active = tour.claims.filter(c => c.status === 'held' || c.status === 'confirmed');
  const past = tour.claims.filter(c => !active.includes(c));
  if (!tour.claims.length) return claimsBox.replaceChildren(h('p', { class: 'muted' }, t('org.noClaims')));
  const byDate = new Map();
  for (const c of [...active].sort((a, b) => a.rank - b.rank)) {
    const key = c.dates[0] ?? '';
    if (!byDate.has(key)) byDate.set(key, []);
    byDate.get(key).push(c);
  }
  const groups = [...byDate.keys()].sort().map(date => h('div', { class: 'date-group', 'data-date': date },
    h('h3', {}, formatDate(date, true)),
    h('ul', { class: 'cards' }, byDate.get(date).map(claimCard))));
  const rest = past.length ? h('details', {}, h('summary', {}, t('org.pastClaims', { n: past.length })), h('ul', { class: 'cards' }, past.map(claimCard))) : null;
  claimsBox.replaceChildren(...groups, rest ?? '');
}

function claimCard(c) {
  const li = h('li', { class: 'card claim', 'data-claim': c.claimId, 'data-status': c.status },
    h('p', {}, h('strong', {}, hostName(c.hostId)), ' · ', c.city, c.dates.length > 1 ? ` · ${formatDates(c.dates)}` : ''),
    h('p', {}, h('span', { class: `badge ${c.status}` }, t('status.' + c.status)), ' ',
      c.status === 'held' ? h('span', { class: 'rank' }, t('org.rank', { n: ordinal(c.rank) })) : null),
    c.status === 'held' && c.expiresAt
      ? h('p', { class: 'expiry muted', title: c.expiresAt }, t('org.expires', { when: relative(c.expiresAt), at: formatLocal(c.expiresAt) })) : null);
  const p = problems.get(c.claimId);
  if (p) li.append(h('div', { class: 'alert', role: 'alert' }, h('p', {}, p.text),
    p.conflicts?.length ? h('ul', {}, p.conflicts.map(x => h('li', { class: 'conflict' }, conflictText(x)))) : null));
  const actions = h('div', { class: 'actions' });
  if (c.status === 'held' && c.rank === 1) actions.append(h('button', { type: 'button', class: 'primary', onclick: () => act(c, 'confirm') }, t('org.confirm')));
  if (c.status === 'held') actions.append(h('button', { type: 'button', class: 'secondary', onclick: () => act(c, 'release') }, t('org.release')));
  if (c.status === 'confirmed') {
    // Two steps instead of window.confirm(), which phones show badly and some browsers suppress.
    actions.append(cancelArmed.has(c.claimId)
      ? h('button', { type: 'button', class: 'danger', onclick: () => cancelStop(c) }, t('org.cancelSure'))
      : h('button', { type: 'button', class: 'secondary', onclick: () => { cancelArmed.add(c.claimId); renderClaims(); } }, t('org.cancelStop')));
  }
  if (actions.children.length) li.append(actions);
  return li;
}

async function act(c, verb) {
  problems.clear();
  cancelArmed.clear();
  const r = await api('POST', `${base}/claims/${encodeURIComponent(c.claimId)}/${verb}`);
  if (!r.ok) {
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    problems.set(c.claimId, { text: r.status === 409 && r.data?.conflicts?.length ? t('org.conflictIntro') : problemText(r.data), conflicts: r.data?.conflicts });
  }
  await load(false);
  main.querySelector(`[data-claim="${CSS.escape(c.claimId)}"] .alert, [data-claim="${CSS.escape(c.claimId)}"] button`)?.focus();
}

async function cancelStop(c) {
  problems.clear();
  cancelArmed.clear();
  const r = await api('POST', `${base}/stops/${encodeURIComponent(c.stopId)}/cancel`);
  if (!r.ok) problems.set(c.claimId, { text: problemText(r.data) });
  await load(false);
}

function renderConflicts() {
  if (!conflicts.length) return conflictsBox.replaceChildren(h('p', { class: 'muted' }, t('org.noConflicts')));
  conflictsBox.replaceChildren(h('ul', { class: 'cards' }, conflicts.map(c =>
    h('li', { class: `card conflict ${c.severity}` }, h('span', { class: 'badge' }, t('severity.' + c.severity)), ' ', conflictText(c)))));
}

function inviteForm() {
  const f = h('form', { class: 'invite', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    field('org.hostName', 'name', h('input', { type: 'text', required: true, maxlength: '200' })),
    field('host.city', 'city', h('input', { type: 'text', maxlength: '120' })),
    field('org.contactName', 'contactName', h('input', { type: 'text', autocomplete: 'off' })),
    field('org.contactEmail', 'contactEmail', h('input', { type: 'email', autocomplete: 'off' })),
    field('org.contactPhone', 'contactPhone', h('input', { type: 'tel', autocomplete: 'off' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, h('span', { i18n: 'org.inviteButton' }))));
  f.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(f);
    const v = n => f.elements[n].value.trim() || null;
    const r = await api('POST', `${base}/hosts`, { name: v('name') ?? '', city: v('city'), contactName: v('contactName'), contactEmail: v('contactEmail'), contactPhone: v('contactPhone') });
    if (!r.ok) {
      if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
      return showFieldErrors(f, r.data?.errors ?? { body: [problemText(r.data)] });
    }
    const url = new URL(r.data.inviteUrl, location.origin).href;
    const box = h('input', { type: 'text', readonly: true, value: url, id: 'invite-url', class: 'url' });
    const status = h('p', { role: 'status' });
    inviteResult.hidden = false;
    inviteResult.replaceChildren(h('div', { class: 'notice ok' },
      h('label', { for: 'invite-url' }, t('org.inviteLink', { name: v('name') })), box,
      h('p', { class: 'hint', i18n: 'org.inviteHint' }),
      h('button', { type: 'button', onclick: () => copy(box, status) }, t('copy')), status));
    f.reset();
    await load(false);
    box.focus();
    box.select();
  });
  return f;
}
