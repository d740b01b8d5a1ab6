// The organizer page's privacy panels: when the tour's private data is purged (and bringing it forward, or purging
// now), taking the whole tour out as JSON or CSV, and deleting the tour for good. organize.js mounts them.
import {
  api, apiHeaders, h, t, field, showFieldErrors, clearFieldErrors, collectErrors, hasErrors, failureKey, fatal, problemText,
  formatInZone, formatDate, relative, lang, zoneAbbreviation,
} from './app.js';

/** Retention and export. getTour() is the tour the page last loaded. */
export function privacyPanel(base, getTour) {
  const status = h('div', { class: 'privacy-status' });
  const controls = h('div');
  const exportStatus = h('div', { class: 'export-status' });
  let privacy = null, problem = null, confirming = false, purgeProblem = null;

  const element = h('section', { id: 'privacy', 'aria-labelledby': 'privacy-h' },
    h('h2', { id: 'privacy-h', i18n: 'priv.title', tabindex: '-1' }),
    status, controls,
    h('h3', { i18n: 'priv.exportTitle' }),
    h('p', { class: 'hint', i18n: 'priv.exportIntro' }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', 'data-export': 'json', onclick: () => download('json') }, h('span', { i18n: 'priv.exportJson' })),
      h('button', { type: 'button', class: 'secondary', 'data-export': 'csv', onclick: () => download('csv') }, h('span', { i18n: 'priv.exportCsv' }))),
    exportStatus);

  async function refresh() {
    const r = await api('GET', `${base}/privacy`);
    if (!r.ok) { problem = problemText(r.data); privacy = null; } else { problem = null; privacy = r.data; }
    render();
  }

  function render() {
    const tour = getTour();
    if (!tour) return;
    if (problem) { status.replaceChildren(h('p', { class: 'alert', role: 'alert' }, problem)); return controls.replaceChildren(); }
    if (!privacy) return;
    const p = privacy;
    if (p.purgedAt) {
      status.replaceChildren(h('p', { class: 'notice ok', 'data-purged': p.purgedAt }, t('priv.purged', { at: formatInZone(p.purgedAt, tour.timeZone) })),
        h('p', { class: 'muted', i18n: 'priv.stays' }));
      return controls.replaceChildren();
    }
    status.replaceChildren(
      h('p', { class: 'purge-when', 'data-purge-on': p.purgeOn },
        t('priv.willPurge', { when: relative(p.purgeAt), date: formatDate(p.purgeOn, true), zone: zoneAbbreviation(new Date(p.purgeAt), tour.timeZone) })),
      h('p', { class: 'muted', i18n: 'priv.stays' }),
      h('p', { class: 'muted' }, t('priv.latest', { date: formatDate(p.latestPurgeOn, true), n: p.retentionDays })));
    if (controls.contains(document.activeElement) && controls.querySelector('form input:focus')) return; // being typed in
    controls.replaceChildren(dateForm(p), purgeBox());
  }

  function dateForm(p) {
    const f = h('form', { class: 'purge-date', novalidate: true },
      h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
      field('priv.purgeOn', 'purgeOn', h('input', { type: 'date', required: true, value: p.purgeOn, max: p.latestPurgeOn }), 'priv.purgeOnHint', 'priv'),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, h('span', { i18n: 'priv.save' }))),
      h('p', { role: 'status', class: 'privacy-saved' }));
    f.addEventListener('submit', async e => {
      e.preventDefault();
      clearFieldErrors(f);
      const purgeOn = f.elements.purgeOn.value;
      // Later than allowed is the API's to refuse (its words, in the page's language); the page checks only a date is there.
      const local = collectErrors([['purgeOn', /^\d{4}-\d{2}-\d{2}$/.test(purgeOn) ? null : t('check.date')]]);
      if (hasErrors(local)) return showFieldErrors(f, local);
      const r = await api('PATCH', `${base}/privacy`, { purgeOn });
      if (!r.ok) {
        if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
        return showFieldErrors(f, r.data?.errors ?? { body: [problemText(r.data)] });
      }
      privacy = r.data;
      document.activeElement?.blur();
      render();
      controls.querySelector('.privacy-saved').textContent = t('priv.saved');
      status.querySelector('.purge-when, .notice')?.setAttribute('tabindex', '-1');
    });
    return f;
  }

  function purgeBox() {
    if (!confirming) return h('div', { class: 'purge-now' },
      purgeProblem ? h('p', { class: 'alert', role: 'alert' }, purgeProblem) : null,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => { confirming = true; render(); controls.querySelector('.purge-confirm')?.focus(); } },
        h('span', { i18n: 'priv.purgeNow' }))));
    return h('div', { class: 'notice warn purge-confirm', role: 'alert', tabindex: '-1' },
      h('p', { i18n: 'priv.purgeGoes' }), h('p', { i18n: 'priv.purgeStays' }), h('p', { i18n: 'priv.purgeForever' }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'danger', onclick: purge }, h('span', { i18n: 'priv.purgeSure' })),
        h('button', { type: 'button', class: 'secondary', onclick: () => { confirming = false; render(); } }, h('span', { i18n: 'priv.purgeKeep' }))));
  }

  async function purge() {
    confirming = false;
    purgeProblem = null;
    const r = await api('POST', `${base}/privacy/purge`);
    if (!r.ok) {
      if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
      purgeProblem = problemText(r.data);
    } else privacy = r.data;
    render();
    (status.querySelector('.notice') ?? controls.querySelector('.alert'))?.setAttribute('tabindex', '-1');
    (status.querySelector('.notice') ?? controls.querySelector('.alert'))?.focus();
  }

  /**
   * The token travels in the Authorization header, never in a URL, so a plain link cannot download: fetch the file,
   * then hand the browser a Blob through a temporary <a download>.
   */
  async function download(format) {
    const tour = getTour();
    exportStatus.replaceChildren(h('p', { class: 'muted', role: 'status' }, t('priv.exporting')));
    let response;
    try {
      response = await fetch(`${base}/export.${format}?lang=${lang()}`, { headers: apiHeaders(), cache: 'no-store' });
    } catch {
      return exportStatus.replaceChildren(h('p', { class: 'alert', role: 'alert' }, t('error.network')));
    }
    if (!response.ok) {
      if (failureKey(response.status) === 'invalidLink') return fatal('invalidLink');
      let data = null;
      try { data = await response.json(); } catch { /* not problem+json: the generic words */ }
      return exportStatus.replaceChildren(h('p', { class: 'alert', role: 'alert', tabindex: '-1' }, t('priv.exportFailed'), ' ', problemText(data)));
    }
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `${tour?.slug || 'tour'}.${format}`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    // Revoked after the click has been handled: the browser has the bytes by then.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    exportStatus.replaceChildren(h('p', { class: 'notice ok', role: 'status' }, t('priv.exported', { file: `${tour?.slug || 'tour'}.${format}` })));
  }

  return { element, refresh, render };
}

/** The danger zone: the tour goes for good once its name is typed. onDeleted() is called after the API agreed. */
export function dangerZone(base, getTour, onDeleted) {
  const box = h('div');
  const element = h('section', { id: 'danger', class: 'danger-zone', 'aria-labelledby': 'danger-h' },
    h('h2', { id: 'danger-h', i18n: 'del.title', tabindex: '-1' }), box);
  let problem = null, typed = ''; // what was typed survives a redraw when the tour changes meanwhile

  function render() {
    const tour = getTour();
    if (!tour) return;
    if (box.contains(document.activeElement) && box.querySelector('input:focus')) return; // being typed in
    const input = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', value: typed });
    const button = h('button', { type: 'submit', class: 'danger', disabled: typed.trim() !== tour.name.trim() }, h('span', { i18n: 'del.button' }));
    const f = h('form', { class: 'delete-tour', novalidate: true },
      h('div', { class: 'form-errors', role: 'alert', tabindex: '-1', hidden: true }),
      field('del.typeName', 'confirmName', input, null, 'del'),
      h('p', { class: 'hint' }, t('del.typeThis'), ' ', h('strong', { class: 'tour-name' }, tour.name)),
      problem ? h('p', { class: 'alert', role: 'alert' }, problem) : null,
      h('div', { class: 'actions' }, button));
    // The name, not a checkbox: deleting is the one thing here that cannot be undone, so it takes deliberate typing.
    const matches = () => input.value.trim() === tour.name.trim();
    input.addEventListener('input', () => { typed = input.value; button.disabled = !matches(); });
    f.addEventListener('submit', async e => {
      e.preventDefault();
      clearFieldErrors(f);
      if (!matches()) return showFieldErrors(f, { confirmName: [t('del.nameMismatch')] });
      button.disabled = true;
      const r = await api('DELETE', base);
      if (!r.ok && r.status !== 410) {
        button.disabled = false;
        if (failureKey(r.status) === 'invalidLink') return fatal('invalidLink');
        problem = problemText(r.data);
        return render();
      }
      onDeleted();
    });
    box.replaceChildren(
      h('p', { i18n: 'del.explain' }),
      h('ul', {}, h('li', { i18n: 'del.goes1' }), h('li', { i18n: 'del.goes2' }), h('li', { i18n: 'del.goes3' })),
      h('p', { i18n: 'del.exportFirst' }),
      f);
  }

  return { element, render };
}

/** What the page shows once the tour is gone (after deleting it here, or on reload: the API answers 410). */
export function showDeleted() {
  fatal('tourDeleted');
}
