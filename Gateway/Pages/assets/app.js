// Shared by every page: the token from the fragment, JSON calls, strings in two languages, dates in a place's own
// zone, and problem+json errors shown where they belong. No framework and no build step on purpose: volunteers'
// phones load one small file, and anyone on the campaign can read it.

let strings = { en: {}, es: {} };
let current = 'en';
const listeners = [];

/** The capability token from `#token=…`; it never leaves the browser except in the Authorization header. */
export function token() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  return params.get('token') || '';
}

export const app = () => document.getElementById('app');

/**
 * The headers of every call to the API: the page's language, so problem+json titles, details, field errors and notes
 * come back in the words the page shows (a Spanish page never reads an English sentence), and the link's token.
 */
export function apiHeaders(extra = {}) {
  const headers = { 'Accept-Language': current, ...extra };
  const tok = token();
  if (tok) headers.Authorization = 'Bearer ' + tok;
  return headers;
}

/**
 * Calls the JSON API; resolves to { ok, status, data } and never throws on HTTP errors. The API answers in the page's
 * language (apiHeaders). options.headers adds headers (Idempotency-Key, X-Tour-Creation-Key).
 */
export async function api(method, path, body, options = {}) {
  const headers = apiHeaders({ Accept: 'application/json', ...(options.headers || {}) });
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    return { ok: false, status: 0, data: { title: t('error.network') } };
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { title: text }; }
  return { ok: response.ok, status: response.status, data };
}

// ---- strings ----------------------------------------------------------------------------------------------------

export const lang = () => current;

/** The string for key in the chosen language, with {name} placeholders filled. */
export function t(key, vars) {
  let s = strings[current]?.[key] ?? strings.en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split('{' + k + '}').join(String(v));
  return s;
}

export function onLanguageChange(fn) { listeners.push(fn); }

function chooseInitial() {
  const saved = localStorage.getItem('tourplanner.lang');
  if (saved === 'en' || saved === 'es') return saved;
  const prefs = navigator.languages?.length ? navigator.languages : [navigator.language || 'en'];
  return /^es\b/i.test(prefs[0]) ? 'es' : 'en';
}

export function applyStrings(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const b of document.querySelectorAll('.lang [data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === current));
}

export function setLanguage(next) {
  current = next === 'es' ? 'es' : 'en';
  try { localStorage.setItem('tourplanner.lang', current); } catch { /* private mode: the choice lasts this visit */ }
  applyStrings();
  for (const fn of listeners) fn();
}

/** Loads the strings, picks the language and wires the EN/ES switch. Every page calls this first. */
export async function start() {
  try {
    const response = await fetch('/assets/i18n.json');
    strings = await response.json();
  } catch { /* keys show instead of text; the page still works */ }
  current = chooseInitial();
  for (const b of document.querySelectorAll('.lang [data-lang]')) b.addEventListener('click', () => setLanguage(b.dataset.lang));
  // Opening another link of the same page only changes the fragment: start over with the new token.
  addEventListener('hashchange', () => location.reload());
  applyStrings();
}

// ---- DOM ----------------------------------------------------------------------------------------------------------

/**
 * Builds an element. Children that are strings become text nodes, so nothing a person typed is ever parsed as HTML.
 * attrs: `i18n` sets a translated text key, `on*` adds listeners, other keys become attributes or properties.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'i18n') { el.dataset.i18n = v; el.textContent = t(v); }
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value' || k === 'checked') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** Replaces the page with a message, e.g. for a missing or revoked link. */
export function fatal(key) {
  const main = app();
  main.replaceChildren(h('div', { class: 'alert', role: 'alert' },
    h('h1', { i18n: key + '.title' }), h('p', { i18n: key + '.body' })));
  main.focus();
}

/** What to say for an error answer, including the link being wrong (401/403) or the tour missing (404). */
export function failureKey(status) {
  if (status === 401 || status === 403) return 'invalidLink';
  if (status === 404) return 'notFound';
  return null;
}

export function requireToken() {
  if (token()) return true;
  fatal('invalidLink');
  return false;
}

/** A polite live region for outcomes such as "Claim sent". */
export function say(el, text, kind = 'ok') {
  el.className = 'notice ' + kind;
  el.textContent = text;
}

// ---- time ---------------------------------------------------------------------------------------------------------

const locale = () => (current === 'es' ? 'es' : 'en-GB');

function parts(date, options) {
  const out = {};
  for (const p of new Intl.DateTimeFormat(locale(), options).formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** The zone's short name at that instant (CDT, GMT+1), from Intl in English because Spanish ICU spells most as GMT-5. */
export function zoneAbbreviation(date, timeZone) {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(date)
      .find(p => p.type === 'timeZoneName')?.value ?? timeZone;
  } catch { return timeZone; }
}

/** "Wed 28 Oct 19:00 CDT": the instant in the place's own zone, never the viewer's. */
export function formatInZone(instant, timeZone, abbreviation) {
  const date = new Date(instant);
  if (isNaN(date)) return '';
  let p;
  try { p = parts(date, { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }); }
  catch { p = parts(date, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }); timeZone = 'UTC'; }
  const clean = s => (s || '').replace(/\.$/, '');
  return `${clean(p.weekday)} ${p.day} ${clean(p.month)} ${p.hour}:${p.minute} ${abbreviation || zoneAbbreviation(date, timeZone)}`;
}

/** A local date (2026-10-28) as "Wed 28 Oct"; dates have no zone, so format them as UTC midnight. */
export function formatDate(iso, withYear = false) {
  const date = new Date(iso + 'T00:00:00Z');
  if (isNaN(date)) return iso;
  const p = parts(date, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  const clean = s => (s || '').replace(/\.$/, '');
  return `${clean(p.weekday)} ${p.day} ${clean(p.month)}${withYear ? ' ' + p.year : ''}`;
}

export function formatDates(dates) {
  if (!dates?.length) return '';
  return dates.length === 1 ? formatDate(dates[0]) : `${formatDate(dates[0])} – ${formatDate(dates[dates.length - 1])}`;
}

/** "in 6 days" / "hace 2 horas", in the viewer's words; the exact instant goes in the title. */
export function relative(instant) {
  const ms = new Date(instant).getTime() - Date.now();
  const rtf = new Intl.RelativeTimeFormat(current, { numeric: 'auto' });
  const abs = Math.abs(ms);
  if (abs < 3600e3) return rtf.format(Math.round(ms / 60e3), 'minute');
  if (abs < 48 * 3600e3) return rtf.format(Math.round(ms / 3600e3), 'hour');
  return rtf.format(Math.round(ms / 86400e3), 'day');
}

/** The viewer's own clock reading of an instant, for expiries ("Thu 8 Oct 14:00"). */
export function formatLocal(instant) {
  return formatInZone(instant, Intl.DateTimeFormat().resolvedOptions().timeZone);
}

export function ordinal(n) {
  if (current === 'es') return `${n}.º`;
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' })[n % 10] || 'th';
  return n + s;
}

// ---- errors -------------------------------------------------------------------------------------------------------

/** The conflict's explanation in the chosen language. */
export const conflictText = c => (current === 'es' && c.messageEs) ? c.messageEs : c.message;

export function problemText(data) {
  if (!data) return t('error.generic');
  return [data.title, data.detail].filter(Boolean).join(': ') || t('error.generic');
}

export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) { el.textContent = ''; el.hidden = true; }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const summary = form.querySelector('.form-errors');
  if (summary) { summary.replaceChildren(); summary.hidden = true; }
}

/**
 * Puts each problem+json `errors` entry next to its field. A key such as `events[0].start` matches the element with
 * data-field="events[0].start"; `dates[1]` falls back to `dates`; anything unmatched goes to the form's summary.
 */
export function showFieldErrors(form, errors) {
  clearFieldErrors(form);
  const summary = form.querySelector('.form-errors');
  let first = null;
  for (const [key, messages] of Object.entries(errors || {})) {
    let k = key, box = null;
    while (k && !(box = form.querySelector(`.field-error[data-for="${CSS.escape(k)}"]`))) {
      const shorter = k.replace(/\[\d+\]$/, '');
      k = shorter === k ? '' : shorter;
    }
    const text = messages.join(' ');
    if (box) {
      box.textContent = (box.textContent ? box.textContent + ' ' : '') + text;
      box.hidden = false;
      const input = form.querySelector(`[name="${CSS.escape(k)}"]`);
      if (input) { input.setAttribute('aria-invalid', 'true'); first ??= input; }
    } else if (summary) {
      summary.hidden = false;
      summary.append(h('p', {}, `${key}: ${text}`));
    }
  }
  // Focus the first invalid field in reading order, whichever order the errors came in.
  if (summary && !summary.hidden) summary.focus();
  else (form.querySelector('[aria-invalid="true"]') ?? first)?.focus();
}

/** A labelled input with an error slot tied to it by aria-describedby. */
export function field(labelKey, name, input, hintKey, idPrefix = 'f') {
  const id = idPrefix + '-' + name.replace(/[^\w-]/g, '_');
  input.id = id;
  input.name = name;
  const described = [`${id}-err`];
  const hint = hintKey ? h('p', { class: 'hint', id: `${id}-hint`, i18n: hintKey }) : null;
  if (hint) described.push(`${id}-hint`);
  input.setAttribute('aria-describedby', described.join(' '));
  return h('div', { class: 'field' },
    h('label', { for: id, i18n: labelKey }), hint, input,
    h('p', { class: 'field-error', id: `${id}-err`, 'data-for': name, hidden: true }));
}

/** Copies text, falling back to selecting it where the clipboard is not available (plain http, old phones). */
export async function copy(input, status) {
  try { await navigator.clipboard.writeText(input.value); say(status, t('copied')); }
  catch { input.select(); say(status, t('copyManually'), 'warn'); }
}

// ---- forms: every problem at once -----------------------------------------------------------------------------

/**
 * Collects field problems found before sending: checks is a list of [field name, message or null]. Returns the
 * problem+json-shaped `errors` object (field → messages), empty when all is well.
 */
export function collectErrors(checks) {
  const errors = {};
  for (const [name, message] of checks) if (message) (errors[name] ??= []).push(message);
  return errors;
}

export const hasErrors = errors => Object.keys(errors).length > 0;

/** A fresh Idempotency-Key, so a double tap or a retried request never creates a thing twice. */
export function newKey() {
  return globalThis.crypto?.randomUUID?.() ?? (Date.now().toString(36) + Math.random().toString(36).slice(2));
}

/** Today's date (YYYY-MM-DD) in a zone: "before today" means before today where the thing happens. */
export function todayIn(timeZone) {
  try {
    const p = {};
    for (const x of new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date())) p[x.type] = x.value;
    return `${p.year}-${p.month}-${p.day}`;
  } catch { return new Date().toISOString().slice(0, 10); }
}

/** Every IANA zone the browser knows, for the zone inputs' suggestions. */
export function knownZones() {
  try { return Intl.supportedValuesOf('timeZone'); } catch { return ['UTC']; }
}

export function isKnownZone(zone) {
  if (!zone) return false;
  try { new Intl.DateTimeFormat('en', { timeZone: zone }); return true; } catch { return false; }
}

/** "2 h 15 min": added travel, in hours and minutes. */
export function formatMinutes(minutes) {
  const m = Math.max(0, Math.round(Number(minutes) || 0));
  const hours = Math.floor(m / 60), rest = m % 60;
  if (hours === 0) return t('time.minutes', { m: rest });
  return rest === 0 ? t('time.hours', { h: hours }) : t('time.hoursMinutes', { h: hours, m: rest });
}

/**
 * The accessible name of a button that repeats on a page: its visible words first (so speech input finds it), then
 * what it acts on ("Confirm — Teamsters Local 705, Wed 28 Oct").
 */
export const named = (key, what) => `${t(key)} — ${what}`;

/** A read-only link with Copy and Open, for links shown once. */
export function linkBox(id, labelText, url, hintKey) {
  const input = h('input', { type: 'text', readonly: true, value: url, id, class: 'url' });
  const status = h('p', { role: 'status', class: 'copy-status' });
  return h('div', { class: 'link-box' },
    h('label', { for: id }, labelText), input,
    hintKey ? h('p', { class: 'hint', i18n: hintKey }) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', 'aria-label': named('copy', labelText), onclick: () => copy(input, status) }, t('copy')),
      h('a', { class: 'button', href: url, target: '_blank', rel: 'noopener', 'aria-label': named('open', labelText) }, t('open'))),
    status);
}

// ---- place picker -------------------------------------------------------------------------------------------------

let zoneList = null;
function zoneDatalist() {
  if (zoneList) return zoneList.id;
  zoneList = h('datalist', { id: 'tp-zones' }, knownZones().map(z => h('option', { value: z })));
  document.body.append(zoneList);
  return zoneList.id;
}

/**
 * A city search that fills coordinates and zone: the server's city list (and its geocoder, when configured), with the
 * coordinates and zone still free to type for a place the list does not know. names maps the fields to form names
 * ({ city, latitude, longitude, timeZone, country? }); labels are i18n keys.
 */
export function placePicker({ idPrefix, names, values = {}, labels = {}, required = false }) {
  const cityInput = h('input', { type: 'text', autocomplete: 'off', maxlength: '120', value: values.city ?? '', required,
    'aria-autocomplete': 'list', 'aria-controls': `${idPrefix}-results` });
  const results = h('ul', { class: 'city-results', id: `${idPrefix}-results`, hidden: true });
  const status = h('p', { class: 'hint', role: 'status', id: `${idPrefix}-status` });
  const lat = h('input', { type: 'number', step: 'any', min: '-90', max: '90', inputmode: 'decimal', value: values.latitude ?? '' });
  const lon = h('input', { type: 'number', step: 'any', min: '-180', max: '180', inputmode: 'decimal', value: values.longitude ?? '' });
  const zone = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', list: zoneDatalist(), placeholder: 'America/Chicago', value: values.timeZone ?? '' });
  const country = names.country ? h('input', { type: 'text', autocomplete: 'off', maxlength: '60', value: values.country ?? '' }) : null;
  let timer = null, asked = '';
  async function search() {
    const q = cityInput.value.trim();
    if (q.length < 2 || q === asked) { if (q.length < 2) { results.hidden = true; status.textContent = ''; } return; }
    asked = q;
    const r = await api('GET', `/api/cities?q=${encodeURIComponent(q)}&limit=6`);
    if (cityInput.value.trim() !== q) return; // a newer search is on its way
    const found = r.ok ? r.data.cities : [];
    results.replaceChildren(...found.map(c => h('li', {}, h('button', { type: 'button', class: 'city-option', onclick: () => pick(c) },
      h('span', {}, c.label), ' ', h('span', { class: 'muted' }, c.timeZone)))));
    results.hidden = found.length === 0;
    status.textContent = found.length ? t('place.found', { n: found.length }) : t('place.none');
  }
  function pick(c) {
    cityInput.value = c.name;
    lat.value = String(c.latitude);
    lon.value = String(c.longitude);
    zone.value = c.timeZone;
    if (country && c.country) country.value = c.country;
    asked = c.name;
    results.hidden = true;
    status.textContent = t('place.picked', { label: c.label, zone: c.timeZone });
    for (const el of [cityInput, lat, lon, zone, country]) el?.dispatchEvent(new Event('change', { bubbles: true }));
    cityInput.focus();
  }
  cityInput.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 250); });
  cityInput.addEventListener('keydown', e => {
    if (e.key === 'ArrowDown' && !results.hidden) { e.preventDefault(); results.querySelector('button')?.focus(); }
    if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); search(); }
  });
  results.addEventListener('keydown', e => {
    const buttons = [...results.querySelectorAll('button')];
    const i = buttons.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i < buttons.length - 1) { e.preventDefault(); buttons[i + 1].focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); (i > 0 ? buttons[i - 1] : cityInput).focus(); }
    if (e.key === 'Escape') { results.hidden = true; cityInput.focus(); }
  });
  const cityField = field(labels.city ?? 'place.city', names.city, cityInput, 'place.cityHint', idPrefix);
  cityField.querySelector('.field-error').before(results, status);
  cityInput.setAttribute('aria-describedby', `${cityInput.getAttribute('aria-describedby')} ${idPrefix}-status`);
  return h('div', { class: 'place' },
    cityField,
    country ? field('host.country', names.country, country, 'host.countryHint', idPrefix) : null,
    h('div', { class: 'row' },
      field('host.latitude', names.latitude, lat, null, idPrefix),
      field('host.longitude', names.longitude, lon, null, idPrefix)),
    field(labels.timeZone ?? 'host.timeZone', names.timeZone, zone, 'place.zoneHint', idPrefix));
}

// ---- live updates -------------------------------------------------------------------------------------------------

/**
 * Calls onChange(version) whenever the tour changes, whichever Gateway stored the change: a Server-Sent Events stream
 * read with fetch (EventSource cannot send the Authorization header), and when no stream can be had, a poll of the
 * tour's version with its ETag. Returns a function that stops it.
 */
export function watchTour(base, onChange, { pollMs = 15000 } = {}) {
  let stopped = false, known = null, etag = '', controller = null, failures = 0;
  const seen = version => { if (known !== null && version !== known) onChange(version); known = version; };
  async function stream() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch(`${base}/changes`, { headers: apiHeaders({ Accept: 'text/event-stream' }), signal: controller.signal, cache: 'no-store' });
        if (response.status === 401 || response.status === 403) return;
        if (response.status === 503) return poll(); // the server has no stream to spare
        if (!response.ok || !response.body) throw new Error(String(response.status));
        failures = 0;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut;
          while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
            let type = 'message', data = '';
            for (const line of block.split(/\r?\n/)) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trim();
            }
            if (type === 'revoked') { stopped = true; onChange(null); return; }
            if (type === 'hello' || type === 'change') { try { seen(JSON.parse(data).version); } catch { /* a malformed event is skipped */ } }
          }
        }
      } catch {
        if (stopped) return;
        failures++;
      }
      // After a few failed streams (a server out of streams, a proxy that buffers), poll instead.
      if (failures >= 3) return poll();
      await new Promise(r => setTimeout(r, 1000 * failures));
    }
  }
  async function poll() {
    while (!stopped) {
      try {
        const response = await fetch(`${base}/version`, { headers: apiHeaders({ 'If-None-Match': etag }), cache: 'no-store' });
        if (response.status === 200) { etag = response.headers.get('ETag') || ''; seen((await response.json()).version); }
      } catch { /* offline for now: try again next round */ }
      await new Promise(r => setTimeout(r, pollMs));
    }
  }
  stream();
  return () => { stopped = true; controller?.abort(); };
}

/** The rule inputs of a tour (start page and the organizer's settings). */
export function rulesFields(r, prefix = 'rules') {
  const num = (key, min, max, hint) => field(`rules.${key}`, `${prefix}.${key}`,
    h('input', { type: 'number', min: String(min), max: String(max), inputmode: 'numeric', value: String(r[key]) }), hint);
  return h('div', { class: 'rule-fields' },
    num('holdDays', 1, 90, 'rules.holdDaysHint'), num('travelBufferMinutes', 0, 1440, 'rules.travelBufferHint'),
    num('minRestMinutes', 0, 1440, 'rules.minRestHint'), num('maxEventsPerDay', 1, 24));
}

