// Parses an .ics file with Mozilla's ical.js in strict mode and prints, as JSON, what a
// calendar client would show: every property name seen and each event's UTC start/end.
// Usage: node read-with-icaljs.mjs FILE.ics
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

ICAL.design.strict = true;
// ical.js keeps unknown X- properties as raw text; these two are TEXT by convention (Apple, Google).
for (const name of ['x-wr-calname', 'x-wr-caldesc']) ICAL.design.icalendar.property[name] = { defaultType: 'text' };

const text = readFileSync(process.argv[2], 'utf8');
const root = new ICAL.Component(ICAL.parse(text));
if (root.name !== 'vcalendar') throw new Error(`root component is ${root.name}`);

// ical.js resolves TZIDs only through its TimezoneService, so the feed's own VTIMEZONEs are
// registered there; a TZID without one would silently be read as floating time.
const timezones = root.getAllSubcomponents('vtimezone');
for (const vtz of timezones) ICAL.TimezoneService.register(vtz);

const allProperties = [];
const walk = (component, path) => {
  for (const p of component.getAllProperties()) allProperties.push(`${path}.${p.name.toUpperCase()}`);
  for (const c of component.getAllSubcomponents()) walk(c, `${path}/${c.name.toUpperCase()}`);
};
walk(root, 'VCALENDAR');

const utcSeconds = (time, what, uid) => {
  if (time.zone && time.zone.tzid === 'floating') throw new Error(`${uid}: ${what} read as floating time`);
  return time.toUnixTime();
};

const events = root.getAllSubcomponents('vevent').map((v) => {
  const e = new ICAL.Event(v);
  return {
    uid: e.uid,
    start: utcSeconds(e.startDate, 'DTSTART', e.uid),
    end: utcSeconds(e.endDate, 'DTEND', e.uid),
    startTzid: v.getFirstProperty('dtstart').getParameter('tzid') ?? null,
    summary: e.summary ?? null,
    description: e.description ?? null,
    location: e.location ?? null,
    status: v.getFirstPropertyValue('status'),
    sequence: e.sequence,
    categories: v.getAllProperties('categories').flatMap((p) => p.getValues()),
  };
});

process.stdout.write(JSON.stringify({
  calendarName: root.getFirstPropertyValue('x-wr-calname'),
  timezones: timezones.map((t) => t.getFirstPropertyValue('tzid')),
  properties: allProperties,
  events,
}));
