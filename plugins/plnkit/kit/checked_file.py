"""One resource file checked from its bytes, the answer in plain data a worker can send back.

The loader checks every resource file through `check_resource_file`, in its own process or in
worker processes (`plnkit.kit.workers`), so the answer is the same either way: the problems in
the order they were found, and for a usable file its data, its top-level keys' lines and the
places the rules across files may point at (`rules.places`). The parsed document itself is not
kept: for a kit of 100,000 files, keeping them all costs more (memory, and the garbage
collector's passes over it) than the parsing. The answer is a tuple of plain values, which
a process pool sends back quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from plnkit.kit.cache import Found, content_hash
from plnkit.kit.files import Report, document_from_bytes, read_bytes
from plnkit.kit.problems import Level
from plnkit.kit.rules import check_file, places
from plnkit.kit.schema import schema_errors
from plnkit.kit.yaml_source import Document, Position


class CheckedFile(NamedTuple):
    """What checking one resource file found."""

    digest: str | None  # SHA-256 of its bytes, for the cache; None when not asked or unread
    problems: tuple[Found, ...] = ()  # (line, column, level, message), in the order found
    data: dict[str, Any] | None = None  # its data, when it is a usable resource
    lines: dict[str, int] | None = None  # the line of each top-level key (with `data`)
    places: dict[tuple[str | int, ...], tuple[int, int]] | None = None  # (with `data`)
    skipped: bool = False  # the bytes were those of `known_digest`: left for the cache


def check_resource_file(
    path: Path,
    known_digest: str | None,
    tabs: Sequence[str] | None,
    allow_local: bool,
    hashed: bool = False,
) -> CheckedFile:
    """Read, parse and check the resource file at `path`; with `hashed` (a cache is kept), say
    the hash of its bytes, and when that is `known_digest` (the cache has an answer for them)
    parse nothing: `skipped` is set."""
    found: list[Found] = []

    def report(position: Position, level: Level, message: str) -> None:
        found.append((position.line, position.column, level.value, message))

    data = read_bytes(path, report)
    if data is None:
        return CheckedFile(None, tuple(found))
    digest = content_hash(data) if hashed else None
    if digest is not None and digest == known_digest:
        return CheckedFile(digest, skipped=True)
    doc = document_from_bytes(data, report)
    if doc is None or not check_parsed(doc, path, tabs, allow_local, report):
        return CheckedFile(digest, tuple(found))
    return CheckedFile(digest, tuple(found), doc.data, doc.key_lines(), places(doc))


def check_parsed(
    doc: Document, path: Path, tabs: Sequence[str] | None, allow_local: bool, report: Report
) -> bool:
    """The schema and the single-file rules for a parsed resource file; True when it is
    usable (no error)."""
    errors = schema_errors(doc)
    for position, message in errors:
        report(position, Level.ERROR, message)
    broken = check_file(doc, path.stem, path.parent.name, tabs, allow_local, report)
    return not (errors or doc.issues or broken)


def check_resource_files(
    jobs: Sequence[tuple[Path, str | None]],
    tabs: Sequence[str] | None,
    allow_local: bool,
    hashed: bool = False,
) -> list[CheckedFile]:
    """`check_resource_file` for each (path, known digest), in order: one worker's share."""
    return [check_resource_file(path, known, tabs, allow_local, hashed) for path, known in jobs]
