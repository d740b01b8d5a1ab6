"""Parses an .ics file with Python's icalendar (Debian's python3-icalendar) and prints, as JSON,
every property name seen and each event's UTC start/end, for the C# feed tests to compare.

Usage: /usr/bin/python3 read_with_icalendar.py FILE.ics
"""
import datetime
import json
import sys

try:
    import icalendar
except ImportError:
    sys.exit("python3-icalendar is not installed: see Tests/Calendar/clients/INSTALL.md")


def utc_seconds(prop, what, uid):
    value = prop.dt
    if not isinstance(value, datetime.datetime):
        raise SystemExit(f"{uid}: {what} is not a date-time: {value!r}")
    if value.tzinfo is None:
        raise SystemExit(f"{uid}: {what} read as floating time")
    return int(value.timestamp())


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def categories(component):
    value = component.get("CATEGORIES")
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    result = []
    for v in values:
        cats = getattr(v, "cats", None)
        result.extend(str(c) for c in cats) if cats is not None else result.extend(str(v.to_ical().decode()).split(","))
    return result


def main():
    with open(sys.argv[1], "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())

    properties = []

    def walk(component, path):
        for name in component.keys():
            properties.append(f"{path}.{name.upper()}")
        for sub in component.subcomponents:
            walk(sub, f"{path}/{sub.name.upper()}")

    walk(calendar, "VCALENDAR")

    events = []
    for e in calendar.walk("VEVENT"):
        uid = str(e.get("UID"))
        events.append({
            "uid": uid,
            "start": utc_seconds(e.get("DTSTART"), "DTSTART", uid),
            "end": utc_seconds(e.get("DTEND"), "DTEND", uid),
            "startTzid": e.get("DTSTART").params.get("TZID"),
            "summary": text(e, "SUMMARY"),
            "description": text(e, "DESCRIPTION"),
            "location": text(e, "LOCATION"),
            "status": text(e, "STATUS"),
            "sequence": int(e.get("SEQUENCE", 0)),
            "categories": categories(e),
        })

    json.dump({
        "calendarName": text(calendar, "X-WR-CALNAME"),
        "timezones": [str(t.get("TZID")) for t in calendar.walk("VTIMEZONE")],
        "properties": properties,
        "events": events,
    }, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
