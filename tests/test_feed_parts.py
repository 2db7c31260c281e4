"""The feed modules' pure parts: docstring examples, merging, freshness, river, Atom, pool."""

from __future__ import annotations

import asyncio
import datetime as dt
import doctest
import importlib
import time
from pathlib import Path

import feedparser
import pytest

from plnkit.feeds.atom import river_atom
from plnkit.feeds.freshness import Freshness, FreshnessRules, freshness
from plnkit.feeds.parse import ParsedPost, parse_feed
from plnkit.feeds.river import build_river, paginate
from plnkit.feeds.sniff import entity_problem, looks_like_html
from plnkit.feeds.store import FeedRecord, merge_posts, next_poll
from plnkit.feeds.view import FeedView, Post
from plnkit.net.pool import run_bounded, run_sync

MODULES = [
    "plnkit.feeds.sniff", "plnkit.feeds.content", "plnkit.feeds.fetch", "plnkit.feeds.store",
    "plnkit.feeds.freshness", "plnkit.feeds.discover", "plnkit.feeds.river",
    "plnkit.feeds.write_back", "plnkit.exports.common", "plnkit.exports.opml_import",
    "plnkit.render.river_page",
]  # fmt: skip
NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


@pytest.mark.parametrize(
    "head",
    [b"  <!DOCTYPE html>", b"\xef\xbb\xbf<html lang=en>", b"<?xml version='1.0'?><html>",
     b"<!-- x --><HTML>", "<html>".encode("utf-16")],
)  # fmt: skip
def test_html_pages_are_recognised(head: bytes) -> None:
    assert looks_like_html(head)


def test_entity_screen_ignores_entities_inside_content() -> None:
    body = b"<rss><channel><description>&lt;!ENTITY x SYSTEM 'a'&gt;</description></channel></rss>"
    assert entity_problem(body) is None
    body = b'<rss><item><description><![CDATA[<!DOCTYPE x [<!ENTITY y "z">]>]]></description>'
    assert entity_problem(body) is None


def post(i: int, published: str | None) -> ParsedPost:
    return ParsedPost(f"id{i}", f"Post {i}", f"https://b.example.org/{i}", published, "")


def test_merge_keeps_newest_and_first_seen_time() -> None:
    stored = [{**post(1, "2026-01-01T00:00:00Z").as_dict(), "seen_at": "2026-01-02T00:00:00Z"}]
    fresh = tuple(post(i, f"2026-02-{i:02d}T00:00:00Z") for i in range(1, 13))
    merged = merge_posts(stored, fresh, NOW, keep=10)
    assert len(merged) == 10
    assert merged[0]["id"] == "id12"
    assert [p["seen_at"] for p in merged if p["id"] == "id1"] == []  # fell off: oldest
    again = merge_posts(merged, fresh[-1:], NOW + dt.timedelta(days=1), keep=10)
    assert again[0]["seen_at"] == merged[0]["seen_at"]


def test_next_poll_caps_what_servers_ask() -> None:
    assert next_poll(NOW, 6, server_seconds=10 * 365 * 86400) == "2026-12-06T12:00:00Z"
    assert next_poll(NOW, 6, server_seconds=60) == "2026-11-29T18:00:00Z"


def test_freshness_thresholds_are_configurable() -> None:
    rules = FreshnessRules(active_days=7, quiet_days=30)
    assert freshness("2026-11-20T00:00:00Z", NOW, rules=rules) is Freshness.QUIET
    assert freshness("2026-11-28T00:00:00Z", NOW, rules=rules) is Freshness.ACTIVE
    assert freshness("2026-10-01T00:00:00Z", NOW, rules=rules) is Freshness.DORMANT
    assert freshness(None, NOW, has_feed=False) is Freshness.NO_FEED
    assert freshness("2026-11-28T00:00:00Z", NOW, gone=True) is Freshness.GONE


def test_river_is_newest_first_deduplicated_and_paged() -> None:
    a = FeedView(posts=(
        Post("Shared", "https://www.example.org/p/", "2026-11-02T00:00:00Z", source="A"),
        Post("Old", "https://a.example.org/old", "2026-01-01T00:00:00Z", source="A"),
        Post("Undated", "https://a.example.org/u", None, source="A"),
    ))  # fmt: skip
    b = FeedView(posts=(
        Post("Shared again", "http://example.org/p", "2026-11-03T00:00:00Z", source="B"),
        Post("New", "https://b.example.org/new", "2026-11-28T00:00:00Z", source="B"),
    ))  # fmt: skip
    river = build_river({"a": a, "b": b}, size=10)
    assert [p.title for p in river] == ["New", "Shared again", "Old"]
    assert [len(page) for page in paginate(river, 2)] == [2, 1]
    assert len(build_river({"a": a, "b": b}, size=2)) == 2


def test_river_atom_parses_back_with_escaped_text() -> None:
    posts = (
        Post("<b>Bold</b> & co", "https://b.example.org/1", "2026-11-28T00:00:00Z",
             summary_html="<p>Hi <em>there</em></p>", source="Blog \"B\"",
             enclosure="https://b.example.org/1.mp3"),
        Post("No link", None, "2026-11-27T00:00:00Z", source="C"),
    )  # fmt: skip
    data = river_atom(
        posts,
        title="Kit: recent posts",
        feed_url="https://kit.example.org/feed.xml",
        page_url="https://kit.example.org/recent/",
        updated="2026-11-29T00:00:00Z",
    )
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Kit: recent posts"
    first, second = parsed.entries
    assert first.title == "<b>Bold</b> & co"
    assert first.link == "https://b.example.org/1"
    assert first.author == 'Blog "B"'
    assert "<em>there</em>" in first.summary
    assert first.enclosures[0].href == "https://b.example.org/1.mp3"
    assert second.id.startswith("urn:sha1:")


def test_pool_reports_exceptions_and_respects_the_deadline() -> None:
    async def work(item: int) -> int:
        if item == 1:
            raise ValueError("bad item")
        if item == 2:
            await asyncio.sleep(5)
        return item * 10

    started = time.monotonic()
    results = run_sync(lambda: run_bounded([0, 1, 2], work, deadline_seconds=0.2))
    assert time.monotonic() - started < 2, "the slow item was cancelled at the deadline"
    assert results[0] == 0
    assert isinstance(results[1], ValueError)
    assert 2 not in results


def test_pool_reports_in_finishing_order_and_a_reporting_bug_is_no_deadline() -> None:
    async def work(item: int) -> int:
        await asyncio.sleep(0.01 * (3 - item))
        return item

    seen: list[int] = []
    results = run_sync(lambda: run_bounded([0, 1, 2], work, on_done=lambda i, _: seen.append(i)))
    assert seen == [2, 1, 0] and list(results) == [2, 1, 0]

    def broken(_index: int, _outcome: object) -> None:
        raise TimeoutError("a bug in the reporting, not the run's deadline")

    with pytest.raises(TimeoutError, match="a bug in the reporting"):
        run_sync(lambda: run_bounded([0, 1], work, deadline_seconds=60, on_done=broken))


def test_record_from_damaged_json_keeps_what_it_can() -> None:
    record = FeedRecord.from_json(
        {
            "feed_url": 3,
            "posts": [{"id": "a"}, "junk", {"x": 1}],
            "failures_in_a_row": "many",
            "etag": '"e"',
            "extra": True,
        }
    )
    assert record.feed_url is None
    assert record.posts == [{"id": "a"}]
    assert record.failures_in_a_row == 0
    assert record.etag == '"e"'


def test_summary_is_cut_to_length_with_tags_closed() -> None:
    body = (
        b"""<rss version="2.0"><channel><title>t</title><item><title>Long</title>
    <link>https://l.example.org/1</link><description><![CDATA[<p><em>"""
        + b"word " * 500
        + (b"</em></p>]]></description></item></channel></rss>")
    )
    result = parse_feed(body, url="https://l.example.org/feed", summary_chars=100)
    summary = result.posts[0].summary_html
    assert summary.endswith("…</em></p>")
    assert len(summary) < 140


def test_river_pages_link_to_each_other() -> None:
    from plnkit.kit.model import Binder, Kit, Tab
    from plnkit.render.river_page import river_pages
    from plnkit.render.state import SiteState

    kit = Kit(Path("."), Binder("T", (Tab("blogs", "Blogs"),)), ())
    river = tuple(
        Post(f"Post {i}", f"https://b.example.org/{i}", f"2026-11-{1 + i % 28:02d}T00:00:00Z")
        for i in range(45)
    )
    pages = river_pages(kit, SiteState(river=river))
    assert list(pages) == ["recent/index.md", "recent/2/index.md", "recent/3/index.md"]
    assert "[Older posts →](2/index.md)" in pages["recent/index.md"]
    assert (
        "[← Newer posts](../index.md) · [Older posts →](../3/index.md)"
        in pages["recent/2/index.md"]
    )
    assert "Older posts" not in pages["recent/3/index.md"]
    assert '<a href="../../feed.xml">' in pages["recent/3/index.md"]
    assert river_pages(kit, SiteState()) == {}


RSS_ITEMS = (
    "<item><title>a</title><link>post/1</link><guid>12345</guid></item>",
    '<item><title>a</title><guid isPermaLink="false">post-7</guid></item>',
    "<item><title>a</title><guid>https://EX.example.org/a?</guid></item>",
    "<item><title>a</title><guid>p?a=1&amp;amp;b=2</guid></item>",
    "<item><title>a</title><link>https://x.example.org/\x85a</link><guid>\x81abc</guid></item>",
    '<item xml:base="https://other.example.org/sub/"><title>a</title><guid>rel/1</guid>'
    '<link>x</link><description>&lt;a href="y"&gt;y&lt;/a&gt;</description></item>',
    '<item><title base="q/">a</title><guid>rel/2</guid><enclosure url="ep.mp3"/></item>',
    "<item><title>a</title><link>https://x.example.org/p?a=1&amp;amp;b=2</link>"
    "<guid>https://x.example.org/p/1</guid><pubDate>Mon, 01 Dec 2025 08:00:00 GMT</pubDate></item>",
)
ATOM = (
    '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="sub/"><title>A'
    '</title><entry xml:base="more/"><id>rel</id><title>x</title><link href="p/1"/>'
    '<summary type="html">&lt;a href="z"&gt;z&lt;/a&gt;</summary></entry></feed>'
)
NESTED_BASES = (
    '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="sub/"><title>A'
    '</title><entry xml:base="deeper/"><id>urn:x:2</id><title>y</title><link href="p/2"/>'
    "</entry></feed>"
)


def _documents() -> list[bytes]:
    from tests.feedcases import all_cases, load_case

    rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>/home</link>'
    found = [load_case(path).body for path in all_cases()]
    found += [f"{rss}{item}</channel></rss>".encode() for item in RSS_ITEMS]
    found += [
        ATOM.encode(),
        NESTED_BASES.encode(),
        f"{rss}{RSS_ITEMS[5]}</channel></rss>".encode("utf-16"),
    ]
    return found


@pytest.mark.parametrize(
    "url",
    [
        "https://feeds.example.org/blog/feed.xml",
        "https://feeds.example.org/f?",
        "http://f.example.org/",
    ],
)
def test_parsing_without_a_base_address_changes_nothing(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """feedparser is told the feed's address only where it changes the result: the posts, ids
    and links come out the same as when it is always told."""
    from plnkit.feeds import parse

    documents = _documents()
    fast = [parse_feed(body, url=url, now=NOW) for body in documents]
    told = []

    def always_told(body: bytes, url: str, content_type: str):
        told.append(url)
        return parse._feedparser(body, url, content_type, base=True)

    monkeypatch.setattr(parse, "_parse", always_told)
    assert [parse_feed(body, url=url, now=NOW) for body in documents] == fast
    assert told, "the reference must be parsed with the base"
