"""The calendar export: one recurring event per series, each in its own time zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import yaml

from plnkit.exports.ics import DEFAULT_MINUTES, PRODID, schedule_calendar
from plnkit.kit.loader import load_kit
from plnkit.kit.model import Kit
from tests.conftest import write_kit

NOW = dt.datetime(2026, 11, 29, 12, 30, 15, tzinfo=dt.UTC)


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


def test_every_series_is_one_recurring_event_with_its_zone(kit: Kit) -> None:
    data = schedule_calendar(kit, NOW)
    assert data.count(b"BEGIN:VEVENT") == len(SCHEDULES) * len(DESCRIPTIONS)
    assert data.count(b"BEGIN:VTIMEZONE") == 3  # New York, Berlin, Sydney; not UTC, not Mars
    calendar = icalendar.Calendar.from_ical(data)
    zones = [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")]
    assert zones == sorted(zones) == ["America/New_York", "Australia/Sydney", "Europe/Berlin"]
    events = calendar.walk("VEVENT")
    awkward = next(e for e in events if str(e["UID"]).startswith("chat-0-1@"))
    assert str(awkward["SUMMARY"]) == "Chat 0, part 1; a \\ name"
    assert "Hashtag: #tlchat" in str(awkward["DESCRIPTION"])
    assert str(awkward["URL"]) == "https://chat0.example.org/1/a,b;c"
    assert awkward.decoded("DTSTART").tzinfo.key == "America/New_York"
    assert awkward.decoded("DURATION") == dt.timedelta(minutes=DEFAULT_MINUTES)
    assert awkward["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=1MO"
    all_day = next(e for e in events if str(e["UID"]).startswith("chat-2-0@"))
    assert all_day.decoded("DTSTART") == dt.date(2025, 2, 3) and "DURATION" not in all_day
    assert all(e.decoded("DTSTAMP") == NOW.replace(microsecond=0) for e in events)


def test_lines_are_folded_under_75_octets(kit: Kit) -> None:
    for line in schedule_calendar(kit, NOW).split(b"\r\n"):
        assert len(line) <= 75


def test_the_same_kit_gives_the_same_bytes(kit: Kit) -> None:
    assert schedule_calendar(kit, NOW) == schedule_calendar(kit, NOW)


def test_a_kit_without_series_has_an_empty_calendar(tmp_path: Path) -> None:
    kit = load_kit(write_kit(tmp_path)).kit
    assert kit is not None
    calendar = icalendar.Calendar.from_ical(schedule_calendar(kit, NOW))
    assert not calendar.walk("VEVENT") and str(calendar["PRODID"]) == PRODID
