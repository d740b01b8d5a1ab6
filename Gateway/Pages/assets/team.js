// The organizer page's team panels: the tour's organizers with their links (invite, new link, revoke one link), and
// "who did what", the tour's history. organize.js mounts them and calls refresh() whenever it reloads the tour.
import {
  api, h, t, field, showFieldErrors, clearFieldErrors, collectErrors, hasErrors, newKey, linkBox, named, failureKey, fatal,
  problemText, formatInZone, formatDate, lang,
} from './app.js';

const when = (instant, tour) => formatInZone(instant, tour.timeZone);

/**
 * Organizers and their links. getTour() is the tour the page last loaded; languageSelect() builds the EN/ES select
 * the other invite forms use.
 */
export function teamPanel(base, getTour, languageSelect) {
  const list = h('div', { class: 'organizers' });
  const inviteResult = h('div', { hidden: true });
  let organizers = [], links = [], you = null, problem = null;
  const shown = new Map(); // organizerId → url of the link just issued (shown once: only its hash is stored)
  const armed = new Set(); // tokenIds whose revoke waits for its second tap
  const problems = new Map(); // organizerId → message from the last action on them

  const form = inviteForm();
  const element = h('section', { id: 'team', 'aria-labelledby': 'team-h' },
    h('h2', { id: 'team-h', i18n: 'team.title', tabindex: '-1' }),
    h('p', { class: 'hint', i18n: 'team.intro' }),
    list,
    h('h3', { i18n: 'team.invite' }), form, inviteResult);

  async function refresh() {
    const [o, l] = await Promise.all([api('GET', `${base}/organizers`), api('GET', `${base}/links`)]);
    if (!o.ok || !l.ok) { problem = problemText(o.ok ? l.data : o.data); organizers = []; links = []; }
    else { problem = null; organizers = o.data.organizers; links = l.data.links; you = l.data.you ?? null; }
    render();
  }

  function render() {
    const tour = getTour();
    if (!tour) return;
    if (problem) return list.replaceChildren(h('p', { class: 'alert', role: 'alert' }, problem));
    list.replaceChildren(h('ul', { class: 'cards' }, organizers.map(o => card(o, tour))));
  }

  function card(o, tour) {
    const own = links.filter(l => l.personId === o.id && l.role === 'organizer');
    const isYou = you?.personId === o.id;
    const url = shown.get(o.id);
    const p = problems.get(o.id);
    return h('li', { class: 'card organizer', 'data-organizer': o.id },
      h('h3', {}, o.name, isYou ? h('span', { class: 'badge' }, ' ', t('team.you')) : null),
      h('p', { class: 'muted' }, [o.email, t('lang.' + (o.language || 'en')), t('team.added', { at: when(o.addedAt, tour) })].filter(Boolean).join(' · ')),
      own.length
        ? h('ul', { class: 'plain links' }, own.map(l => linkRow(o, l, own.length, tour)))
        : h('p', { class: 'muted' }, t('team.noLinks')),
      p ? h('div', { class: 'alert', role: 'alert', tabindex: '-1' }, h('p', {}, p)) : null,
      url ? h('div', { class: 'notice ok' },
        h('div', { class: 'notice warn', role: 'note' }, h('p', { i18n: 'team.keepLink' })),
        linkBox(`org-link-${o.id}`, t('org.newLinkFor', { name: o.name }), url, 'team.linkHint')) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', 'aria-label': named('org.newLink', o.name), onclick: () => issue(o) }, t('org.newLink'))));
  }

  function linkRow(o, l, count, tour) {
    const mine = you?.tokenId === l.tokenId;
    const label = `${o.name}, ${when(l.issuedAt, tour)}`;
    const row = h('li', { class: 'link', 'data-token': l.tokenId },
      h('span', {}, t('team.linkIssued', { at: when(l.issuedAt, tour) })),
      mine ? h('strong', {}, ' · ', t('team.thisLink')) : null);
    if (!armed.has(l.tokenId)) {
      row.append(' ', h('button', { type: 'button', class: 'secondary', 'aria-label': named('team.revokeLink', label),
        onclick: () => { armed.clear(); armed.add(l.tokenId); render(); focus(`[data-token="${CSS.escape(l.tokenId)}"] button.danger`); } }, t('team.revokeLink')));
      return row;
    }
    // Revoking the link this page runs on locks its holder out: say so plainly before the second tap.
    const warning = mine
      ? t(count === 1 ? (organizers.length === 1 ? 'team.revokeOwnOnly' : 'team.revokeOwnLast') : 'team.revokeOwn')
      : t(count === 1 ? 'team.revokeTheirLast' : 'team.revokeOne', { name: o.name });
    row.append(h('div', { class: 'notice warn confirm', role: 'alert' }, h('p', {}, warning),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'danger', 'aria-label': named('team.revokeSure', label), onclick: () => revoke(o, l, mine) }, t('team.revokeSure')),
        h('button', { type: 'button', class: 'secondary', 'aria-label': named('team.keep', label), onclick: () => { armed.clear(); render(); } }, t('team.keep')))));
    return row;
  }

  function focus(selector) { list.querySelector(selector)?.focus(); }

  async function issue(o) {
    armed.clear();
    problems.delete(o.id);
    const r = await api('POST', `${base}/organizers/${encodeURIComponent(o.id)}/links`);
    if (!r.ok) {
      if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
      problems.set(o.id, problemText(r.data));
    } else shown.set(o.id, new URL(r.data.url, location.origin).href);
    await refresh();
    const box = document.getElementById(`org-link-${o.id}`);
    if (box) { box.focus(); box.select(); } else focus(`[data-organizer="${CSS.escape(o.id)}"] .alert`);
  }

  async function revoke(o, l, mine) {
    armed.clear();
    problems.delete(o.id);
    const r = await api('DELETE', `${base}/links/${encodeURIComponent(l.tokenId)}`);
    if (!r.ok) {
      if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
      problems.set(o.id, problemText(r.data));
    }
    if (r.ok && mine) return fatal('team.revokedOwn');
    await refresh();
    focus(`[data-organizer="${CSS.escape(o.id)}"] h3`);
  }

  function inviteForm() {
    const f = h('form', { class: 'organizer-invite', novalidate: true },
      h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
      field('team.name', 'name', h('input', { type: 'text', required: true, maxlength: '200', autocomplete: 'off' }), null, 'coorg'),
      field('team.email', 'email', h('input', { type: 'email', maxlength: '254', autocomplete: 'off' }), 'team.emailHint', 'coorg'),
      field('team.language', 'language', languageSelect(), null, 'coorg'),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, h('span', { i18n: 'team.inviteButton' }))));
    let key = newKey();
    f.addEventListener('input', () => { key = newKey(); });
    f.addEventListener('submit', async e => {
      e.preventDefault();
      clearFieldErrors(f);
      const v = n => f.elements[n].value.trim() || null;
      const local = collectErrors([['name', v('name') ? null : t('check.required')],
        ['email', !v('email') || f.elements.email.checkValidity() ? null : t('check.email')]]);
      if (hasErrors(local)) return showFieldErrors(f, local);
      const name = v('name');
      const r = await api('POST', `${base}/organizers`, { name, email: v('email'), language: f.elements.language.value },
        { headers: { 'Idempotency-Key': key } });
      if (!r.ok) {
        if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
        return showFieldErrors(f, r.data?.errors ?? { body: [problemText(r.data)] });
      }
      inviteResult.hidden = false;
      inviteResult.replaceChildren(h('div', { class: 'notice ok' },
        h('div', { class: 'notice warn', role: 'note' }, h('p', { i18n: 'team.keepLink' })),
        linkBox('coorg-url', t('team.inviteLink', { name }), new URL(r.data.organizerUrl, location.origin).href, 'team.linkHint')));
      f.reset();
      key = newKey();
      await refresh();
      const box = document.getElementById('coorg-url');
      box.focus();
      box.select();
    });
    return f;
  }

  return { element, refresh, render };
}

// ---- history ------------------------------------------------------------------------------------------------------

const PAGE = 25;
const ACTIONS = new Set([
  'tour-created', 'settings-changed', 'speaker-added', 'speaker-changed', 'speaker-removed', 'organizer-added', 'organizer-changed',
  'host-invited', 'host-changed', 'sign-in-link-mailed', 'links-revoked-and-reissued', 'link-issued', 'link-revoked', 'claim-submitted',
  'claim-confirmed', 'stop-cancelled', 'claim-released', 'holds-ending', 'holds-expired', 'event-added', 'event-changed', 'event-removed',
  'venue-changed', 'plan-applied', 'supporter-signed-up', 'host-withdrew', 'private-data-purged', 'retention-changed', 'tour-exported',
]);

/**
 * Who did what, newest first, a page at a time. The API gives stable codes and ids, never sentences or contact
 * details; the words come from the page's strings, so the panel follows the page's language.
 */
export function historyPanel(base, getTour) {
  const list = h('ol', { class: 'history plain' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => loadMore() }, h('span', { i18n: 'hist.more' }));
  const status = h('p', { class: 'muted', role: 'status' });
  const element = h('section', { id: 'history', 'aria-labelledby': 'history-h' },
    h('h2', { id: 'history-h', i18n: 'hist.title', tabindex: '-1' }), h('p', { class: 'hint', i18n: 'hist.intro' }),
    list, status, h('div', { class: 'actions' }, more));
  let entries = [], complete = false, organizers = [];

  async function fetchPage(before) {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (before !== undefined) q.set('before', String(before));
    return api('GET', `${base}/history?${q}`);
  }

  /** Reloads the newest page, keeping as many older lines as were shown. */
  async function refresh() {
    const [r, o] = await Promise.all([fetchPage(), api('GET', `${base}/organizers`)]);
    if (o.ok) organizers = o.data.organizers;
    if (!r.ok) { status.textContent = problemText(r.data); return; }
    const fresh = r.data.history;
    const oldestFresh = fresh.at(-1)?.position;
    const pagedFurther = entries.length > PAGE;
    entries = [...fresh, ...entries.filter(e => oldestFresh !== undefined && e.position < oldestFresh)];
    if (!pagedFurther) complete = fresh.length < PAGE;
    render();
  }

  async function loadMore() {
    const oldest = entries.at(-1)?.position;
    if (oldest === undefined) return;
    const r = await fetchPage(oldest);
    if (!r.ok) { status.textContent = problemText(r.data); return; }
    const first = r.data.history[0]?.position;
    entries.push(...r.data.history);
    complete = r.data.history.length < PAGE;
    render();
    if (first !== undefined) list.querySelector(`[data-position="${first}"]`)?.focus();
  }

  function render() {
    const tour = getTour();
    if (!tour) return;
    list.replaceChildren(...entries.map(e => line(e, tour)));
    status.textContent = entries.length ? '' : t('hist.empty');
    more.hidden = complete || entries.length === 0;
  }

  /** "Ana (organizer)": the name the page knows for the actor's id, then the role; the API gives ids, never contacts. */
  function who(e, tour) {
    const label = (name, role) => (name ? `${name} (${t(role)})` : t(role));
    if (e.actorRole === 'organizer') return label(organizers.find(o => o.id === e.actorId)?.name, 'role.organizer');
    if (e.actorRole === 'speaker') return label(tour.speakers.find(s => s.id === e.actorId)?.name, 'role.speaker');
    if (e.actorRole === 'host') return label(tour.hosts.find(x => x.hostId === e.actorId)?.name, 'role.host');
    // The tour is created before anyone holds a link: its creator is the first organizer.
    if (e.action === 'tour-created') return label(organizers[0]?.name, 'role.organizer');
    return t(e.action === 'supporter-signed-up' ? 'role.supporter' : 'role.system');
  }

  /** The thing acted on, by name where the page knows it (never an id a person cannot read). */
  function subject(e, tour) {
    const s = e.subject;
    if (!s) return null;
    const person = organizers.find(o => o.id === s)?.name ?? tour.speakers.find(x => x.id === s)?.name ?? tour.hosts.find(x => x.hostId === s)?.name;
    if (person) return person;
    const claim = tour.claims.find(c => c.claimId === s) ?? tour.claims.find(c => c.stopId === s);
    if (claim) return `${tour.hosts.find(x => x.hostId === claim.hostId)?.name ?? ''} · ${claim.city}`.replace(/^ · /, '');
    const stop = tour.stops.find(x => x.stopId === s || x.events?.some(ev => ev.eventId === s));
    if (stop) return stop.city;
    if (e.action === 'retention-changed') return formatDate(s, true);
    if (e.action === 'tour-exported') return s.toUpperCase();
    if (e.action === 'private-data-purged') return t(`hist.reason.${s}`) === `hist.reason.${s}` ? null : t(`hist.reason.${s}`);
    return null;
  }

  function line(e, tour) {
    const what = ACTIONS.has(e.action) ? t(`hist.${e.action}`) : t('hist.other', { code: e.action });
    const on = subject(e, tour);
    return h('li', { class: 'history-line', 'data-position': String(e.position), 'data-action': e.action, tabindex: '-1' },
      h('span', { class: 'when muted' }, when(e.at, tour)), ' ',
      h('strong', { class: 'who' }, who(e, tour)), ' ',
      h('span', { class: 'what', lang: lang() }, what), on ? h('span', { class: 'on' }, ': ', on) : null);
  }

  return { element, refresh, render };
}
