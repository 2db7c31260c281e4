"""calendar.ics between builds: made again only when its series, the day or the code change.

Making the calendar needs icalendar (importing it is a twentieth of a 1,000-resource build) and
its time-zone tables. A warm build whose chats and webinars have not changed reuses the text the
last build made, with only each event's DTSTAMP (when the file was made) brought up to date.
The text is kept in the state store (`calendar.json`, written atomically), only where a store
already exists. Today's date is part of the key, so the time-zone rules are never more than a
day old, and a series without a start date starts from the right day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from plnkit import __version__
from plnkit.exports.common import offered, plain_description
from plnkit.exports.ics import dtstamp, schedule_calendar
from plnkit.model import Kit
from plnkit.state_store import StateStore

DOCUMENT = "calendar"
PLACEHOLDER = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # the DTSTAMP the kept text carries
_CODE = ("ics.py", "ics_lines.py", "calendar_cache.py")


def stamp_line(moment: dt.datetime) -> str:
    """The DTSTAMP line of a calendar made at `moment` (as icalendar writes a UTC time).

    >>> stamp_line(dt.datetime(2026, 11, 29, 12, 30, 15, 999, tzinfo=dt.UTC))
    '\\r\\nDTSTAMP:20261129T123015Z\\r\\n'
    """
    return f"\r\nDTSTAMP:{dtstamp(moment):%Y%m%dT%H%M%S}Z\r\n"


def calendar_key(kit: Kit, now: dt.datetime) -> str:
    """Everything the calendar's text depends on, apart from its DTSTAMP, as one hash."""
    here = Path(__file__).parent
    code = hashlib.sha256(b"".join((here / name).read_bytes() for name in _CODE)).hexdigest()
    parts: list[object] = [__version__, code, metadata.version("icalendar"),
                           now.astimezone(dt.UTC).date().isoformat(),
                           kit.binder.title, kit.binder.site_url]  # fmt: skip
    for resource in offered(kit):
        schedule = resource.schedule
        if schedule is None or not schedule.rrule:
            continue
        parts.append([resource.slug, resource.name, resource.url, resource.hashtag,
                      resource.added, dataclasses.astuple(schedule),
                      plain_description(resource)])  # fmt: skip
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def cached_calendar(kit: Kit, now: dt.datetime, cache_dir: Path | None) -> bytes:
    """`schedule_calendar(kit, now)`, from the state store when nothing it depends on changed."""
    if cache_dir is None or not cache_dir.is_dir():
        return schedule_calendar(kit, now)
    store = StateStore(cache_dir)
    key = calendar_key(kit, now)
    kept = store.read(DOCUMENT)
    text = kept.get("text")
    if kept.get("key") != key or not isinstance(text, str):
        text = schedule_calendar(kit, now, stamped=PLACEHOLDER).decode("utf-8")
        if os.access(cache_dir, os.W_OK):
            store.write(DOCUMENT, {"key": key, "text": text})
    return text.replace(stamp_line(PLACEHOLDER), stamp_line(now)).encode("utf-8")
