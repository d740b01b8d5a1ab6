// The organizer's page: claims date by date, every conflict, the planner, host groups, speakers and the tour's
// settings. It refreshes itself when anything changes, whichever Gateway stored the change.
import {
  start, api, app, h, t, token, fatal, failureKey, requireToken, onLanguageChange, field, showFieldErrors, clearFieldErrors,
  formatDates, formatDate, formatInZone, formatLocal, relative, ordinal, conflictText, problemText, collectErrors, hasErrors,
  newKey, placePicker, isKnownZone, knownZones, linkBox, formatMinutes, watchTour, rulesFields, lang, named,
} from './app.js';
import { mailPanel } from './mail-status.js';
import { teamPanel, historyPanel } from './team.js';
import { privacyPanel, dangerZone, showDeleted } from './privacy.js';

const main = app();
const rawTourId = main.dataset.tourId;
const base = `/api/tours/${encodeURIComponent(rawTourId)}`;

let tour = null, conflicts = [], pending = [], proposal = null, planProblem = null, planApplied = null;
const problems = new Map(); // claimId → { text, conflicts, suggestions } from the last action on it
const armed = new Set(); // two-step buttons waiting for their second tap: "cancel:<claimId>", "revoke:<hostId>", "remove:<speakerId>"
const shownLinks = new Map(); // personId → { url, revoked } shown once after issuing
const speakerProblems = new Map();
const editing = new Set(); // speaker ids whose edit form is open
let boxes = {};
let reloadTimer = null;
const mail = mailPanel(base); // whether e-mail is on, and what could not be delivered and why
const getTour = () => tour;
let deleted = false, stopWatching = null;
let team, historyBox, privacy, danger; // made in build(), once the strings and the page's language are known


async function load(first) {
  if (deleted) return;
  const [tr, cr, pr] = await Promise.all([api('GET', base), api('GET', `${base}/conflicts`), api('GET', `${base}/claims/pending-conflicts`)]);
  if (tr.status === 410) { deleted = true; stopWatching?.(); return showDeleted(); }
  if (!tr.ok) return fatal(failureKey(tr.status) ?? 'loadFailed');
  // Any valid token reads the public view; only the organizer's includes hosts.
  if (!Array.isArray(tr.data.hosts)) return fatal('invalidLink');
  tour = tr.data;
  conflicts = cr.ok ? cr.data.conflicts : [];
  pending = pr.ok ? pr.data.claims : [];
  if (first) build();
  render();
  mail.refresh();
  team.refresh();
  historyBox.refresh();
  privacy.refresh();
}

function section(id, key, ...children) {
  return h('section', { id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h`, i18n: key }), ...children);
}

function build() {
  team = teamPanel(base, getTour, () => languageSelect());
  historyBox = historyPanel(base, getTour);
  privacy = privacyPanel(base, getTour);
  danger = dangerZone(base, getTour, () => { deleted = true; stopWatching?.(); showDeleted(); });
  boxes = {
    summary: h('div'), claims: h('div', { class: 'dates' }), conflicts: h('div'), plan: h('div'), hosts: h('div'),
    inviteResult: h('div', { hidden: true }), speakers: h('div'), addSpeakerResult: h('div', { hidden: true }), settings: h('div'),
  };
  main.replaceChildren(
    h('p', { class: 'eyebrow', i18n: 'org.eyebrow' }),
    boxes.summary,
    h('nav', { class: 'jump', 'aria-label': t('org.sections'), 'data-i18n-label': 'org.sections' }, h('ul', {},
      [['claims', 'org.claims'], ['conflicts', 'org.conflicts'], ['plan', 'plan.title'], ['hosts', 'org.hosts'], ['speakers', 'org.speakers'], ['settings', 'org.settings'],
        ['team', 'team.title'], ['history', 'hist.title'], ['privacy', 'priv.title'], ['danger', 'del.title']]
        .map(([id, key]) => h('li', {}, h('a', { href: `#${id}`, i18n: key, onclick: e => { e.preventDefault(); document.getElementById(id)?.scrollIntoView(); document.getElementById(`${id}-h`)?.focus(); } }))))),
    section('claims', 'org.claims', boxes.claims),
    section('conflicts', 'org.conflicts', boxes.conflicts),
    section('plan', 'plan.title', h('p', { class: 'hint', i18n: 'plan.intro' }),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: runPlan }, h('span', { i18n: 'plan.run' }))), boxes.plan),
    section('hosts', 'org.hosts', boxes.hosts,
      h('h3', { i18n: 'org.invite' }), inviteForm(), boxes.inviteResult),
    section('speakers', 'org.speakers', boxes.speakers,
      h('h3', { i18n: 'org.addSpeaker' }), addSpeakerForm(), boxes.addSpeakerResult),
    section('settings', 'org.settings', boxes.settings),
    team.element,
    historyBox.element,
    mail.element,
    privacy.element,
    danger.element);
  for (const heading of main.querySelectorAll('section > h2')) heading.tabIndex = -1;
}

function render() {
  if (!tour) return;
  renderSummary();
  renderClaims();
  renderConflicts();
  renderPlan();
  renderHosts();
  renderSpeakers();
  renderSettings();
  team.render();
  historyBox.render();
  privacy.render();
  danger.render();
}

// ---- summary ------------------------------------------------------------------------------------------------------

function renderSummary() {
  const publicUrl = new URL(tour.publicUrl, location.origin).href;
  boxes.summary.replaceChildren(
    h('h1', {}, tour.name),
    h('p', { class: 'lead' }, formatDates([tour.startDate, tour.endDate]), ' · ', tour.timeZone),
    tour.description ? h('p', {}, tour.description) : null,
    h('p', {}, h('span', {}, t('org.publicPage')), ' ', h('a', { href: publicUrl }, publicUrl)),
    h('p', {}, h('a', { href: `/organize/${encodeURIComponent(rawTourId)}/days#token=${encodeURIComponent(token())}` }, t('days.title'))),
    h('p', { class: 'muted' }, t('org.holdDays', { n: tour.rules.holdDays })));
}

// ---- claims -------------------------------------------------------------------------------------------------------

const hostName = id => tour.hosts.find(x => x.hostId === id)?.name ?? id;
const speakerName = id => tour.speakers.find(s => s.id === id)?.name ?? id;
const stopOf = c => tour.stops.find(s => s.stopId === c.stopId);

function renderClaims() {
  const active = tour.claims.filter(c => c.status === 'held' || c.status === 'confirmed');
  const cancelled = tour.claims.filter(c => c.status === 'cancelled');
  const past = tour.claims.filter(c => c.status === 'released' || c.status === 'expired');
  if (!tour.claims.length) return boxes.claims.replaceChildren(h('p', { class: 'muted' }, t('org.noClaims')));
  const byDate = new Map();
  for (const c of [...active].sort((a, b) => a.rank - b.rank)) {
    const key = c.dates[0] ?? '';
    if (!byDate.has(key)) byDate.set(key, []);
    byDate.get(key).push(c);
  }
  const groups = [...byDate.keys()].sort().map(date => h('div', { class: 'date-group', 'data-date': date },
    h('h3', {}, formatDate(date, true)),
    h('ul', { class: 'cards' }, byDate.get(date).map(claimCard))));
  const cancelledBox = cancelled.length ? h('div', { class: 'date-group' }, h('h3', {}, t('org.cancelledStops')), h('ul', { class: 'cards' }, cancelled.map(claimCard))) : null;
  const rest = past.length ? h('details', {}, h('summary', {}, t('org.pastClaims', { n: past.length })), h('ul', { class: 'cards' }, past.map(claimCard))) : null;
  boxes.claims.replaceChildren(...groups, cancelledBox ?? '', rest ?? '');
}

function eventsOf(stop) {
  if (!stop?.events?.length) return null;
  return h('ul', { class: 'events' }, stop.events.map(ev => h('li', { class: 'event' },
    h('span', { class: 'when' }, formatInZone(ev.start, ev.timeZone)), ' ', h('strong', {}, ev.title), ' ',
    h('span', { class: 'badge' }, t(ev.public ? 'event.public' : 'event.private')),
    tour.speakers.length > 1 ? h('span', { class: 'muted' }, ' · ', ev.speakerIds.map(speakerName).join(', ')) : null)));
}

function claimCard(c) {
  const stop = stopOf(c);
  const who = `${hostName(c.hostId)}, ${formatDates(c.dates)}`;
  const li = h('li', { class: 'card claim', 'data-claim': c.claimId, 'data-status': c.status },
    h('p', {}, h('strong', {}, hostName(c.hostId)), ' · ', c.city, ' · ', formatDates(c.dates)),
    stop?.venue?.name ? h('p', { class: 'venue' }, stop.venue.name, stop.venue.address ? ` — ${stop.venue.address}` : '') : null,
    h('p', {}, h('span', { class: `badge ${c.status}` }, t('status.' + c.status)), ' ',
      c.status === 'held' ? h('span', { class: 'rank' }, t('org.rank', { n: ordinal(c.rank) })) : null,
      c.acceptableDates?.length > 1 ? h('span', { class: 'muted' }, ' · ', t('org.alsoAccepts', { n: c.acceptableDates.length - 1 })) : null),
    c.status === 'held' && c.expiresAt
      ? h('p', { class: 'expiry muted', title: c.expiresAt }, t('org.expires', { when: relative(c.expiresAt), at: formatLocal(c.expiresAt) })) : null,
    c.status === 'cancelled' && stop?.cancelledAt ? h('p', { class: 'muted' }, t('org.cancelledOn', { at: formatLocal(stop.cancelledAt) })) : null,
    eventsOf(stop));
  const warn = pending.find(p => p.claimId === c.claimId);
  if (warn && c.status === 'held' && !problems.has(c.claimId))
    li.append(h('div', { class: 'notice warn' }, h('p', {}, t('org.wouldConflict')), conflictList(warn.conflicts)));
  const p = problems.get(c.claimId);
  if (p) li.append(h('div', { class: 'alert', role: 'alert', tabindex: '-1' }, h('p', {}, p.text),
    p.conflicts?.length ? conflictList(p.conflicts) : null,
    p.suggestions?.length ? h('div', {}, h('p', {}, t('org.suggestedDates')),
      h('ul', {}, p.suggestions.map(s => h('li', {}, h('strong', {}, formatDate(s.date, true)), ' — ', t('org.addsTravel', { time: formatMinutes(s.addedTravelMinutes) }))))) : null));
  const actions = h('div', { class: 'actions' });
  if (c.status === 'held' && c.rank === 1)
    actions.append(h('button', { type: 'button', class: 'primary', 'aria-label': named('org.confirm', who), onclick: () => act(c, 'confirm') }, t('org.confirm')));
  if (c.status === 'held')
    actions.append(h('button', { type: 'button', class: 'secondary', 'aria-label': named('org.release', who), onclick: () => act(c, 'release') }, t('org.release')));
  if (c.status === 'confirmed') {
    // Two steps instead of window.confirm(), which phones show badly and some browsers suppress.
    actions.append(armed.has('cancel:' + c.claimId)
      ? h('button', { type: 'button', class: 'danger', 'aria-label': named('org.cancelSure', who), onclick: () => cancelStop(c) }, t('org.cancelSure'))
      : h('button', { type: 'button', class: 'secondary', 'aria-label': named('org.cancelStop', who), onclick: () => { armed.add('cancel:' + c.claimId); renderClaims(); focusClaim(c.claimId, 'button.danger'); } }, t('org.cancelStop')));
  }
  if (c.status === 'confirmed')
    actions.append(h('button', { type: 'button', class: 'secondary', 'aria-label': named('plan.fellThrough', who), onclick: () => runRepair(c) }, t('plan.fellThrough')));
  if (c.status === 'cancelled')
    actions.append(h('button', { type: 'button', class: 'primary', 'aria-label': named('plan.repair', who), onclick: () => runRepair(c) }, t('plan.repair')));
  if (actions.children.length) li.append(actions);
  return li;
}

/** Conflicts with each one said once, naming its speakers once (a shared conflict on a multi-speaker tour is one line). */
function conflictList(list) {
  const merged = new Map();
  for (const c of list ?? []) {
    const key = `${c.code}|${[...(c.eventIds ?? [])].sort().join(',')}|${conflictText(c).replace(c.speakerId ?? '\u0000', '')}`;
    if (!merged.has(key)) merged.set(key, { c, speakers: new Set() });
    if (c.speakerId) merged.get(key).speakers.add(c.speakerId);
  }
  return h('ul', { class: 'conflicts' }, [...merged.values()].map(({ c, speakers }) => h('li', { class: `conflict ${c.severity ?? 'error'}` },
    tour.speakers.length > 1 && speakers.size ? h('strong', {}, [...speakers].map(speakerName).join(', '), ': ') : null,
    conflictText(c))));
}

function focusClaim(claimId, selector) {
  main.querySelector(`[data-claim="${CSS.escape(claimId)}"] ${selector}`)?.focus();
}

async function act(c, verb) {
  problems.clear();
  armed.clear();
  const r = await api('POST', `${base}/claims/${encodeURIComponent(c.claimId)}/${verb}`);
  if (!r.ok) {
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    problems.set(c.claimId, {
      text: r.status === 409 && r.data?.conflicts?.length ? t('org.conflictIntro') : problemText(r.data),
      conflicts: r.data?.conflicts, suggestions: r.data?.suggestions,
    });
  }
  await load(false);
  focusClaim(c.claimId, problems.has(c.claimId) ? '.alert' : 'button');
}

async function cancelStop(c) {
  problems.clear();
  armed.clear();
  const r = await api('POST', `${base}/stops/${encodeURIComponent(c.stopId)}/cancel`);
  if (!r.ok) problems.set(c.claimId, { text: problemText(r.data) });
  await load(false);
  focusClaim(c.claimId, problems.has(c.claimId) ? '.alert' : 'button');
}

// ---- conflicts ----------------------------------------------------------------------------------------------------

function renderConflicts() {
  const parts = [];
  if (conflicts.length) parts.push(h('h3', { i18n: 'org.routeConflicts' }), conflictList(conflicts));
  if (pending.length) parts.push(h('h3', { i18n: 'org.pendingConflicts' }), h('ul', { class: 'cards' }, pending.map(p => {
    const c = tour.claims.find(x => x.claimId === p.claimId);
    return h('li', { class: 'card conflict warning' },
      h('p', {}, h('strong', {}, c ? `${hostName(c.hostId)} · ${c.city} · ${formatDates(c.dates)}` : p.claimId)),
      h('p', { class: 'muted' }, t('org.cannotConfirmToday')), conflictList(p.conflicts));
  })));
  if (!parts.length) parts.push(h('p', { class: 'muted' }, t('org.noConflicts')));
  boxes.conflicts.replaceChildren(...parts);
}

// ---- planner ------------------------------------------------------------------------------------------------------

async function runPlan() {
  planProblem = null;
  planApplied = null;
  boxes.plan.replaceChildren(h('p', { role: 'status', class: 'muted' }, t('plan.running')));
  const r = await api('POST', `${base}/plan`, { seed: 1 });
  showProposal(r);
}

async function runRepair(c) {
  planProblem = null;
  planApplied = null;
  boxes.plan.replaceChildren(h('p', { role: 'status', class: 'muted' }, t('plan.running')));
  document.getElementById('plan')?.scrollIntoView();
  const r = await api('POST', `${base}/repair`, { stopId: c.stopId, seed: 1 });
  showProposal(r);
}

function showProposal(r) {
  if (!r.ok) {
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    proposal = null;
    planProblem = problemText(r.data);
  } else proposal = r.data;
  renderPlan();
  boxes.plan.querySelector('h3, .alert')?.focus();
}

const UNPLACED = ['no-acceptable-date', 'unreachable', 'conflicts-with-placed', 'queued', 'multi-speaker', 'pinned-infeasible'];

function renderPlan() {
  if (planProblem) return boxes.plan.replaceChildren(h('div', { class: 'alert', role: 'alert', tabindex: '-1' }, h('p', {}, planProblem)));
  if (planApplied !== null && !proposal)
    return boxes.plan.replaceChildren(h('p', { class: 'notice ok', role: 'status', tabindex: '-1' }, t('plan.applied', { n: planApplied })));
  if (!proposal) return boxes.plan.replaceChildren();
  const p = proposal;
  const claimOf = id => tour.claims.find(c => c.claimId === id);
  const changes = p.placements.filter(x => !x.wasConfirmed || (x.fromDates?.length && x.fromDates.join() !== x.dates.join()));
  const moves = p.moves ?? [];
  const row = (city, claimId, before, after, kind) => h('li', { class: `change ${kind}` },
    h('strong', {}, city), claimId && claimOf(claimId) ? ` · ${hostName(claimOf(claimId).hostId)}` : '', ' ',
    h('span', { class: 'before' }, before ? formatDates(before) : t('plan.notPlaced')), ' → ',
    h('span', { class: 'after' }, after ? formatDates(after) : t('plan.cancelled')));
  const list = h('ul', { class: 'plan-changes' },
    ...changes.filter(x => !moves.some(m => m.claimId === x.claimId)).map(x =>
      row(x.city, x.claimId, x.wasConfirmed ? x.fromDates : null, x.dates, x.wasConfirmed ? 'moved' : 'placed')),
    ...moves.map(m => row(m.city, m.claimId, m.from, m.to, 'moved')),
    p.cancelsRepairStop && p.repairStopId ? row(tour.stops.find(s => s.stopId === p.repairStopId)?.city ?? '', null, tour.stops.find(s => s.stopId === p.repairStopId)?.dates, null, 'cancelled') : null);
  // The timeline: each speaker's route day by day, what is confirmed already and what the plan adds.
  const timeline = h('div', { class: 'timeline-box' }, (p.routes ?? []).map(route => h('div', {},
    tour.speakers.length > 1 ? h('h4', {}, speakerName(route.speakerId)) : null,
    h('ol', { class: 'timeline' }, [...route.stops].sort((a, b) => (a.dates[0] ?? '').localeCompare(b.dates[0] ?? '')).map(s => h('li', { class: s.wasConfirmed ? 'kept' : 'new' },
      h('span', { class: 'when' }, formatDates(s.dates)), ' ', h('strong', {}, s.city), ' ',
      h('span', { class: 'badge' }, t(s.wasConfirmed ? 'plan.kept' : 'plan.new')),
      s.travelMinutesFromPrevious ? h('span', { class: 'muted' }, ' · ', t('plan.travel', { time: formatMinutes(s.travelMinutesFromPrevious) })) : null))))));
  boxes.plan.replaceChildren(h('div', { class: 'proposal card', 'data-proposal': p.proposalId },
    h('h3', { tabindex: '-1' }, t(p.kind === 'repair' ? 'plan.repairProposal' : 'plan.proposal')),
    h('p', { class: 'muted' }, t('plan.summary', { n: changes.length + moves.length, time: formatMinutes(p.totalTravelMinutes) })),
    p.kind === 'repair' ? h('p', { class: 'repair-note' }, repairNote(p, moves)) : null,
    changes.length + moves.length || p.cancelsRepairStop ? h('div', {}, h('h4', { i18n: 'plan.beforeAfter' }), list) : h('p', {}, t('plan.nothing')),
    p.unplaced?.length ? h('div', {}, h('h4', { i18n: 'plan.unplaced' }), h('ul', {}, p.unplaced.map(u => h('li', {},
      h('strong', {}, u.city), claimOf(u.claimId) ? ` · ${hostName(claimOf(u.claimId).hostId)}` : '', ': ',
      UNPLACED.includes(u.code) ? t('plan.why.' + u.code) : (lang() === 'es' && u.reasonEs) || u.reason)))) : null,
    h('h4', { i18n: 'plan.timeline' }), timeline,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', onclick: applyPlan, disabled: !(changes.length + moves.length) && !p.cancelsRepairStop }, t('plan.apply')),
      h('button', { type: 'button', class: 'secondary', onclick: () => { proposal = null; renderPlan(); document.getElementById('plan-h')?.focus(); } }, t('plan.discard')))));
}

/** The repair's outcome in the page's words (the server's notes are for API readers). */
function repairNote(p, moves) {
  const stop = tour.stops.find(s => s.stopId === p.repairStopId);
  const city = stop?.city ?? '';
  if (stop?.status === 'cancelled') return t('plan.repairAfterCancel', { city });
  if (p.cancelsRepairStop) return t('plan.repairCancels', { city });
  return moves.length > 1 ? t('plan.repairMovesOthers', { city, n: moves.length - 1 }) : t('plan.repairMoves', { city });
}

async function applyPlan() {
  const r = await api('POST', `${base}/plan/${encodeURIComponent(proposal.proposalId)}/apply`);
  if (!r.ok) {
    if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
    planProblem = r.status === 409 ? t('plan.changedMeanwhile') : problemText(r.data);
    proposal = null;
    renderPlan();
    return boxes.plan.querySelector('.alert')?.focus();
  }
  proposal = null;
  planApplied = (r.data.confirmed?.length ?? 0) + (r.data.moved?.length ?? 0);
  await load(false);
  boxes.plan.querySelector('.notice')?.focus();
}

// ---- host groups --------------------------------------------------------------------------------------------------

function renderHosts() {
  if (!tour.hosts.length) return boxes.hosts.replaceChildren(h('p', { class: 'muted', i18n: 'org.noHosts' }));
  boxes.hosts.replaceChildren(h('ul', { class: 'cards' }, tour.hosts.map(x => {
    const claims = tour.claims.filter(c => c.hostId === x.hostId);
    const link = shownLinks.get(x.hostId);
    const preview = `/host/${encodeURIComponent(rawTourId)}/${encodeURIComponent(x.hostId)}?preview=1#token=${encodeURIComponent(token())}`;
    return h('li', { class: 'card host', 'data-host': x.hostId },
      h('h3', {}, x.name),
      h('p', { class: 'muted' }, [x.city, t('lang.' + (x.language || 'en'))].filter(Boolean).join(' · ')),
      x.contactName || x.contactEmail || x.contactPhone ? h('p', { class: 'contact' },
        x.contactName ?? '', x.contactName && (x.contactEmail || x.contactPhone) ? ' · ' : '',
        x.contactEmail ? h('a', { href: `mailto:${x.contactEmail}` }, x.contactEmail) : '',
        x.contactEmail && x.contactPhone ? ' · ' : '',
        x.contactPhone ? h('a', { href: `tel:${x.contactPhone.replace(/[^\d+]/g, '')}` }, x.contactPhone) : '') : null,
      claims.length ? h('ul', { class: 'plain host-claims' }, claims.map(c => h('li', {},
        formatDates(c.dates), ' · ', c.city, ' · ', h('span', { class: `badge ${c.status}` }, t('status.' + c.status)),
        c.status === 'held' ? ` ${t('org.rank', { n: ordinal(c.rank) })}` : ''))) : h('p', { class: 'muted', i18n: 'org.hostNoClaims' }),
      speakerProblems.has(x.hostId) ? h('div', { class: 'alert', role: 'alert' }, h('p', {}, speakerProblems.get(x.hostId))) : null,
      link ? linkBox(`link-${x.hostId}`, t(link.revoked ? 'org.linkAfterRevoke' : 'org.newLinkFor', { name: x.name }), link.url, link.revoked ? 'org.revokedHint' : 'org.inviteHint') : null,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', 'aria-label': named('org.newLink', x.name), onclick: () => issueHostLink(x, false) }, t('org.newLink')),
        armed.has('revoke:' + x.hostId)
          ? h('button', { type: 'button', class: 'danger', 'aria-label': named('org.revokeSure', x.name), onclick: () => issueHostLink(x, true) }, t('org.revokeSure'))
          : h('button', { type: 'button', class: 'secondary', 'aria-label': named('org.revoke', x.name), onclick: () => { armed.add('revoke:' + x.hostId); renderHosts(); boxes.hosts.querySelector(`[data-host="${CSS.escape(x.hostId)}"] button.danger`)?.focus(); } }, t('org.revoke')),
        h('a', { class: 'button', href: preview, target: '_blank', rel: 'noopener', 'aria-label': named('org.preview', x.name) }, t('org.preview'))));
  })));
}

async function issueHostLink(x, revoke) {
  armed.clear();
  const r = await api('POST', `${base}/hosts/${encodeURIComponent(x.hostId)}/${revoke ? 'token' : 'links'}`);
  if (!r.ok) { if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink'); speakerProblems.set(x.hostId, problemText(r.data)); return renderHosts(); }
  speakerProblems.delete(x.hostId);
  shownLinks.set(x.hostId, { url: new URL(r.data.inviteUrl ?? r.data.url, location.origin).href, revoked: revoke });
  renderHosts();
  const box = document.getElementById(`link-${x.hostId}`);
  box?.focus();
  box?.select();
}

/** English or Spanish, the page's language first selected (also after the form is reset). */
function languageSelect(chosen = lang()) {
  return h('select', {}, h('option', { value: 'en', lang: 'en', selected: chosen === 'en' }, 'English'), h('option', { value: 'es', lang: 'es', selected: chosen === 'es' }, 'Español'));
}

function inviteForm() {
  const f = h('form', { class: 'invite', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    field('org.hostName', 'name', h('input', { type: 'text', required: true, maxlength: '200' }), null, 'inv'),
    field('host.city', 'city', h('input', { type: 'text', maxlength: '120' }), null, 'inv'),
    field('org.contactName', 'contactName', h('input', { type: 'text', autocomplete: 'off' }), null, 'inv'),
    field('org.contactEmail', 'contactEmail', h('input', { type: 'email', autocomplete: 'off' }), null, 'inv'),
    field('org.contactPhone', 'contactPhone', h('input', { type: 'tel', autocomplete: 'off' }), null, 'inv'),
    field('org.hostLanguage', 'language', languageSelect(), null, 'inv'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, h('span', { i18n: 'org.inviteButton' }))));
  let key = newKey();
  f.addEventListener('input', () => { key = newKey(); });
  f.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(f);
    const v = n => f.elements[n].value.trim() || null;
    const local = collectErrors([['name', v('name') ? null : t('check.required')],
      ['contactEmail', !v('contactEmail') || f.elements.contactEmail.checkValidity() ? null : t('check.email')]]);
    if (hasErrors(local)) return showFieldErrors(f, local);
    const r = await api('POST', `${base}/hosts`, { name: v('name'), city: v('city'), contactName: v('contactName'), contactEmail: v('contactEmail'),
      contactPhone: v('contactPhone'), language: f.elements.language.value }, { headers: { 'Idempotency-Key': key } });
    if (!r.ok) {
      if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
      return showFieldErrors(f, r.data?.errors ?? { body: [problemText(r.data)] });
    }
    const url = new URL(r.data.inviteUrl, location.origin).href;
    boxes.inviteResult.hidden = false;
    boxes.inviteResult.replaceChildren(h('div', { class: 'notice ok' }, linkBox('invite-url', t('org.inviteLink', { name: v('name') }), url, 'org.inviteHint')));
    f.reset();
    key = newKey();
    await load(false);
    const box = document.getElementById('invite-url');
    box.focus();
    box.select();
  });
  return f;
}

// ---- speakers -----------------------------------------------------------------------------------------------------

function blackoutPicker(idPrefix, name, dates) {
  const set = new Set(dates ?? []);
  const chips = h('ul', { class: 'chips dates-chips' });
  const input = h('input', { type: 'date', min: tour.startDate, max: tour.endDate });
  const render = () => chips.replaceChildren(...[...set].sort().map(d => h('li', {}, h('span', {}, formatDate(d, true)),
    h('button', { type: 'button', class: 'link', 'aria-label': t('start.removeBlackout', { date: formatDate(d, true) }), onclick: () => { set.delete(d); render(); input.focus(); } }, '×'))));
  render();
  const f = field('start.blackout', name, input, 'start.blackoutHint', idPrefix);
  f.querySelector('.field-error').before(h('button', { type: 'button', class: 'secondary', onclick: () => { if (input.value) { set.add(input.value); input.value = ''; render(); input.focus(); } } },
    h('span', { i18n: 'start.addBlackout' })), chips);
  f.dates = set;
  return f;
}

function renderSpeakers() {
  // An open edit form keeps what the organizer typed: a change elsewhere does not redraw it.
  if (editing.size && boxes.speakers.querySelector('form.speaker-edit')) return;
  boxes.speakers.replaceChildren(h('ul', { class: 'cards' }, tour.speakers.map(s => {
    const blackouts = tour.rules.blackoutDates?.[s.id] ?? [];
    const link = shownLinks.get(s.id);
    const li = h('li', { class: 'card speaker', 'data-speaker': s.id },
      h('h3', {}, s.name),
      h('p', { class: 'muted' }, [s.homeCity, s.homeTimeZone, s.email].filter(Boolean).join(' · ')),
      blackouts.length ? h('p', {}, t('org.blackouts'), ' ', blackouts.map(d => formatDate(d, true)).join(', ')) : null,
      h('p', {}, h('a', { href: `/speak/${encodeURIComponent(rawTourId)}/${encodeURIComponent(s.id)}#token=${encodeURIComponent(token())}`, 'aria-label': named('org.itinerary', s.name) }, t('org.itinerary'))),
      link ? linkBox(`link-${s.id}`, t(link.revoked ? 'org.linkAfterRevoke' : 'org.newLinkFor', { name: s.name }), link.url, link.revoked ? 'org.revokedHint' : null) : null);
    const p = speakerProblems.get(s.id);
    if (p) li.append(h('div', { class: 'alert', role: 'alert', tabindex: '-1' }, h('p', {}, p)));
    li.append(h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-label': named('host.edit', s.name), onclick: () => editSpeaker(li, s) }, t('host.edit')),
      h('button', { type: 'button', class: 'secondary', 'aria-label': named('org.newLink', s.name), onclick: () => issueSpeakerLink(s, false) }, t('org.newLink')),
      armed.has('relink:' + s.id)
        ? h('button', { type: 'button', class: 'danger', 'aria-label': named('org.revokeSure', s.name), onclick: () => issueSpeakerLink(s, true) }, t('org.revokeSure'))
        : h('button', { type: 'button', class: 'secondary', 'aria-label': named('org.revoke', s.name), onclick: () => { armed.add('relink:' + s.id); renderSpeakers(); li.ownerDocument.querySelector(`[data-speaker="${CSS.escape(s.id)}"] button.danger`)?.focus(); } }, t('org.revoke')),
      tour.speakers.length > 1 ? (armed.has('remove:' + s.id)
        ? h('button', { type: 'button', class: 'danger', 'aria-label': named('org.removeSure', s.name), onclick: () => removeSpeaker(s) }, t('org.removeSure'))
        : h('button', { type: 'button', class: 'secondary', 'aria-label': named('org.removeSpeaker', s.name), onclick: () => { armed.add('remove:' + s.id); renderSpeakers(); document.querySelector(`[data-speaker="${CSS.escape(s.id)}"] button.danger`)?.focus(); } }, t('org.removeSpeaker'))) : null));
    return li;
  })));
}

async function issueSpeakerLink(s, revoke) {
  armed.clear();
  const r = await api('POST', `${base}/speakers/${encodeURIComponent(s.id)}/${revoke ? 'token' : 'links'}`);
  if (!r.ok) { speakerProblems.set(s.id, problemText(r.data)); return renderSpeakers(); }
  shownLinks.set(s.id, { url: new URL(r.data.url, location.origin).href, revoked: revoke });
  renderSpeakers();
  document.getElementById(`link-${s.id}`)?.focus();
}

async function removeSpeaker(s) {
  armed.clear();
  speakerProblems.clear();
  const r = await api('DELETE', `${base}/speakers/${encodeURIComponent(s.id)}`);
  if (!r.ok) speakerProblems.set(s.id, problemText(r.data));
  await load(false);
  document.querySelector(`[data-speaker="${CSS.escape(s.id)}"] .alert`)?.focus();
}

function speakerFields(prefix, s = {}) {
  return [
    field('start.speakerName', 'name', h('input', { type: 'text', required: true, maxlength: '200', value: s.name ?? '' }), null, prefix),
    field('start.speakerEmail', 'email', h('input', { type: 'email', maxlength: '254', value: s.email ?? '' }), null, prefix),
    placePicker({ idPrefix: prefix, names: { city: 'homeCity', latitude: 'homeLatitude', longitude: 'homeLongitude', timeZone: 'homeTimeZone' },
      labels: { city: 'start.homeCity', timeZone: 'start.homeZone' },
      values: { city: s.homeCity, latitude: s.homeLatitude, longitude: s.homeLongitude, timeZone: s.homeTimeZone ?? tour.timeZone } }),
  ];
}

function speakerBody(f, blackouts) {
  const v = n => f.elements[n].value.trim();
  const num = n => (v(n) === '' ? null : Number(v(n)));
  return { name: v('name'), email: v('email') || null, homeCity: v('homeCity') || null, homeTimeZone: v('homeTimeZone'),
    homeLatitude: num('homeLatitude'), homeLongitude: num('homeLongitude'), blackoutDates: [...blackouts.dates].sort() };
}

function speakerChecks(b) {
  return collectErrors([
    ['name', b.name ? null : t('check.required')],
    ['homeTimeZone', isKnownZone(b.homeTimeZone) ? null : t('check.zone')],
    [b.homeLatitude === null ? 'homeLatitude' : 'homeLongitude', (b.homeLatitude === null) !== (b.homeLongitude === null) ? t('check.bothCoordinates') : null],
    ['blackoutDates', b.blackoutDates.some(d => d < tour.startDate || d > tour.endDate) ? t('check.blackoutOutside', { dates: b.blackoutDates.filter(d => d < tour.startDate || d > tour.endDate).map(d => formatDate(d, true)).join(', ') }) : null],
  ]);
}

function editSpeaker(li, s) {
  const open = li.querySelector('form');
  const button = li.querySelector('button[aria-expanded]');
  if (open) { open.remove(); editing.delete(s.id); button.setAttribute('aria-expanded', 'false'); return renderSpeakers(); }
  editing.add(s.id);
  button.setAttribute('aria-expanded', 'true');
  const prefix = 'sp' + s.id.replace(/\W/g, '');
  const blackouts = blackoutPicker(prefix, 'blackoutDates', tour.rules.blackoutDates?.[s.id]);
  const f = h('form', { class: 'speaker-edit', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    ...speakerFields(prefix, s), blackouts,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('org.saveSpeaker'))));
  f.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(f);
    const b = speakerBody(f, blackouts);
    const local = speakerChecks(b);
    if (hasErrors(local)) return showFieldErrors(f, local);
    const r = await api('PATCH', `${base}/speakers/${encodeURIComponent(s.id)}`, b);
    if (!r.ok) {
      if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
      return showFieldErrors(f, r.data?.errors ?? { body: [problemText(r.data)] });
    }
    editing.delete(s.id);
    f.remove();
    await load(false);
    document.querySelector(`[data-speaker="${CSS.escape(s.id)}"] h3`)?.setAttribute('tabindex', '-1');
    document.querySelector(`[data-speaker="${CSS.escape(s.id)}"] h3`)?.focus();
  });
  li.querySelector('.actions').before(f);
  f.elements.name.focus();
}

function addSpeakerForm() {
  let blackouts = null;
  const f = h('form', { class: 'speaker-add', novalidate: true });
  let key = newKey();
  const fill = () => {
    blackouts = blackoutPicker('nsp', 'blackoutDates', []);
    f.replaceChildren(h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
      ...speakerFields('nsp'), blackouts,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, h('span', { i18n: 'org.addSpeakerButton' }))));
  };
  // Built once the tour is known (its zone is the default home zone).
  queueMicrotask(() => { if (tour) fill(); });
  f.addEventListener('input', () => { key = newKey(); });
  f.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(f);
    const b = speakerBody(f, blackouts);
    const local = speakerChecks(b);
    if (hasErrors(local)) return showFieldErrors(f, local);
    const r = await api('POST', `${base}/speakers`, b, { headers: { 'Idempotency-Key': key } });
    if (!r.ok) {
      if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
      return showFieldErrors(f, r.data?.errors ?? { body: [problemText(r.data)] });
    }
    boxes.addSpeakerResult.hidden = false;
    boxes.addSpeakerResult.replaceChildren(h('div', { class: 'notice ok' },
      linkBox('new-speaker-url', t('start.speakerLink', { name: r.data.name }), new URL(r.data.url, location.origin).href, 'org.speakerLinkHint')));
    key = newKey();
    fill();
    await load(false);
    document.getElementById('new-speaker-url')?.focus();
  });
  return f;
}

// ---- settings -----------------------------------------------------------------------------------------------------

function renderSettings() {
  if (boxes.settings.contains(document.activeElement) && boxes.settings.querySelector('form')) return; // being edited
  const zone = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', list: 'tp-settings-zones', value: tour.timeZone, required: true });
  const language = languageSelect(tour.language || 'en');
  const f = h('form', { class: 'settings', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    field('start.name', 'name', h('input', { type: 'text', required: true, maxlength: '200', value: tour.name }), null, 'set'),
    field('start.description', 'description', h('textarea', { rows: '3', maxlength: '2000', value: tour.description ?? '' }), null, 'set'),
    h('div', { class: 'row' },
      field('start.startDate', 'startDate', h('input', { type: 'date', required: true, value: tour.startDate }), null, 'set'),
      field('start.endDate', 'endDate', h('input', { type: 'date', required: true, value: tour.endDate }), null, 'set')),
    field('start.timeZone', 'timeZone', zone, 'start.timeZoneHint', 'set'),
    h('datalist', { id: 'tp-settings-zones' }, knownZones().map(z => h('option', { value: z }))),
    field('start.language', 'language', language, 'start.languageHint', 'set'),
    field('start.organizerEmail', 'organizerEmail', h('input', { type: 'email', maxlength: '254', value: tour.organizers?.[0]?.email ?? '' }), null, 'set'),
    h('fieldset', {}, h('legend', { i18n: 'start.rules' }), rulesFields(tour.rules)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, h('span', { i18n: 'org.saveSettings' }))),
    h('p', { role: 'status', class: 'settings-status' }));
  f.addEventListener('submit', async e => {
    e.preventDefault();
    clearFieldErrors(f);
    const v = n => f.elements[n].value.trim();
    const num = n => (v(n) === '' ? null : Number(v(n)));
    const b = {
      name: v('name'), description: v('description'), startDate: v('startDate') || null, endDate: v('endDate') || null, timeZone: v('timeZone'),
      language: f.elements.language.value, organizerEmail: v('organizerEmail') || null,
      rules: { holdDays: num('rules.holdDays'), travelBufferMinutes: num('rules.travelBufferMinutes'), minRestMinutes: num('rules.minRestMinutes'), maxEventsPerDay: num('rules.maxEventsPerDay') },
    };
    const local = collectErrors([
      ['name', b.name ? null : t('check.required')],
      ['startDate', b.startDate ? null : t('check.date')],
      ['endDate', !b.endDate ? t('check.date') : b.startDate && b.endDate < b.startDate ? t('check.endBeforeStart') : null],
      ['timeZone', isKnownZone(b.timeZone) ? null : t('check.zone')],
    ]);
    if (hasErrors(local)) return showFieldErrors(f, local);
    const r = await api('PATCH', base, b);
    if (!r.ok) {
      if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
      return showFieldErrors(f, r.data?.errors ?? { body: [problemText(r.data)] });
    }
    document.activeElement?.blur();
    await load(false);
    const status = boxes.settings.querySelector('.settings-status');
    status.textContent = t('org.settingsSaved');
  });
  boxes.settings.replaceChildren(f);
}

// Started last, so every function and constant above exists before the first render.
await start();
onLanguageChange(render);
onLanguageChange(() => mail.refresh());
if (requireToken()) {
  await load(true);
  if (tour) stopWatching = watchTour(base, version => {
    if (version === null) return load(false); // the link was revoked: the reload says so
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => load(false), 300); // several changes in a burst are one reload
  });
}
