// Reads an iTIP invitation (RFC 5546) with Mozilla's ical.js in strict mode and prints, as JSON, what a calendar
// client acts on: the METHOD, and per event its UID, UTC start/end, SEQUENCE, STATUS, ORGANIZER and ATTENDEEs.
// Usage: node read-itip-with-icaljs.mjs FILE.ics
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

ICAL.design.strict = true;
const root = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], 'utf8')));
if (root.name !== 'vcalendar') throw new Error(`root component is ${root.name}`);
for (const vtz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz);

const utc = (time, uid) => {
  if (time.zone && time.zone.tzid === 'floating') throw new Error(`${uid}: read as floating time`);
  return time.toUnixTime();
};
process.stdout.write(JSON.stringify({
  method: root.getFirstPropertyValue('method'),
  events: root.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      start: utc(e.startDate, e.uid),
      end: utc(e.endDate, e.uid),
      sequence: e.sequence,
      status: v.getFirstPropertyValue('status'),
      organizer: v.getFirstPropertyValue('organizer'),
      attendees: v.getAllProperties('attendee').map((p) => p.getFirstValue()),
    };
  }),
}));
