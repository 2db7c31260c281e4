"""The calendar export written line by line is the calendar icalendar itself would write."""

from __future__ import annotations

import datetime as dt
import doctest
import re
from pathlib import Path

import icalendar
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from icalendar.parser import Contentline

from plnkit.exports import ics_lines
from plnkit.exports.common import offered, plain_description
from plnkit.exports.ics import DEFAULT_MINUTES, PRODID, _first_start, schedule_calendar
from plnkit.kit.loader import load_kit
from plnkit.kit.model import Kit
from tests.conftest import write_kit
from tests.test_properties import SETTINGS

NOW = dt.datetime(2026, 11, 29, 12, 30, 15, tzinfo=dt.UTC)


def with_components(kit: Kit, now: dt.datetime) -> bytes:
    """The export as it was written with icalendar's components (the reference)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{kit.binder.title}: chats and webinars")
    domain = "plnkit.invalid"
    for resource in offered(kit):
        start = _first_start(resource, now)
        schedule = resource.schedule
        if start is None or schedule is None or not schedule.rrule:
            continue
        event = icalendar.Event()
        event.add("uid", f"{resource.slug}@{domain}")
        event.add("dtstamp", now.astimezone(dt.UTC).replace(microsecond=0))
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
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def zones_sorted(data: bytes) -> str:
    """The calendar with its VTIMEZONE blocks in TZID order (icalendar's order is a set's)."""
    text = data.decode("utf-8")
    pattern = re.compile(r"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", re.S)
    blocks = sorted(pattern.findall(text), key=lambda b: b.split("TZID:", 1)[1])
    first = text.find("BEGIN:VTIMEZONE")
    rest = pattern.sub("", text)
    return rest if first < 0 else rest[:first] + "".join(blocks) + rest[first:]


SCHEDULES = [
    {"text": "First Monday, 8 pm", "rrule": "FREQ=MONTHLY;BYDAY=1MO", "time": "20:00",
     "timezone": "America/New_York"},
    {"text": "Tuesdays", "rrule": "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2", "time": "07:05",
     "timezone": "UTC", "duration_minutes": 90},
    {"text": "Every day, all day", "rrule": "FREQ=DAILY", "start": "2025-02-03"},
    {"text": "Yearly", "rrule": "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=30", "time": "23:59",
     "timezone": "Europe/Berlin", "duration_minutes": 600},
    {"text": "Nowhere", "rrule": "FREQ=WEEKLY;BYDAY=FR", "time": "12:00", "timezone": "Mars/Base"},
    {"text": "Sydney, weekly", "rrule": "FREQ=WEEKLY;BYDAY=WE", "time": "18:30",
     "timezone": "Australia/Sydney", "duration_minutes": 5},
]  # fmt: skip
DESCRIPTIONS = [
    "Plain words for a plain chat that meets often and talks about school libraries.",
    'Commas, semicolons; back\\slashes and "quotes" \\N here, café résumé naïve 漢字 '
    + "ünïcödé " * 12,
    "A *Markdown* description with a [link](https://example.org/a) and `code`, long "
    + "enough to fold " * 8,
    "x" * 72 + "\\" + "y" * 90,  # a backslash right at a fold
    "z" * 71 + "^^" + "w" * 80,
]


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    return series_kit(tmp_path_factory.mktemp("ics"))


def series_kit(root: Path) -> Kit:
    """A kit of many awkward series: every schedule shape with every description."""
    resources = {}
    for index, schedule in enumerate(SCHEDULES):
        for number, description in enumerate(DESCRIPTIONS):
            data = {
                "name": f"Chat {index}, part {number}; a \\ name",
                "url": f"https://chat{index}.example.org/{number}/a,b;c",
                "kind": "chat",
                "description": description,
                "stages": ["connection"],
                "schedule": schedule,
                "added": f"2024-0{1 + number}-1{index}",
            }
            if number % 2:
                data["hashtag"] = "#tlchat"
            body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            resources[f"webinars/chat-{index}-{number}.yml"] = body
    binder = yaml.safe_dump(
        {
            "title": "Calendar, tested; with \\ marks",
            "tabs": [{"id": "start-here", "title": "Start"}, {"id": "webinars", "title": "W"}],
        }
    )
    result = load_kit(write_kit(root, resources, binder), allow_local=True)
    assert result.kit is not None, [p.format() for p in result.problems]
    return result.kit


def test_the_calendar_is_icalendars_own(kit: Kit) -> None:
    ours = schedule_calendar(kit, NOW)
    assert ours.count(b"BEGIN:VEVENT") == len(SCHEDULES) * len(DESCRIPTIONS)
    assert ours.count(b"BEGIN:VTIMEZONE") == 3  # New York, Berlin, Sydney; not UTC, not Mars
    assert ours.decode("utf-8") == zones_sorted(with_components(kit, NOW))
    icalendar.Calendar.from_ical(ours)  # and it reads back


def test_a_kit_without_series_has_an_empty_calendar(tmp_path: Path) -> None:
    kit = load_kit(write_kit(tmp_path)).kit
    assert kit is not None
    assert schedule_calendar(kit, NOW) == with_components(kit, NOW)


@SETTINGS
@given(st.text(alphabet=st.sampled_from("ab\\^,;é漢\U0001f600 "), max_size=240))
def test_folding_is_icalendars(value: str) -> None:
    line = f"DESCRIPTION:{value}"
    assert ics_lines.fold(line).encode("utf-8") == Contentline(line).to_ical()


def test_docstring_examples() -> None:
    assert doctest.testmod(ics_lines).failed == 0
