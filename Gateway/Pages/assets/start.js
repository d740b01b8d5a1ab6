// The start page: a form that creates a tour, then the links to keep (shown this once).
import {
  start, api, h, t, field, showFieldErrors, clearFieldErrors, collectErrors, hasErrors, newKey, placePicker, isKnownZone,
  knownZones, linkBox, formatDate, problemText, lang, rulesFields,
} from './app.js';

const holder = document.getElementById('start-form');
const needsKey = document.getElementById('app').dataset.creationKey === 'required';
let form, speakersBox, idempotencyKey = newKey();


function build() {
  const guess = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  speakersBox = h('div', { class: 'speaker-rows' });
  const languageSelect = h('select', {}, h('option', { value: 'en', lang: 'en' }, 'English'), h('option', { value: 'es', lang: 'es' }, 'Español'));
  languageSelect.value = lang();
  const zoneInput = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', list: 'tp-start-zones', value: guess, required: true });
  form = h('form', { class: 'create-tour', novalidate: true },
    h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
    h('fieldset', {}, h('legend', { i18n: 'start.tour' }),
      field('start.name', 'name', h('input', { type: 'text', required: true, maxlength: '200', autocomplete: 'off' })),
      field('start.description', 'description', h('textarea', { rows: '3', maxlength: '2000' })),
      h('div', { class: 'row' },
        field('start.startDate', 'startDate', h('input', { type: 'date', required: true })),
        field('start.endDate', 'endDate', h('input', { type: 'date', required: true }))),
      field('start.timeZone', 'timeZone', zoneInput, 'start.timeZoneHint'),
      h('datalist', { id: 'tp-start-zones' }, knownZones().map(z => h('option', { value: z })))),
    h('fieldset', {}, h('legend', { i18n: 'start.you' }),
      field('start.organizerName', 'organizerName', h('input', { type: 'text', maxlength: '200', autocomplete: 'name' })),
      field('start.organizerEmail', 'organizerEmail', h('input', { type: 'email', maxlength: '254', autocomplete: 'email' }), 'start.organizerEmailHint'),
      field('start.language', 'language', languageSelect, 'start.languageHint')),
    h('fieldset', {}, h('legend', { i18n: 'start.speakers' }), speakersBox,
      h('button', { type: 'button', class: 'secondary', onclick: () => addSpeaker(true) }, h('span', { i18n: 'start.addSpeaker' }))),
    h('details', { class: 'rules' }, h('summary', { i18n: 'start.rules' }),
      h('p', { class: 'hint', i18n: 'start.rulesHint' }),
      rulesFields({ holdDays: 7, travelBufferMinutes: 90, minRestMinutes: 600, maxEventsPerDay: 3 })),
    needsKey ? field('start.creationKey', 'X-Tour-Creation-Key', h('input', { type: 'password', required: true, autocomplete: 'off' }), 'start.creationKeyHint') : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, h('span', { i18n: 'start.create' }))));
  addSpeaker(false);
  form.addEventListener('submit', submit);
  // Any change after a failed try is a new request; the same request retried keeps its key.
  form.addEventListener('input', () => { idempotencyKey = newKey(); });
  holder.replaceChildren(form);
}

function addSpeaker(focus) {
  const i = speakersBox.children.length;
  const p = `speakers[${i}]`;
  const blackouts = new Set();
  const chips = h('ul', { class: 'chips dates-chips', 'aria-live': 'polite' });
  const dateInput = h('input', { type: 'date' });
  const renderChips = () => chips.replaceChildren(...[...blackouts].sort().map(d => h('li', {},
    h('span', {}, formatDate(d, true)),
    h('button', { type: 'button', class: 'link', 'aria-label': t('start.removeBlackout', { date: formatDate(d, true) }), onclick: () => { blackouts.delete(d); renderChips(); } }, '×'))));
  const addBlackout = () => { if (dateInput.value) { blackouts.add(dateInput.value); dateInput.value = ''; renderChips(); dateInput.focus(); } };
  const blackoutField = field('start.blackout', `rules.blackoutDates.${i}`, dateInput, 'start.blackoutHint', `s${i}`);
  blackoutField.querySelector('.field-error').before(
    h('button', { type: 'button', class: 'secondary', onclick: addBlackout }, h('span', { i18n: 'start.addBlackout' })), chips);
  const row = h('div', { class: 'speaker-row', 'data-index': String(i) },
    h('p', { class: 'row-title' }, h('span', { i18n: 'start.speaker' }), ` ${i + 1}`),
    field('start.speakerName', `${p}.name`, h('input', { type: 'text', required: true, maxlength: '200', autocomplete: 'off' }), null, `s${i}`),
    field('start.speakerEmail', `${p}.email`, h('input', { type: 'email', maxlength: '254', autocomplete: 'off' }), 'start.speakerEmailHint', `s${i}`),
    placePicker({ idPrefix: `s${i}`, names: { city: `${p}.homeCity`, latitude: `${p}.homeLatitude`, longitude: `${p}.homeLongitude`, timeZone: `${p}.homeTimeZone` },
      labels: { city: 'start.homeCity', timeZone: 'start.homeZone' } }),
    blackoutField);
  row.blackouts = blackouts;
  if (i > 0) row.append(h('button', { type: 'button', class: 'link', onclick: () => { row.remove(); focusLast(); } }, h('span', { i18n: 'start.removeSpeaker' }), h('span', { class: 'sr-only' }, ` ${i + 1}`)));
  speakersBox.append(row);
  if (focus) row.querySelector('input').focus();
}

function focusLast() { speakersBox.lastElementChild?.querySelector('input')?.focus(); }

function value(name) { return form.elements[name]?.value.trim() ?? ''; }
function number(name) { const v = value(name); return v === '' ? null : Number(v); }

function body() {
  const rows = [...speakersBox.children];
  const speakers = rows.map(row => {
    const p = `speakers[${row.dataset.index}]`;
    return {
      name: value(`${p}.name`), email: value(`${p}.email`) || null, homeCity: value(`${p}.homeCity`) || null,
      homeTimeZone: value(`${p}.homeTimeZone`) || value('timeZone'), homeLatitude: number(`${p}.homeLatitude`), homeLongitude: number(`${p}.homeLongitude`),
    };
  });
  const blackoutDates = {};
  rows.forEach((row, i) => { if (row.blackouts.size) blackoutDates[String(i)] = [...row.blackouts].sort(); });
  return {
    name: value('name'), description: value('description') || null, timeZone: value('timeZone'),
    startDate: value('startDate') || null, endDate: value('endDate') || null,
    organizerName: value('organizerName') || null, organizerEmail: value('organizerEmail') || null, language: form.elements.language.value,
    speakers,
    rules: {
      holdDays: number('rules.holdDays'), travelBufferMinutes: number('rules.travelBufferMinutes'),
      minRestMinutes: number('rules.minRestMinutes'), maxEventsPerDay: number('rules.maxEventsPerDay'), blackoutDates,
    },
  };
}

/** What the page can tell before asking the server; the server checks all of it again. */
function check(b) {
  const checks = [
    ['name', b.name ? null : t('check.required')],
    ['startDate', b.startDate ? null : t('check.date')],
    ['endDate', !b.endDate ? t('check.date') : b.startDate && b.endDate < b.startDate ? t('check.endBeforeStart') : null],
    ['timeZone', isKnownZone(b.timeZone) ? null : t('check.zone')],
  ];
  b.speakers.forEach((s, i) => {
    checks.push([`speakers[${i}].name`, s.name ? null : t('check.required')]);
    checks.push([`speakers[${i}].homeTimeZone`, isKnownZone(s.homeTimeZone) ? null : t('check.zone')]);
    if ((s.homeLatitude === null) !== (s.homeLongitude === null))
      checks.push([s.homeLatitude === null ? `speakers[${i}].homeLatitude` : `speakers[${i}].homeLongitude`, t('check.bothCoordinates')]);
  });
  const rows = [...speakersBox.children];
  rows.forEach((row, i) => {
    const outside = [...row.blackouts].filter(d => (b.startDate && d < b.startDate) || (b.endDate && d > b.endDate));
    if (outside.length) checks.push([`rules.blackoutDates.${i}`, t('check.blackoutOutside', { dates: outside.map(d => formatDate(d, true)).join(', ') })]);
  });
  return collectErrors(checks);
}

async function submit(e) {
  e.preventDefault();
  clearFieldErrors(form);
  const b = body();
  const local = check(b);
  if (hasErrors(local)) return showFieldErrors(form, local);
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const headers = { 'Idempotency-Key': idempotencyKey };
    if (needsKey) headers['X-Tour-Creation-Key'] = form.elements['X-Tour-Creation-Key'].value;
    const r = await api('POST', '/api/tours', b, { headers });
    if (!r.ok) return showFieldErrors(form, r.data?.errors ?? { body: [problemText(r.data)] });
    created(r.data, b);
  } finally {
    button.disabled = false;
  }
}

function created(tour, b) {
  const abs = u => new URL(u, location.origin).href;
  const main = document.getElementById('app');
  const box = h('section', { class: 'created', 'aria-labelledby': 'created-h' },
    h('h2', { id: 'created-h', tabindex: '-1' }, t('start.created', { name: b.name })),
    h('div', { class: 'notice warn', role: 'note' }, h('p', { i18n: 'start.keepLink' })),
    linkBox('organizer-url', t('start.organizerLink'), abs(tour.organizerUrl), 'start.organizerLinkHint'),
    h('h3', { i18n: 'start.speakerLinks' }),
    ...tour.speakers.map((s, i) => linkBox(`speaker-url-${i}`, t('start.speakerLink', { name: s.name }), abs(s.url), null)),
    h('p', {}, h('span', { i18n: 'org.publicPage' }), ' ', h('a', { href: abs(tour.publicUrl) }, abs(tour.publicUrl))));
  main.replaceChildren(h('p', { class: 'eyebrow', i18n: 'start.eyebrow' }), box);
  box.querySelector('h2').focus();
}

// Started last, so every function above exists before the form is built.
await start();
build();
