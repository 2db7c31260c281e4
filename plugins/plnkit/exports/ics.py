"""An iCalendar file of the chats and webinars that meet on a fixed schedule (an RRULE).

Each series is one recurring event in its own time zone (with the VTIMEZONE a calendar needs),
starting on its first real occurrence, so no calendar shows a stray meeting on a start date
that does not match the rule. Written with icalendar's components and `to_ical()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from dateutil.rrule import rrulestr

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


def series_event(resource: Resource, now: dt.datetime, domain: str) -> icalendar.Event | None:
    """The recurring VEVENT of one resource's schedule; None when it has no usable RRULE."""
    start = _first_start(resource, now)
    schedule = resource.schedule
    if start is None or schedule is None or not schedule.rrule:
        return None
    event = icalendar.Event()
    event.add("uid", f"{resource.slug}@{domain}")
    event.add("dtstamp", dtstamp(now))
    event.add("summary", resource.name)
    event.add("dtstart", start)
    if isinstance(start, dt.datetime):
        minutes = schedule.duration_minutes or DEFAULT_MINUTES
        event.add("duration", dt.timedelta(minutes=minutes))
    event.add("rrule", icalendar.vRecur.from_ical(schedule.rrule))
    details = [schedule.text, plain_description(resource), resource.url]
    if resource.hashtag:
        details.insert(1, f"Hashtag: {resource.hashtag}")
    event.add("description", "\n\n".join(details))
    event.add("url", resource.url)
    event.add("location", resource.url)
    return event


def _zone(event: icalendar.Event) -> str | None:
    """The TZID of an event's start, when it has a named zone other than UTC."""
    start = event.decoded("dtstart")
    key = getattr(getattr(start, "tzinfo", None), "key", None)
    return key if key and key != "UTC" else None


def schedule_calendar(kit: Kit, now: dt.datetime, *, tab: str | None = None) -> bytes:
    """The calendar: one recurring VEVENT per current resource with an RRULE schedule, and
    a VTIMEZONE for each zone they use, in TZID order (the same kit gives the same bytes)."""
    domain = urlsplit(kit.binder.site_url).hostname or "plnkit.invalid"
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{kit.binder.title}: chats and webinars")
    events = [e for r, _ in _events(kit, now, tab) if (e := series_event(r, now, domain))]
    for tzid in sorted({z for e in events if (z := _zone(e))}):
        try:
            calendar.add_component(icalendar.Timezone.from_tzid(tzid))
        except ValueError:
            continue  # a zone icalendar cannot describe: the TZID alone still names it
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()
