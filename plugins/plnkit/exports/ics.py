"""An iCalendar file of the chats and webinars that meet on a fixed schedule (an RRULE).

Each series is one recurring event in its own time zone (with the VTIMEZONE a calendar needs),
starting on its first real occurrence, so no calendar shows a stray meeting on a start date
that does not match the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from plnkit.exports import ics_lines
from plnkit.exports.common import offered, plain_description
from plnkit.kit.model import Kit, Resource

PRODID = "-//PLN Kit//Chats and webinars//EN"
DEFAULT_MINUTES = 60


def _first_start(resource: Resource, now: dt.datetime) -> dt.datetime | dt.date | None:
    schedule = resource.schedule
    if schedule is None or not schedule.rrule:
        return None
    try:
        zone = ZoneInfo(schedule.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    from dateutil.rrule import rrulestr

    start_day = dt.date.fromisoformat(schedule.start or resource.added or now.date().isoformat())
    hour, minute = (int(x) for x in (schedule.time or "00:00").split(":"))
    begin = dt.datetime.combine(start_day, dt.time(hour, minute))
    try:
        first = rrulestr(schedule.rrule, dtstart=begin).after(begin, inc=True)
    except (ValueError, TypeError):
        return None
    if first is None:
        return None
    if not schedule.time:
        return first.date()  # no time given: an all-day event on each date
    return first.replace(tzinfo=zone)


def _events(
    kit: Kit, now: dt.datetime, tab: str | None
) -> Iterator[tuple[Resource, dt.datetime | dt.date]]:
    """Each resource the calendar holds an event for, with its first start."""
    for resource in offered(kit, tab):
        schedule = resource.schedule
        if schedule is None or not schedule.rrule:
            continue
        start = _first_start(resource, now)
        if start is not None:
            yield resource, start


def calendar_slugs(kit: Kit, now: dt.datetime, *, tab: str | None = None) -> frozenset[str]:
    """The slugs with an event in the calendar made at `now`: the only cards that may offer
    "Add to calendar" (the same test the calendar itself applies)."""
    return frozenset(resource.slug for resource, _ in _events(kit, now, tab))


def dtstamp(moment: dt.datetime) -> dt.datetime:
    """The DTSTAMP of a calendar made at `moment`: UTC, whole seconds."""
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def schedule_calendar(kit: Kit, now: dt.datetime, *, tab: str | None = None) -> bytes:
    """The calendar: one recurring VEVENT per current resource with an RRULE schedule.

    The bytes icalendar's `Calendar.to_ical` gives for these events, written line by line
    (`ics_lines`), with the time zones in a fixed order (icalendar's follows a set)."""
    import icalendar  # here, not at the top: loading it is a twentieth of a small build

    calendar, event = icalendar.Calendar, icalendar.Event
    domain = urlsplit(kit.binder.site_url).hostname or "plnkit.invalid"
    stamp = ics_lines.line(event, "DTSTAMP", dtstamp(now))
    zones: set[str] = set()
    events: list[str] = []
    for resource, start in _events(kit, now, tab):
        schedule = resource.schedule
        assert schedule is not None and schedule.rrule
        begins = event._encode("dtstart", start)
        zones.add(begins.params.get("TZID"))
        lines = [
            "BEGIN:VEVENT",
            ics_lines.line(event, "SUMMARY", resource.name),
            ics_lines.prop("DTSTART", begins),
        ]
        if isinstance(start, dt.datetime):
            minutes = dt.timedelta(minutes=schedule.duration_minutes or DEFAULT_MINUTES)
            lines.append(ics_lines.line(event, "DURATION", minutes))
        details = [schedule.text, plain_description(resource), resource.url]
        if resource.hashtag:
            details.insert(1, f"Hashtag: {resource.hashtag}")
        lines += [
            stamp,
            ics_lines.line(event, "UID", f"{resource.slug}@{domain}"),
            ics_lines.recur(schedule.rrule),
            ics_lines.line(event, "DESCRIPTION", "\n\n".join(details)),
            ics_lines.line(event, "LOCATION", resource.url),
            ics_lines.line(event, "URL", resource.url),
            "END:VEVENT",
        ]
        events.append("\r\n".join(lines))
    head = [
        "BEGIN:VCALENDAR",
        ics_lines.line(calendar, "VERSION", "2.0"),
        ics_lines.line(calendar, "PRODID", PRODID),
        ics_lines.line(calendar, "CALSCALE", "GREGORIAN"),
        ics_lines.line(calendar, "X-WR-CALNAME", f"{kit.binder.title}: chats and webinars"),
    ]
    timezones = "".join(ics_lines.timezone_block(z) for z in sorted(zones - {None, "UTC"}))
    body = "".join(f"{e}\r\n" for e in events)
    return ("\r\n".join(head) + "\r\n" + timezones + body + "END:VCALENDAR\r\n").encode("utf-8")
