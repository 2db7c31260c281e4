"""Where a resource's feed is when its file names none.

In order: a social handle's own feed (Mastodon account RSS, Bluesky profile RSS, a YouTube
channel's feed), then the page's `<link rel="alternate">` RSS/Atom links, then (for blogs)
a few common feed paths. Every base address is configurable so tests point at 127.0.0.1.
"""

from __future__ import annotations

import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin

from plnkit.feeds.content import safe_link
from plnkit.kit.model import Resource

if TYPE_CHECKING:  # the HTTP side loads in `discover`: exports only need `handle_feed`
    from plnkit.feeds.fetch import HttpResult
    from plnkit.feeds.parse import ParsedFeed

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
COMMON_PATHS = ("/feed/", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/rss/",
                "/blog-feed.xml")  # fmt: skip
# Guessing paths is only worth it where a feed is expected.
PROBING_KINDS = ("blog", "newsletter", "podcast")
_YOUTUBE_CHANNEL = re.compile(r"(?:channel_id=|/channel/|\"channelId\":\")(UC[A-Za-z0-9_-]{22})")


class FeedSource(StrEnum):
    FILE = "file"  # the resource file's `feed`
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    YOUTUBE = "youtube"
    PAGE = "page"  # <link rel="alternate"> on the resource's page
    COMMON_PATH = "common-path"


@dataclass(frozen=True)
class DiscoveryBases:
    """Where the social networks' feeds live; tests replace them with a local server."""

    mastodon: str | None = None  # None: the account's own server, https://HOST
    bluesky: str = "https://bsky.app"
    youtube: str = "https://www.youtube.com"

    @classmethod
    def from_env(cls) -> DiscoveryBases:
        """Bases from PLNKIT_MASTODON_BASE, PLNKIT_BLUESKY_BASE, PLNKIT_YOUTUBE_BASE when set
        (tests, benchmarks, or a mirror), else the networks' own addresses."""
        default = cls()
        return cls(
            mastodon=os.environ.get("PLNKIT_MASTODON_BASE") or default.mastodon,
            bluesky=os.environ.get("PLNKIT_BLUESKY_BASE") or default.bluesky,
            youtube=os.environ.get("PLNKIT_YOUTUBE_BASE") or default.youtube,
        )


@dataclass(frozen=True)
class Discovery:
    feed_url: str | None
    source: FeedSource | None = None
    response: HttpResult | None = None  # the feed's own answer, when discovery fetched it
    parsed: ParsedFeed | None = None
    note: str = ""
    unreachable: HttpResult | None = None  # the page did not answer: look again next run


def handle_feed(resource: Resource, bases: DiscoveryBases) -> tuple[str, FeedSource] | None:
    """A feed address that follows from a handle alone, without asking any server.

    >>> from pathlib import Path
    >>> r = Resource("x", "social", Path("x.yml"), "X", "https://x.example", "social",
    ...              "twenty characters long", handles={"mastodon": "@ann@lib.social"})
    >>> handle_feed(r, DiscoveryBases())
    ('https://lib.social/@ann.rss', <FeedSource.MASTODON: 'mastodon'>)
    """
    mastodon = resource.handles.get("mastodon")
    if mastodon:
        user, _, host = mastodon.lstrip("@").partition("@")
        base = (bases.mastodon or f"https://{host}").rstrip("/")
        return f"{base}/@{quote(user)}.rss", FeedSource.MASTODON
    bluesky = resource.handles.get("bluesky")
    if bluesky:
        handle = bluesky.lstrip("@")
        return f"{bases.bluesky.rstrip('/')}/profile/{quote(handle)}/rss", FeedSource.BLUESKY
    youtube = resource.handles.get("youtube")
    if youtube and youtube.startswith("UC"):
        return youtube_feed(youtube, bases), FeedSource.YOUTUBE
    return None


def youtube_feed(channel_id: str, bases: DiscoveryBases) -> str:
    return f"{bases.youtube.rstrip('/')}/feeds/videos.xml?channel_id={quote(channel_id)}"


class _AlternateLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        rel = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES and values.get("href"):
            self.found.append(values["href"])


def feed_links(page: bytes, base_url: str, *, allow_local: bool = False) -> list[str]:
    """The RSS/Atom feeds a page announces, absolute and safe, in page order.

    >>> feed_links(b'<link rel="alternate" type="application/rss+xml" href="/feed/">',
    ...            "https://blog.example.org/about")
    ['https://blog.example.org/feed/']
    """
    parser = _AlternateLinks()
    try:
        parser.feed(page[: 2 * 1024 * 1024].decode("utf-8", errors="replace"))
        parser.close()
    except (AssertionError, ValueError):  # HTMLParser gives up on some broken markup
        pass
    links: list[str] = []
    for href in parser.found:
        link = safe_link(href, base_url, allow_local=allow_local)
        if link and link not in links:
            links.append(link)
    return links


Get = Callable[[str, str], Awaitable["HttpResult"]]  # (url, accept) -> answer
Parse = Callable[["HttpResult"], Awaitable["ParsedFeed"]]


async def discover(
    resource: Resource,
    get: Get,
    parse: Parse,
    bases: DiscoveryBases,
    *,
    allow_local: bool = False,
    max_probes: int = 4,
) -> Discovery:
    """Look for a feed on the resource's page (and common paths for blogs), fetching each
    candidate until one parses as a feed. `get` and `parse` are the runner's, so politeness
    limits and safety rules are the same as for any feed."""
    from plnkit.feeds.fetch import ACCEPT_FEED, ACCEPT_PAGE, HttpState

    youtube = resource.handles.get("youtube")
    page_url = (
        f"{bases.youtube.rstrip('/')}/{quote(youtube)}"
        if youtube and youtube.startswith("@")
        else resource.url
    )
    page = await get(page_url, ACCEPT_PAGE)
    candidates: list[tuple[str, FeedSource]] = []
    if page.state is HttpState.OK and page.body:
        base = page.final_url or page_url
        if youtube and youtube.startswith("@"):
            match = _YOUTUBE_CHANNEL.search(page.body[: 2 * 1024 * 1024].decode("utf-8", "replace"))
            if match:
                candidates.append((youtube_feed(match.group(1), bases), FeedSource.YOUTUBE))
        candidates += [
            (u, FeedSource.PAGE) for u in feed_links(page.body, base, allow_local=allow_local)
        ]
    elif page.state is not HttpState.OK:
        note = f"could not read {page_url} to look for a feed: {page.error or page.state}"
        return Discovery(None, note=note, unreachable=page if page.connection_failed else None)
    if resource.kind in PROBING_KINDS:
        root = page.final_url or resource.url
        candidates += [(urljoin(root, path), FeedSource.COMMON_PATH) for path in COMMON_PATHS]
    tried: set[str] = set()
    for url, source in candidates:
        if url in tried or len(tried) >= max_probes + 1:
            continue
        tried.add(url)
        answer = await get(url, ACCEPT_FEED)
        if answer.state is not HttpState.OK:
            continue
        parsed = await parse(answer)
        if parsed.ok:
            return Discovery(url, source, response=answer, parsed=parsed)
    return Discovery(None, note=f"no feed found on {page_url} ({len(tried)} address(es) tried)")
