"""Validates one feed (bytes on stdin) with the W3C Feed Validation Service's own code.

Usage: python3 w3c-feedvalidator.py FEEDVALIDATOR_SRC CONTENT_TYPE FEED_URL < feed.xml

FEEDVALIDATOR_SRC is the `src` folder of a checkout of github.com/w3c/feedvalidator (it is not
on any package registry, and none of it is copied here). The feed is checked as the service
checks a URL it fetched from FEED_URL with that Content-Type (media type, encoding, content
sniffing, then the feed itself), at the service's default "AA" level. Prints the events as
JSON: [{"level": "Error" | "Warning" | "Info", "type": ..., "text": ...}].
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import feedvalidator  # noqa: E402
from feedvalidator import compatibility, mediaTypes, xmlEncoding  # noqa: E402
from feedvalidator.formatter.text_plain import Formatter  # noqa: E402
from feedvalidator.logging import Error, Warning  # noqa: E402

content_type, url = sys.argv[2], sys.argv[3]
raw = sys.stdin.buffer.read()
events = []
media_type, charset = mediaTypes.checkValid(content_type, events)
mediaTypes.contentSniffing(media_type, raw, events)
encoding, text = xmlEncoding.decode(media_type, charset, raw, events, fallback="utf-8")
if text is not None:
    validator = feedvalidator._validate(text, 0, events, url, encoding, [url], mediaType=media_type)
    if media_type and validator.feedType:
        mediaTypes.checkAgainstFeedType(media_type, validator.feedType, validator.loggedEvents)
    events = validator.loggedEvents
events = compatibility.AA(events)


def level(event):
    return "Error" if isinstance(event, Error) else "Warning" if isinstance(event, Warning) else "Info"


print(json.dumps([
    {"level": level(e), "type": e.__class__.__name__, "text": Formatter([e])[0]} for e in events
]))
