// The organizer's mail panel: whether e-mail is on (and why not), and the messages that could not be delivered yet,
// with the mail server's reason. The organizer page mounts it with mailPanel(base) and calls refresh() when it reloads.
import { api, h, t } from './app.js';

export function mailPanel(base) {
  const box = h('section', { 'aria-labelledby': 'mail-h', class: 'mail-status' });
  async function refresh() {
    const r = await api('GET', `${base}/mail`);
    if (!r.ok) return box.replaceChildren();
    const m = r.data;
    const items = m.undelivered.map(u => h('li', {},
      h('strong', {}, t(`mail.kind.${u.kind}`)), ' — ', u.to ?? t(`mail.role.${u.recipientRole}`), ': ',
      t(u.status === 'failed' ? 'mail.gaveUp' : 'mail.retrying', { n: u.attempts }),
      u.reason ? h('span', { class: 'muted' }, ' (', u.reason, ')') : null,
      u.nextAttemptAt && u.status !== 'failed' ? h('span', { class: 'muted' }, ' ', t('mail.next', { at: new Date(u.nextAttemptAt).toLocaleString(document.documentElement.lang) })) : null));
    // replaceChildren writes a null as the text "null": leave out what is not there.
    box.replaceChildren(...[
      h('h2', { id: 'mail-h' }, t('mail.title')),
      m.enabled
        ? h('p', { class: 'muted' }, t('mail.on', { sent: m.sent, queued: m.queued }))
        : h('p', { class: 'alert', role: 'status' }, t(`mail.off.${m.offReason}`), ' ', t('mail.waiting', { queued: m.queued })),
      items.length ? h('div', { role: 'alert' }, h('p', {}, t('mail.undelivered')), h('ul', { class: 'plain' }, items)) : null,
    ].filter(Boolean));
  }
  return { element: box, refresh };
}
