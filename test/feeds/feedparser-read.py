"""Reads a feed on stdin with Python's feedparser and prints what it understood as JSON.

Used by test/feeds/partners.test.ts: the most used feed library must take each item's own
link, id, dates and enclosures, exactly as our other parsers do.
"""
import calendar
import json
import sys

import feedparser


def seconds(parsed):
    return calendar.timegm(parsed) if parsed else None


content_type = sys.argv[1] if len(sys.argv) > 1 else "application/xml"
feed = feedparser.parse(sys.stdin.buffer.read(), response_headers={"content-type": content_type})
print(json.dumps({
    "bozo": bool(feed.bozo),
    "bozo_exception": str(feed.get("bozo_exception", "")),
    "version": feed.version,
    "next": [l.get("href") for l in feed.feed.get("links", []) if l.get("rel") == "next"],
    "entries": [
        {
            "id": e.get("id"),
            "link": e.get("link"),
            "published": seconds(e.get("published_parsed")),
            "updated": seconds(e.get("updated_parsed")),
            "enclosures": [
                {"href": x.get("href"), "length": x.get("length"), "type": x.get("type")}
                for x in e.get("enclosures", [])
            ],
        }
        for e in feed.entries
    ],
}))
