"""A schedule asked for in parts (how often, weekday, time, time zone) turned into the kit's
schedule map with an RFC 5545 repeat rule, so the calendar can hold it.

The parts arrive as the issue form's option values (`weekly`, `we`, `20:00`,
`America/New_York`); anything not understood is left out and said in a note, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FIELDS = ("schedule_frequency", "schedule_weekday", "schedule_time", "schedule_timezone")
WEEKDAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
            "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}  # fmt: skip
ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "-1": "last"}
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*([ap])?\.?\s*(?:m\.?)?$", re.IGNORECASE)
_ZONE = re.compile(r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)+$|^UTC$")


@dataclass(frozen=True)
class ScheduleParts:
    schedule: dict[str, Any] | None  # text, rrule, time, timezone; None when no rule
    notes: tuple[str, ...] = ()  # what could not be used, for the maintainer


def parse_time(text: str) -> str | None:
    """24-hour HH:MM from what a person types.

    >>> parse_time("20:00"), parse_time("8 pm"), parse_time("8:30am"), parse_time("12 am")
    ('20:00', '20:00', '08:30', '00:00')
    >>> parse_time("25:00") is None, parse_time("soon") is None
    (True, True)
    """
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    half = (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def rrule_of(frequency: str, weekday: str) -> str | None:
    """The repeat rule for a frequency option and a weekday.

    >>> rrule_of("weekly", "we"), rrule_of("biweekly", "MO"), rrule_of("-1", "th")
    ('FREQ=WEEKLY;BYDAY=WE', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', 'FREQ=MONTHLY;BYDAY=-1TH')
    >>> rrule_of("weekly", "") is None
    True
    """
    day = weekday.strip().upper()
    if day not in WEEKDAYS:
        return None
    if frequency == "weekly":
        return f"FREQ=WEEKLY;BYDAY={day}"
    if frequency == "biweekly":
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    if frequency in ORDINALS:
        return f"FREQ=MONTHLY;BYDAY={frequency}{day}"
    return None


def _words(frequency: str, day: str, time: str | None, zone: str | None) -> str:
    name = WEEKDAYS[day]
    if frequency == "weekly":
        when = f"Every {name}"
    elif frequency == "biweekly":
        when = f"Every other {name}"
    else:
        when = f"The {ORDINALS[frequency]} {name} of the month"
    if time:
        when += f", {time}" + (f" ({zone})" if zone else "")
    return when


def schedule_from_parts(answers: Mapping[str, str], words: str = "") -> ScheduleParts:
    """The schedule map the parts describe (with `words` as its text when given).

    >>> schedule_from_parts({"schedule_frequency": "1", "schedule_weekday": "mo",
    ...     "schedule_time": "8 pm", "schedule_timezone": "America/New_York"}).schedule
    ... # doctest: +NORMALIZE_WHITESPACE
    {'text': 'The first Monday of the month, 20:00 (America/New_York)',
     'rrule': 'FREQ=MONTHLY;BYDAY=1MO', 'time': '20:00', 'timezone': 'America/New_York'}
    """
    frequency = answers.get("schedule_frequency", "").strip().lower()
    day = answers.get("schedule_weekday", "").strip().upper()
    time_text = answers.get("schedule_time", "").strip()
    zone = answers.get("schedule_timezone", "").strip()
    notes: list[str] = []
    if not any((frequency, day, time_text, zone)):
        return ScheduleParts(None)
    rule = rrule_of(frequency, day)
    if rule is None:
        notes.append(
            "The schedule's parts were incomplete (how often and the day of the week are both "
            f"needed): {frequency or '-'}, {day or '-'}, {time_text or '-'}, {zone or '-'}."
        )
        return ScheduleParts(None, tuple(notes))
    time = parse_time(time_text) if time_text else None
    if time_text and time is None:
        notes.append(f"Start time not understood: {time_text!r}.")
    if zone and not _ZONE.match(zone):
        notes.append(f"Time zone not understood: {zone!r}.")
        zone = ""
    if time and not zone:
        notes.append(f"A start time ({time}) came without a time zone, so it was left out.")
        time = None
    schedule: dict[str, Any] = {"text": words or _words(frequency, day, time, zone or None)}
    schedule["rrule"] = rule
    if time:
        schedule["time"] = time
        schedule["timezone"] = zone
    return ScheduleParts(schedule, tuple(notes))
