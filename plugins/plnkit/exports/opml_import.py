"""A feed reader's OPML export (Feedly, Inoreader, Google Takeout `subscriptions.xml`) turned
into resource files, one per feed, skipping the ones the kit already has.

The OPML file is untrusted input: it is parsed by defusedxml (entity declarations and external
references are refused), outlines nested deeper than any reader's folders are refused, every
address must pass the same URL rules as a hand-written file, and every value is written as a
quoted YAML string.
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from plnkit.feeds.content import plain_text
from plnkit.kit.model import Kit
from plnkit.kit.rules import PLACEHOLDER_MARK
from plnkit.kit.urls import normalize_url, url_problem

MODELINE = "# yaml-language-server: $schema=../schema/resource.schema.json"
# Both placeholders carry PLACEHOLDER_MARK, so `plnkit validate` (and a strict build) warns
# until a person has written the description.
FALLBACK_DESCRIPTION = f"Blog feed imported from OPML; {PLACEHOLDER_MARK}."
MIN_DESCRIPTION, MAX_DESCRIPTION, MAX_NAME, MAX_SLUG = 20, 400, 120, 60
MAX_DEPTH = 32  # folders in folders: a reader's export has one or two levels


class OpmlError(Exception):
    """The file cannot be read as OPML; the message names the file (and line)."""


@dataclass(frozen=True)
class OpmlFeed:
    title: str
    xml_url: str
    html_url: str
    description: str = ""
    folder: str = ""


class Action(StrEnum):
    CREATED = "created"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


@dataclass(frozen=True)
class ImportResult:
    action: Action
    feed: OpmlFeed
    path: Path | None = None
    reason: str = ""

    @property
    def needs_description(self) -> bool:
        """True when the file will carry a placeholder description a person must replace."""
        return self.action is Action.CREATED and PLACEHOLDER_MARK in describe(self.feed)

    def line(self, base: Path | None = None) -> str:
        shown = self.feed.title or self.feed.xml_url
        if self.action is Action.CREATED and self.path is not None:
            where = self.path.relative_to(base) if base else self.path
            return f"created {where.as_posix()} ({shown})"
        return f"skipped {shown!r}: {self.reason}"


def _attr(node: ET.Element, name: str) -> str:
    """An attribute, whatever its case (exports disagree on `xmlUrl` vs `xmlurl`)."""
    for key, value in node.attrib.items():
        if key.lower() == name.lower():
            return value.strip()
    return ""


def read_opml(data: bytes, source: str) -> list[OpmlFeed]:
    """Every feed outline of an OPML document, with the folder it sits in."""
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        name = getattr(err, "name", None) or "?"
        raise OpmlError(
            f"{source}:1:1: error: the document declares its own XML entities or external "
            f"references (<!ENTITY {name} ...>); refused for safety"
        ) from None
    except ET.ParseError as err:
        line, column = err.position
        reason = str(err).split(":")[0]
        raise OpmlError(
            f"{source}:{line}:{column + 1}: error: not a readable OPML file ({reason}); "
            "export it again from your feed reader"
        ) from None
    body = root.find("body")
    if root.tag.lower() != "opml" or body is None:
        raise OpmlError(f"{source}:1:1: error: not an OPML file (no <opml> with a <body>)")
    feeds: list[OpmlFeed] = []
    # Depth first, in document order, with a stack of (outline, its folder, its depth).
    pending: list[tuple[ET.Element, str, int]] = [(c, "", 1) for c in reversed(body)]
    while pending:
        child, folder, depth = pending.pop()
        if child.tag != "outline":
            continue
        if depth > MAX_DEPTH:
            raise OpmlError(
                f"{source}:1:1: error: outlines are nested more than {MAX_DEPTH} levels deep; "
                "export it again from your feed reader"
            )
        xml_url = _attr(child, "xmlUrl")
        title = plain_text(_attr(child, "title") or _attr(child, "text"), limit=MAX_NAME)
        if xml_url:
            feeds.append(
                OpmlFeed(
                    title,
                    xml_url,
                    _attr(child, "htmlUrl"),
                    plain_text(_attr(child, "description"), limit=2000),
                    folder,
                )
            )
        inner = title if not xml_url else folder
        pending.extend((c, inner, depth + 1) for c in reversed(child))
    return feeds


def slugify(title: str, fallback: str = "imported-feed") -> str:
    """A kebab-case file name from a title.

    >>> slugify("Ms. Smith's Library Blog — Notes & News!")
    'ms-smith-s-library-blog-notes-news'
    """
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug or fallback


def describe(feed: OpmlFeed) -> str:
    """The OPML's own description when it has one of a usable length, else an honest note.

    >>> describe(OpmlFeed("T", "https://x.example/feed", ""))
    'Blog feed imported from OPML; edit this description.'
    """
    text = feed.description.strip()
    if len(text) > MAX_DESCRIPTION:
        text = plain_text(text, limit=MAX_DESCRIPTION)
    if len(text) >= MIN_DESCRIPTION:
        return text
    if text:
        return f"{text} (imported from OPML; {PLACEHOLDER_MARK})"[:MAX_DESCRIPTION]
    return FALLBACK_DESCRIPTION


def resource_yaml(feed: OpmlFeed, html_url: str, added: str, source: str) -> str:
    """The file's text: modeline first, every value a quoted string."""
    name = feed.title or urlsplit(html_url).hostname or "Imported feed"
    folder = f" (folder {feed.folder!r})" if feed.folder else ""
    note = f"Imported from {source}{folder} by plnkit import-opml."
    if not feed.html_url:
        note += " The OPML gave no web page for this feed; check `url`."
    lines = [
        MODELINE,
        f"name: {json.dumps(name[:MAX_NAME], ensure_ascii=False)}",
        f"url: {json.dumps(html_url, ensure_ascii=False)}",
        "kind: blog",
        f"description: {json.dumps(describe(feed), ensure_ascii=False)}",
        "stages:",
        "  - consumption",
        f"feed: {json.dumps(feed.xml_url, ensure_ascii=False)}",
        f"added: {json.dumps(added)}",
        f"notes: {json.dumps(note, ensure_ascii=False)}",
    ]
    return "\n".join(lines) + "\n"


def plan_import(
    feeds: list[OpmlFeed],
    kit: Kit,
    tab_dir: Path,
    *,
    added: str,
    source: str,
    allow_local: bool = False,
) -> list[tuple[ImportResult, str | None]]:
    """What importing would do: each feed's result and, for new ones, the file text."""
    urls = {normalize_url(r.url): r.path for r in kit.resources}
    feeds_known = {normalize_url(r.feed): r.path for r in kit.resources if r.feed}
    slugs = {r.slug for r in kit.resources} | {p.stem for p in tab_dir.glob("*.y*ml")}
    planned: list[tuple[ImportResult, str | None]] = []
    for feed in feeds:
        why = url_problem(feed.xml_url, allow_local=allow_local)
        html_url = feed.html_url
        if not why and html_url:
            html_problem = url_problem(html_url, allow_local=allow_local)
            why = f"htmlUrl {html_problem}" if html_problem else None
        elif why:
            why = f"xmlUrl {why}"
        if why:
            planned.append((ImportResult(Action.INVALID, feed, reason=why), None))
            continue
        if not html_url:
            parts = urlsplit(feed.xml_url)
            html_url = f"{parts.scheme}://{parts.netloc}/"
            if normalize_url(html_url) in urls:  # another feed of the same host
                html_url = feed.xml_url
        known = feeds_known.get(normalize_url(feed.xml_url)) or urls.get(normalize_url(html_url))
        if known is not None:
            planned.append(
                (
                    ImportResult(
                        Action.DUPLICATE, feed, reason=f"already in the kit as {known.as_posix()}"
                    ),
                    None,
                )
            )
            continue
        slug = base = slugify(feed.title or urlsplit(html_url).hostname or "")
        number = 2
        while slug in slugs:
            slug, number = f"{base}-{number}", number + 1
        path = tab_dir / f"{slug}.yml"
        slugs.add(slug)
        urls[normalize_url(html_url)] = path
        feeds_known[normalize_url(feed.xml_url)] = path
        text = resource_yaml(feed, html_url, added, source)
        planned.append((ImportResult(Action.CREATED, feed, path=path), text))
    return planned
