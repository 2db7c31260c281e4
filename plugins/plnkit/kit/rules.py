"""Rules beyond the schema: file names, tabs, URLs, duplicates, archived resources, lint.

`check_file` needs one parsed file; `check_kit` looks across every valid resource. Both report
through a callback so the loader decides where problems go; errors stop a build, warnings
are advice for the curator.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from plnkit.kit.invisible import invisible_problems
from plnkit.kit.model import Resource
from plnkit.kit.problems import Level
from plnkit.kit.schema import field_name
from plnkit.kit.urls import normalize_url, url_problem
from plnkit.kit.yaml_source import Document, Position

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SLUG_MAX = 80
DESCRIPTION_SOFT_LIMIT = 300
URL_FIELDS = ("url", "feed", "archive_url")
RETIRED = ("archived", "retired")
# The words a generated description carries until a person replaces it (`plnkit import-opml`
# writes them when a feed reader's export has no usable description of its own).
PLACEHOLDER_MARK = "edit this description"

Report = Callable[[Position, Level, str], None]
# Where in one file the rules across files may point (`places`): field path -> (line, column),
# plain tuples, which a worker process sends back and the kit cache keeps cheaply.
Places = Mapping[tuple[str | int, ...], tuple[int, int]]
ACROSS_FIELDS = ("url", "replaced_by")  # and each item of `tags`
DATE_FIELDS = (("added",), ("schedule", "start"))
ALLOWED_CONTROLS = frozenset("\t\n\r")  # line breaks and tabs in block text are fine
# Unicode's control characters (category Cc: U+0000-U+001F and U+007F-U+009F, a set the
# standard promises never to change) less ALLOWED_CONTROLS, as one pattern: a string is
# searched in C, not walked a character at a time in Python.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_characters(doc: Document) -> list[tuple[Position, str]]:
    """Each string value holding a NUL, a control character or a terminal escape, named by
    its field (the character is shown as U+XXXX, never written out)."""
    found: list[tuple[Position, str]] = []
    if not doc.could_hold(CONTROL.search):  # most files: one search of the whole text
        return found
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), doc.data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, dict):
            pending.extend(((*path, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            pending.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, str):
            bad = CONTROL.search(value)
            if bad is not None:
                found.append(
                    (
                        doc.where(path),
                        f"{field_name(path)} contains a control character "
                        f"(U+{ord(bad.group()):04X}); "
                        "delete it (it often comes from copying text out of another program)",
                    )
                )
    return found


def slugify(text: str, limit: int = 60) -> str:
    """A file name for a resource: ASCII, lowercase, words joined by hyphens.

    >>> slugify("Café Librarians: Ning (2007)!")
    'cafe-librarians-ning-2007'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug


def slug_problem(stem: str) -> str | None:
    if SLUG.match(stem) and len(stem) <= SLUG_MAX:
        return None
    suggestion = slugify(stem) or "my-resource"
    return (
        f"the file name {stem!r} must be a slug: lowercase letters, digits and hyphens, "
        f"at most {SLUG_MAX} characters (rename it to {suggestion}.yml)"
    )


def _url_key(url: str) -> str:
    try:
        return normalize_url(url)
    except ValueError:  # an address url_problem refuses; it only needs to compare unequal
        return url.strip().lower()


def check_file(
    doc: Document,
    stem: str,
    tab: str,
    tabs: Sequence[str] | None,
    allow_local: bool,
    report: Report,
) -> bool:
    """Rules that need one file only. True when an error was reported.

    `tabs` is None when the binder itself is broken: the folder rule is then skipped.
    """
    data: Mapping[str, Any] = doc.data
    errors = 0

    def error(position: Position, message: str) -> None:
        nonlocal errors
        errors += 1
        report(position, Level.ERROR, message)

    problem = slug_problem(stem)
    if problem:
        error(Position(1, 1), problem)
    for position, message in control_characters(doc):
        error(position, message)
    for path in DATE_FIELDS:
        why = _date_problem(doc, path)
        if why:
            error(doc.where(path), why)
    if tabs is not None and tab not in tabs:
        error(
            Position(1, 1),
            f"the folder {tab!r} is not a tab of kit/binder.yml; move the file into one of: "
            f"{', '.join(tabs)} (or add the tab to binder.yml)",
        )
    # Every refused format character is outside ASCII: an ASCII file (most) has none.
    for path, message in invisible_problems(data) if doc.could_hold(_not_ascii) else ():
        error(doc.where(path), message)
    for field in URL_FIELDS:
        value = data.get(field)
        if isinstance(value, str):
            why = url_problem(value, allow_local=allow_local)
            if why:
                error(doc.where((field,)), f"`{field}` {why}")
    sources = data.get("sources")
    for index, value in enumerate(sources if isinstance(sources, list) else ()):
        if isinstance(value, str):
            why = url_problem(value, allow_local=allow_local)
            if why:
                error(doc.where(("sources", index)), f"`sources` item {index + 1} {why}")
    target = data.get("replaced_by")
    if isinstance(target, str):
        why = _replaced_by_problem(target.strip(), stem, allow_local)
        if why:
            error(doc.where(("replaced_by",)), why)
    status = data.get("status", "active")
    if status in RETIRED and not (_filled(data.get("archive_url")) or _filled(data.get("notes"))):
        error(
            doc.where(("status",)),
            f"a resource marked {status} needs an `archive_url` (an archived copy) or a "
            "reason in `notes`",
        )
    verified = data.get("verified")
    if isinstance(verified, Mapping) and isinstance(verified.get("on"), str):
        why = _verified_problem(verified["on"])
        if why:
            error(doc.where(("verified", "on")), why)
    description = data.get("description")
    if isinstance(description, str) and len(description) > DESCRIPTION_SOFT_LIMIT:
        report(
            doc.where(("description",)),
            Level.WARNING,
            f"`description` is {len(description)} characters; readers scan cards, so keep it "
            f"under {DESCRIPTION_SOFT_LIMIT}",
        )
    if isinstance(description, str) and PLACEHOLDER_MARK in description.casefold():
        report(
            doc.where(("description",)),
            Level.WARNING,
            "`description` is still the placeholder plnkit wrote; replace it with one or two "
            "sentences saying what a librarian finds there, before the site is published",
        )
    schedule = data.get("schedule")
    if isinstance(schedule, Mapping) and schedule.get("time") and not schedule.get("rrule"):
        report(
            doc.where(("schedule", "time")),
            Level.WARNING,
            "`schedule` has a `time` but no `rrule`, so no calendar can hold it and the card "
            'offers no "Add to calendar"; add a repeat rule such as '
            "rrule: FREQ=WEEKLY;BYDAY=WE (RFC 5545), or drop the time",
        )
    if not data.get("stages") and status not in RETIRED:
        report(
            doc.key_where(("stages",)),
            Level.WARNING,
            "no `stages`; add the PLN stages it serves (consumption, connection, creation, "
            "contribution) so it shows on the Start here path",
        )
    if "sources" not in data:
        report(
            doc.key_where(("sources",)),
            Level.WARNING,
            "no `sources`; add a `sources:` list with the address of at least one page that "
            "backs what the file says (a founder, a date, a schedule)",
        )
    return errors > 0


def _not_ascii(text: str) -> bool:
    return not text.isascii()


def _date_problem(doc: Document, path: tuple[str, ...]) -> str | None:
    """Why a date written YYYY-MM-DD (the schema checks the shape) is not a real day."""
    value: Any = doc.data
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        name = ".".join(path)
        return f"`{name}` is not a real date; got {value!r} (use YYYY-MM-DD)"
    return None


def _verified_problem(day: str) -> str | None:
    """Why a `verified.on` date cannot be right (the schema has checked its shape)."""
    try:
        when = dt.date.fromisoformat(day)
    except ValueError:
        return f"`verified.on` is not a real date; got {day!r} (use YYYY-MM-DD)"
    if when > dt.date.today() + dt.timedelta(days=1):
        return f"`verified.on` is in the future ({day}); use the day the link was opened"
    return None


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _replaced_by_problem(target: str, stem: str, allow_local: bool) -> str | None:
    if "://" in target or ":" in target.split("/", 1)[0]:
        why = url_problem(target, allow_local=allow_local)
        return f"`replaced_by` {why}" if why else None
    if target == stem:
        return "`replaced_by` names this resource itself; name the one that took its place"
    if not SLUG.match(target):
        return (
            f"`replaced_by` must be the slug of another resource (its file name without "
            f".yml, e.g. feedly) or a web address; got {target!r}"
        )
    return None


def places(doc: Document) -> dict[tuple[str | int, ...], tuple[int, int]]:
    """Where `check_kit` may point in this file: its `url`, its `replaced_by` and each tag.

    Worked out while the file is parsed, so the loader keeps these few positions of each file
    rather than every parsed document of a large kit (or parses files a second time)."""
    paths: list[tuple[str | int, ...]] = [(name,) for name in ACROSS_FIELDS]
    tags = doc.data.get("tags") if isinstance(doc.data, Mapping) else None
    paths.extend(("tags", index) for index in range(len(tags) if isinstance(tags, list) else 0))
    return {path: (at.line, at.column) for path in paths for at in (doc.where(path),)}


def check_kit(
    resources: Sequence[Resource],
    places_of: Mapping[Path, Places],
    report_for: Callable[[Resource], Report],
    shown: Callable[[Path], str] = lambda path: path.as_posix(),
) -> None:
    """Rules across files: duplicate URLs and slugs, replaced_by targets, lonely tags.

    `places_of` holds each file's `places`; a file without them is pointed at by the line of
    its field. A duplicate is reported on every file involved, each message naming the others
    (`shown` writes their paths the way the report does). Linear in the number of resources,
    apart from the messages themselves (each member of a group of duplicates names all the
    others) and one fuzzy match against every slug per distinct unknown `replaced_by`.
    """

    def where(resource: Resource, *path: str | int) -> Position:
        found = places_of.get(resource.path, {}).get(path)
        return Position(*found) if found else Position(resource.lines.get(str(path[0]), 1), 1)

    by_url: dict[str, list[Resource]] = defaultdict(list)
    by_slug: dict[str, list[Resource]] = defaultdict(list)
    for resource in resources:
        by_url[_url_key(resource.url)].append(resource)
        by_slug[resource.slug].append(resource)
    for group in by_url.values():
        names = [shown(r.path) for r in group] if len(group) > 1 else []
        for index, resource in enumerate(group if names else ()):
            others = ", ".join(name for i, name in enumerate(names) if i != index)
            report_for(resource)(
                where(resource, "url"),
                Level.ERROR,
                f"the same resource as {others} (the addresses match once case, www., "
                "a trailing / and http/https are ignored); keep one file",
            )
    for slug, group in by_slug.items():
        names = [shown(r.path) for r in group] if len(group) > 1 else []
        for index, resource in enumerate(group if names else ()):
            others = ", ".join(name for i, name in enumerate(names) if i != index)
            report_for(resource)(
                Position(1, 1),
                Level.ERROR,
                f"the slug {slug!r} is also used by {others}; rename one of the files",
            )
    slugs = sorted(by_slug)
    hints: dict[str, str] = {}  # one fuzzy match per distinct unknown target
    for resource in resources:
        target = (resource.replaced_by or "").strip()
        if target and SLUG.match(target) and target not in by_slug:
            if target not in hints:
                close = difflib.get_close_matches(target, slugs, n=1)
                hints[target] = f"did you mean {close[0]!r}?" if close else "check the spelling"
            report_for(resource)(
                where(resource, "replaced_by"),
                Level.ERROR,
                f"`replaced_by` names {target!r}, but no resource file has that name; "
                f"{hints[target]}",
            )
    if len(resources) < 2:
        return
    tags = Counter(tag for r in resources for tag in r.tags)
    for resource in resources:
        for index, tag in enumerate(resource.tags):
            if tags[tag] == 1:
                report_for(resource)(
                    where(resource, "tags", index),
                    Level.WARNING,
                    f"the tag {tag!r} is used by no other resource; reuse an existing tag "
                    "or drop it",
                )
