// Day sheets and travel legs in the reader's language. The API sends codes and values (leg kind, cities, mode,
// minutes, source, the zone's abbreviation); every word here comes from i18n.json, so a Spanish page has no English.
import { h, t, formatInZone, formatDate } from './app.js';

/** "4 h 27 min", "45 min". */
export function duration(minutes) {
  const m = Math.max(0, Math.round(minutes || 0));
  return m < 60 ? `${m} min` : m % 60 === 0 ? `${Math.floor(m / 60)} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The hour in the place's own zone: "19:00". */
export function timeIn(instant, timeZone) {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
  } catch { return ''; }
}

/** Today's date (2026-10-28) in a zone, by the device's clock. */
export function todayIn(timeZone) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  } catch { return new Date().toISOString().slice(0, 10); }
}

const sourceKey = source => (source === 'estimate' ? 'source.estimate' : 'source.routed');

/** A leg's title: from home, between stops, or the way home. */
export function legTitle(leg) {
  const home = t('leg.home');
  return t('leg.' + (leg.leg || 'between'), { from: leg.fromCity ?? home, to: leg.toCity ?? home });
}

/** The lines that say when a leg leaves and arrives, how, and where the figure came from. */
export function legLines(leg) {
  return [
    h('p', { class: 'when' }, t('leg.leaves', { when: formatInZone(leg.start, leg.timeZone, leg.startAbbreviation) })),
    h('p', { class: 'when' }, t('leg.arrives', { when: formatInZone(leg.end, leg.endTimeZone || leg.timeZone, leg.endAbbreviation) })),
    h('p', { class: 'muted' }, t('leg.how', {
      mode: t('leg.mode.' + (leg.mode === 'fly' ? 'fly' : 'drive')), duration: duration(leg.minutes),
      km: leg.distanceKm != null ? Math.round(leg.distanceKm) : '?', source: t(sourceKey(leg.source)),
    })),
  ];
}

/** "19:00–21:00 CDT" (the end's abbreviation only, as both ends share the zone). */
export function eventHours(e) {
  return `${timeIn(e.start, e.timeZone)}–${timeIn(e.end, e.timeZone)} ${e.zoneAbbreviation || ''}`.trim();
}

function section(titleKey, level, ...content) {
  return h('section', { class: 'sheet-part' }, h(`h${level}`, { i18n: titleKey }), ...content);
}

function logisticsList(l) {
  const rows = ['lodging', 'parking', 'entrance', 'interpreter', 'notes'].filter(k => l?.[k]);
  if (!rows.length) return h('p', { class: 'muted', i18n: 'sheet.noLogistics' });
  return h('dl', { class: 'logistics' }, rows.flatMap(k => [h('dt', { i18n: 'logistics.' + k }), h('dd', {}, l[k])]));
}

function hostBlock(host) {
  if (!host) return h('p', { class: 'muted', i18n: 'sheet.noHost' });
  return h('div', {},
    h('p', {}, h('strong', {}, host.name)),
    host.contactName ? h('p', {}, host.contactName) : null,
    host.contactPhone ? h('p', {}, h('a', { href: 'tel:' + host.contactPhone.replace(/[^\d+]/g, '') }, host.contactPhone)) : null,
    host.contactEmail ? h('p', {}, h('a', { href: 'mailto:' + host.contactEmail }, host.contactEmail)) : null);
}

function nextLine(n, many) {
  const who = many ? `${n.speakerName}: ` : '';
  if (n.home) return h('p', {}, who, t('sheet.nextHome', { city: n.city ?? t('leg.home') }));
  return h('p', {}, who, t('sheet.nextCity', { city: n.city, date: formatDate(n.date) }));
}

/**
 * One printable day sheet. `level` is the heading level of the sheet's title (2 on the day-sheets page, 3 inside
 * the speaker's page); its parts are one level below. `extra` (organizer only) goes at the end, hidden in print.
 */
export function daySheet(day, { level = 2, tourName, speakerName, extra } = {}) {
  const sub = Math.min(level + 1, 6);
  const manySpeakers = new Set((day.travel || []).map(l => l.speakerId).concat((day.next || []).map(n => n.speakerId))).size > 1;
  return h('article', { class: 'sheet', 'data-date': day.date, 'data-stop': day.stopId, 'aria-labelledby': `sheet-${day.date}-${day.stopId}` },
    h('header', { class: 'sheet-head' },
      h('p', { class: 'eyebrow' }, t('sheet.eyebrow', { n: day.dayOfStop, of: day.daysAtStop })),
      h(`h${level}`, { id: `sheet-${day.date}-${day.stopId}` }, formatDate(day.date, true), ' — ', day.city),
      h('p', { class: 'muted' }, [tourName, speakerName].filter(Boolean).join(' · '))),
    section('sheet.venue', sub,
      day.venue?.name ? h('p', {}, h('strong', {}, day.venue.name)) : h('p', { class: 'muted', i18n: 'sheet.noVenue' }),
      day.venue?.address ? h('p', {}, day.venue.address) : null,
      h('p', { class: 'muted' }, day.city, day.country ? `, ${day.country}` : '')),
    section('sheet.events', sub, day.events.length
      ? h('ul', { class: 'plain sheet-events' }, day.events.map(e => h('li', { class: 'sheet-event' },
        h('p', {}, h('time', { datetime: e.start }, eventHours(e)), ' ', h('strong', {}, e.title),
          e.public ? null : [' ', h('span', { class: 'badge' }, t('event.private'))]),
        manySpeakers || (e.speakers?.length > 1) ? h('p', { class: 'muted' }, e.speakers.join(', ')) : null)))
      : h('p', { class: 'muted', i18n: 'sheet.noEvents' })),
    section('sheet.host', sub, hostBlock(day.host)),
    section('sheet.logistics', sub, logisticsList(day.logistics)),
    section('sheet.travel', sub, day.travel?.length
      ? h('ul', { class: 'plain' }, day.travel.map(l => h('li', { class: 'sheet-leg travel', 'data-leg': l.leg, 'data-direction': l.direction },
        h('p', {}, h('strong', {}, t('sheet.' + l.direction)), ' ', manySpeakers ? `${l.speakerName}: ` : '', legTitle(l)),
        ...legLines(l))))
      : h('p', { class: 'muted', i18n: 'sheet.noTravel' })),
    section('sheet.next', sub, ...(day.next?.length ? day.next.map(n => nextLine(n, manySpeakers)) : [h('p', { class: 'muted' }, '—')])),
    extra ? h('div', { class: 'no-print' }, extra) : null);
}
