"""iCalendar text written line by line: icalendar's values, without its per-event machinery.

icalendar's `Component.to_ical` builds parameter objects, sorts properties and folds each line
one character at a time: most of a large kit's export time. Here each value is still formatted
by icalendar's own value types (`vText`, `vDDDTypes`, `vRecur`, ...) and each time zone is still
its `Timezone` component; only the joining and the folding are ours, the same bytes (tests
compare the two on generated kits and awkward text).
"""

from __future__ import annotations

from functools import cache
from typing import Any

FOLD_LIMIT = 75  # octets: a line is cut before it would reach this many
FOLD = "\r\n "
_ESCAPES = ("\\", "^")  # never left at the end of a folded piece (icalendar's rule)


def fold(line: str) -> str:
    """A content line folded as icalendar folds it (pieces under 75 octets, and a backslash or
    caret moved to the next piece rather than ending one).

    >>> fold("X:" + "a" * 80) == "X:" + "a" * 72 + "\\r\\n " + "a" * 8
    True
    """
    if len(line) < FOLD_LIMIT and line.isascii():
        return line
    if line.isascii():
        pieces = []
        start, end = 0, len(line)
        while end - start >= FOLD_LIMIT:
            cut = start + FOLD_LIMIT - 1
            if line[cut - 1] in _ESCAPES:
                cut -= 1
            pieces.append(line[start:cut])
            start = cut
        pieces.append(line[start:])
        return FOLD.join(pieces)
    return _fold_any(line)


def _fold_any(line: str) -> str:
    """The general case, character by character (text beyond ASCII counts in UTF-8 octets)."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width >= FOLD_LIMIT:
            if len(current) > 1 and current[-1] in _ESCAPES:
                moved = current.pop()
                pieces.append("".join(current))
                current, size = [moved], len(moved.encode("utf-8"))
            else:
                pieces.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    if current:
        pieces.append("".join(current))
    return FOLD.join(pieces)


def prop(name: str, value: Any) -> str:
    """One content line, `NAME;PARAMS:VALUE`, from an icalendar value object, folded."""
    text = value.to_ical()
    text = text.decode("utf-8") if isinstance(text, bytes) else text
    params = getattr(value, "params", None)
    shown = params.to_ical(sorted=True) if params else ""
    shown = shown.decode("utf-8") if isinstance(shown, bytes) else shown
    return fold(f"{name};{shown}:{text}" if shown else f"{name}:{text}")


def line(component: Any, name: str, value: Any) -> str:
    """A property of `component` (icalendar's class), typed as `component.add` types it."""
    return prop(name, component._encode(name.lower(), value))


@cache
def recur(rule: str) -> str:
    """An RRULE line, normalised as icalendar writes it (a kit repeats a few rules often)."""
    import icalendar

    return prop("RRULE", icalendar.vRecur.from_ical(rule))


@cache
def timezone_block(tzid: str) -> str:
    """The VTIMEZONE component for `tzid`, as icalendar makes it; "" when it knows none."""
    import icalendar

    try:
        zone = icalendar.Timezone.from_tzid(tzid)
    except ValueError:
        return ""
    return zone.to_ical().decode("utf-8")
