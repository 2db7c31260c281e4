"""Fetched bytes to posts: feedparser on the bytes (never on a URL or a file name), then our
own cleaning of every field (see `content`).

feedparser runs with its own sanitizer and relative-URI rewriting off: nh3 does the
sanitizing afterwards with a stricter allow-list, and skipping feedparser's HTML passes makes
parsing about six times faster. It is not told the feed's address either when that cannot
change the result (`_parse`): with a base address it joins every element's base to it, a
quarter of its time, and `safe_link` makes the links absolute anyway. Only the posts kept are
cleaned. A document refused by `sniff`, an HTML page, an empty body or anything feedparser
cannot read as a feed is a failure, never "zero posts".
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import html
import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import feedparser

from plnkit.feeds.content import CONTROL, clean_summary, html_to_text, plain_text, safe_link
from plnkit.feeds.sniff import entity_problem, looks_like_html
from plnkit.net.clock import iso

TITLE_FROM_TEXT = 90
_XML_ENCODING = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2", re.I)
_BASE_ATTRIBUTE = re.compile(rb"base\s*=", re.I)  # xml:base, or the `base` feedparser also reads


@dataclass(frozen=True)
class ParsedPost:
    id: str  # opaque: a hash, never the publisher's raw guid
    title: str  # plain text
    url: str | None  # absolute http(s), or None
    published: str | None  # ISO 8601 UTC
    summary_html: str  # sanitized
    enclosure: str | None = None  # absolute http(s), or None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "summary_html": self.summary_html,
            "enclosure": self.enclosure,
        }


@dataclass(frozen=True)
class ParsedFeed:
    ok: bool
    posts: tuple[ParsedPost, ...] = ()
    error: str | None = None
    title: str = ""
    link: str | None = None
    ttl_minutes: int | None = None


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str = "",
    max_posts: int = 10,
    summary_chars: int = 400,
    allow_local: bool = False,
    now: dt.datetime | None = None,
) -> ParsedFeed:
    """The newest `max_posts` posts of a feed document, cleaned; or why it is not a feed."""
    refused = first_look(body)
    if refused is not None:
        return refused
    parsed = _parse(body, url, content_type)
    if not _is_feed(parsed):
        retry = _parse(_as_utf8(body), url, "")  # bytes wrong for the declared encoding
        if _is_feed(retry):
            parsed = retry
        else:
            problem = parsed.get("bozo_exception")
            detail = f" ({_short(problem)})" if problem else ""
            return ParsedFeed(False, error=f"the response is not an RSS or Atom feed{detail}")
    feed = parsed.get("feed", {})
    base = safe_link(feed.get("link"), url, allow_local=allow_local) or url
    # Only the posts kept are cleaned: choosing them needs their dates alone.
    kept = _newest_first(parsed.get("entries", []), now)[: max(0, max_posts)]
    posts = [_post(entry, published, url, summary_chars, allow_local) for entry, published in kept]
    ttl = str(feed.get("ttl") or "").strip()
    return ParsedFeed(
        True,
        posts=tuple(posts),
        title=plain_text(feed.get("title")),
        link=base,
        ttl_minutes=int(ttl) if ttl.isdigit() else None,
    )


def first_look(body: bytes) -> ParsedFeed | None:
    """Why `body` is refused before any XML parser reads it (empty, an HTML page, its own
    entities), or None. Quick: a few patterns over the bytes."""
    if not body.strip():
        return ParsedFeed(False, error="the server sent an empty body instead of a feed")
    refused = entity_problem(body)
    if refused:
        return ParsedFeed(False, error=refused)
    if looks_like_html(body):
        return ParsedFeed(False, error="the address returns an HTML page, not an RSS or Atom feed")
    return None


def _parse(body: bytes, url: str, content_type: str) -> feedparser.FeedParserDict:
    """feedparser's reading of `body`, the same as with the feed's address as its base.

    Without a base, feedparser leaves relative addresses as they are, and `safe_link` joins
    them to the feed's address afterwards: the same links. What a base would change is read
    off the document (an xml:base, or bytes the scan cannot read) and the result (an entry id
    that joining would rewrite: the id names the post in the store); then it is parsed again
    with the base."""
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:2]
    readable = head[:1] == b"<" and head[1:2] != b"\x00"  # not UTF-16 or UTF-32
    if readable and not _BASE_ATTRIBUTE.search(body) and urljoin(url, url) == url:
        parsed = _feedparser(body, url, content_type, base=False)
        if not _base_would_change(parsed, url):
            return parsed
    return _feedparser(body, url, content_type, base=True)


def _base_would_change(parsed: feedparser.FeedParserDict, url: str) -> bool:
    """Whether an id would be joined differently, or a link holds control characters (our
    cleaning drops them; feedparser joins first)."""
    links = [parsed.get("feed", {}).get("link")]
    for entry in parsed.get("entries", []):
        links += [entry.get("link"), *(e.get("href") for e in entry.get("enclosures") or [])]
        guid = entry.get("id")
        if not guid:
            continue
        try:
            if "&" in guid or urljoin(url, guid) != guid:
                return True
        except ValueError:
            return True
    return any(isinstance(link, str) and CONTROL.search(link) for link in links)


def _feedparser(
    body: bytes, url: str, content_type: str, *, base: bool
) -> feedparser.FeedParserDict:
    headers = {"content-location": url} if base else {}
    if content_type:
        headers["content-type"] = content_type
    # A stream, never bytes or str: feedparser opens a str or bytes that names a file.
    return feedparser.parse(
        io.BytesIO(body),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def _is_feed(parsed: feedparser.FeedParserDict) -> bool:
    return bool(parsed.get("version")) or bool(parsed.get("entries"))


def _as_utf8(body: bytes) -> bytes:
    """The document re-encoded as UTF-8, undecodable bytes replaced, its declaration fixed."""
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if body.startswith(bom):
            text = body.decode(codec, errors="replace")
            break
    else:
        text = body.decode("utf-8", errors="replace")
    data = text.lstrip("\ufeff").encode("utf-8")
    return _XML_ENCODING.sub(rb"\1\2utf-8\2", data, count=1)


def _date(entry: dict, now: dt.datetime | None) -> str | None:
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    if not moment:
        return None
    try:
        when = dt.datetime.fromtimestamp(calendar.timegm(moment), dt.UTC)
    except (OverflowError, ValueError, TypeError):
        return None
    if now is not None and when > now + dt.timedelta(days=1):
        when = now  # a post dated in the future is news now, not for years to come
    return iso(when)


def _text_field(entry: dict, name: str) -> str:
    detail = entry.get(f"{name}_detail") or {}
    value = entry.get(name) or ""
    return html_to_text(value) if "html" in str(detail.get("type", "")) else plain_text(value)


def _summary(entry: dict, feed_url: str, page_url: str, limit: int, allow_local: bool) -> str:
    detail = entry.get("summary_detail") or {}
    value = entry.get("summary") or ""
    if not value:
        content = entry.get("content") or []
        detail = content[0] if content else {}
        value = detail.get("value") or ""
    if not value:
        return ""
    if "html" not in str(detail.get("type", "text/html")):
        value = html.escape(value)
    # Relative links inside the text resolve against an explicit xml:base, else against the
    # post's own page, where the text was written.
    declared = safe_link(detail.get("base"), feed_url, allow_local=allow_local)
    base = declared if declared and declared != feed_url else page_url
    return clean_summary(value, base, limit=limit, allow_local=allow_local)


def _enclosure(entry: dict, base: str, allow_local: bool) -> str | None:
    for enclosure in entry.get("enclosures") or []:
        found = safe_link(enclosure.get("href"), base, allow_local=allow_local)
        if found:
            return found
    return None


def _post(
    entry: dict, published: str | None, base: str, summary_chars: int, allow_local: bool
) -> ParsedPost:
    link = safe_link(entry.get("link"), base, allow_local=allow_local)
    guid = str(entry.get("id") or "")
    if link is None and entry.get("guidislink"):
        link = safe_link(guid, base, allow_local=allow_local)
    title = _text_field(entry, "title")
    summary = _summary(entry, base, link or base, summary_chars, allow_local)
    if not title and summary:  # Mastodon and Bluesky posts have no titles: use the text
        title = html_to_text(summary, limit=TITLE_FROM_TEXT)
    identity = guid or link or f"{title}|{published}"
    return ParsedPost(
        id="sha1:" + hashlib.sha1(identity.encode("utf-8", "replace")).hexdigest(),  # noqa: S324
        title=title,
        url=link,
        published=published,
        summary_html=summary,
        enclosure=_enclosure(entry, base, allow_local),
    )


def _newest_first(entries: list[dict], now: dt.datetime | None) -> list[tuple[dict, str | None]]:
    """(entry, its date) pairs: dated entries newest first; undated ones after them, in the
    feed's own order."""
    pairs = [(entry, _date(entry, now)) for entry in entries]
    dated = sorted((p for p in pairs if p[1]), key=lambda p: p[1] or "", reverse=True)
    return dated + [p for p in pairs if not p[1]]


def _short(err: object) -> str:
    text = str(err)
    return text if len(text) <= 120 else text[:117] + "..."
