"""Invisible format characters (Unicode category Cf) in kit text: refused where they deceive.

A right-to-left override (U+202E) makes `moc.elpmaxe` read as `example.com`; zero-width and
other format characters make two names look the same or hide words from a reviewer. Names,
tags, hashtags and handles (what cards, page titles and pull-request titles show) may hold no
Cf character at all; no text anywhere may hold a bidirectional control.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from plnkit.kit.schema import field_name

# The fields shown as a name or an identifier: no Cf character at all.
NAME_FIELDS = ("name", "hashtag", "tags", "handles", "title")
# Bidirectional embeddings, overrides and isolates (and the marks): refused in any text.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def strings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every string in `value` with its path (keys of mappings included, at their path)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield (*path, key), key
            yield from strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, (*path, index))


def first_format_character(text: str, *, bidi_only: bool = False) -> tuple[int, str] | None:
    """(index, character) of the first refused format character in `text`, else None."""
    if text.isascii():
        return None
    for index, char in enumerate(text):
        if char in BIDI or (not bidi_only and unicodedata.category(char) == "Cf"):
            return index, char
    return None


def describe(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'FORMAT CHARACTER')}"


def invisible_problems(data: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, message) for each string holding a character it may not."""
    for path, text in strings(data):
        strict = bool(path) and path[0] in NAME_FIELDS
        found = first_format_character(text, bidi_only=not strict)
        if found is None:
            continue
        index, char = found
        field = field_name(path)
        kind = "a bidirectional control" if char in BIDI else "an invisible format character"
        yield path, (
            f"{field} contains {kind} ({describe(char)}) at character {index + 1}; remove "
            "it: it can make the text read differently than it is"
        )
