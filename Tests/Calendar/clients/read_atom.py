#!/usr/bin/python3
"""Reads an Atom feed with two parsers nobody here wrote and prints what they saw as JSON.

1. Python's xml.etree, with the RFC 4287 rules that a strict reader relies on checked by hand: the Atom namespace,
   feed-level id/title/updated/author, and per entry id/title/updated and an alternate link; RFC 3339 timestamps;
   unique entry ids.
2. Debian's python3-feedparser (the Universal Feed Parser), which must not flag the document as malformed (bozo).
Exits non-zero with the reason when either objects.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def text(element, name, where):
    child = element.find(ATOM + name)
    if child is None or not (child.text or "").strip():
        fail(f"{where}: atom:{name} is missing or empty")
    return child.text


data = open(sys.argv[1], "rb").read()
root = ET.fromstring(data)
if root.tag != ATOM + "feed":
    fail(f"root element is {root.tag}, not atom:feed")
feed_id = text(root, "id", "feed")
feed_title = text(root, "title", "feed")
feed_updated = text(root, "updated", "feed")
if not RFC3339.match(feed_updated):
    fail(f"feed updated '{feed_updated}' is not RFC 3339")
entries = root.findall(ATOM + "entry")
if root.find(ATOM + "author") is None and any(e.find(ATOM + "author") is None for e in entries):
    fail("neither the feed nor every entry has an atom:author")
self_links = [l for l in root.findall(ATOM + "link") if l.get("rel") == "self"]
if len(self_links) != 1:
    fail("the feed needs exactly one rel=self link")

seen = set()
etree_entries = []
for i, entry in enumerate(entries):
    where = f"entry {i}"
    entry_id = text(entry, "id", where)
    if entry_id in seen:
        fail(f"{where}: duplicate id {entry_id}")
    seen.add(entry_id)
    updated = text(entry, "updated", where)
    if not RFC3339.match(updated):
        fail(f"{where}: updated '{updated}' is not RFC 3339")
    alternates = [l.get("href") for l in entry.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
    if entry.find(ATOM + "content") is None and not alternates:
        fail(f"{where}: no content and no alternate link")
    etree_entries.append({"id": entry_id, "title": text(entry, "title", where), "updated": updated,
                          "link": alternates[0] if alternates else None,
                          "summary": (entry.findtext(ATOM + "summary") or "")})

parsed = feedparser.parse(data)
if parsed.bozo:
    fail(f"feedparser: {parsed.bozo_exception!r}")
if parsed.version != "atom10":
    fail(f"feedparser read it as {parsed.version!r}, not atom10")

print(json.dumps({
    "id": feed_id,
    "title": feed_title,
    "lang": root.get("{http://www.w3.org/XML/1998/namespace}lang"),
    "self": self_links[0].get("href"),
    "entries": etree_entries,
    "feedparser": {
        "title": parsed.feed.get("title"),
        "entries": [{"id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
                     "categories": [t.get("term") for t in e.get("tags", [])]} for e in parsed.entries],
    },
}, ensure_ascii=False))
