"""Reads the messages the test SMTP server kept, with Python's own e-mail package (a MIME parser no one here wrote),
and the calendar parts in them with Python's icalendar (Debian's python3-icalendar). Prints JSON: one object per
message with its envelope, headers, plain and HTML text, and each text/calendar part (its METHOD parameter, its
bytes as text, and what icalendar reads in it: METHOD, and per event UID, UTC start/end, SEQUENCE, STATUS,
ORGANIZER and ATTENDEEs).

Usage: /usr/bin/python3 read_mail.py FOLDER
"""
import datetime
import email
import email.policy
import glob
import json
import os
import sys

import icalendar


def seconds(prop):
    value = prop.dt
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        raise SystemExit(f"not a zoned date-time: {value!r}")
    return int(value.timestamp())


def calendar(text):
    cal = icalendar.Calendar.from_ical(text)
    events = []
    for e in cal.walk("VEVENT"):
        attendees = e.get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else ([] if attendees is None else [attendees])
        events.append({
            "uid": str(e.get("UID")),
            "start": seconds(e.get("DTSTART")),
            "end": seconds(e.get("DTEND")),
            "sequence": int(e.get("SEQUENCE", 0)),
            "status": str(e.get("STATUS")),
            "summary": str(e.get("SUMMARY")),
            "organizer": str(e.get("ORGANIZER")),
            "attendees": [str(a) for a in attendees],
        })
    return {"method": str(cal.get("METHOD")), "events": events,
            "timezones": [str(t.get("TZID")) for t in cal.walk("VTIMEZONE")]}


def main():
    out = []
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.eml"))):
        with open(path, "rb") as f:
            msg = email.message_from_bytes(f.read(), policy=email.policy.default)
        with open(path[:-4] + ".json", encoding="utf-8") as f:
            envelope = json.load(f)
        item = {
            "file": os.path.basename(path),
            "envelope": envelope,
            "headers": {k: str(msg.get(k)) for k in ["From", "To", "Subject", "Message-ID", "Date", "Content-Language",
                                                      "List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted"] if msg.get(k) is not None},
            "contentType": msg.get_content_type(),
            "text": None, "html": None, "calendars": [],
        }
        for part in msg.walk():
            kind = part.get_content_type()
            if kind == "text/plain" and item["text"] is None:
                item["text"] = part.get_content()
            elif kind == "text/html" and item["html"] is None:
                item["html"] = part.get_content()
            elif kind == "text/calendar":
                raw = part.get_payload(decode=True).decode("utf-8")
                item["calendars"].append({"methodParameter": part.get_param("method"), "filename": part.get_filename(),
                                          "ics": raw, "parsed": calendar(raw)})
        out.append(item)
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
