"""Finding a feed for a resource whose file names none, against a real local server."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import MappingProxyType

import pytest
from pytest_httpserver import HTTPServer

from plnkit.cli import main
from plnkit.feeds.discover import DiscoveryBases
from plnkit.feeds.report import FeedState
from plnkit.feeds.runner import FetchOptions, fetch_kit_feeds
from plnkit.feeds.store import load_records
from plnkit.kit.loader import load_kit
from plnkit.kit.model import Binder, Kit, Resource, Tab
from plnkit.net.clock import FakeClock
from plnkit.store import StateStore
from tests.conftest import write_kit

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Found</title>
<link>https://found.example.org/</link><item><title>Found me</title>
<link>https://found.example.org/1</link><pubDate>Mon, 01 Dec 2025 08:00:00 GMT</pubDate></item>
</channel></rss>"""
PAGE_WITH_LINK = b"""<!DOCTYPE html><html><head><title>Blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Posts" href="/posts.rss">
</head><body>Hello</body></html>"""
PLAIN_PAGE = b"<!DOCTYPE html><html><head><title>Plain</title></head><body>Hi</body></html>"


def resource(slug: str, url: str, kind: str = "blog", **extra) -> Resource:
    return Resource(slug, "blogs", Path(f"/nonexistent/{slug}.yml"), slug.title(), url, kind,
                    "A resource used by the discovery tests.", **extra)


def run(resources, tmp_path: Path, bases: DiscoveryBases | None = None, clock=None):
    kit = Kit(tmp_path, Binder("T", (Tab("blogs", "Blogs"),)), tuple(resources))
    store = StateStore(tmp_path / "cache")
    options = FetchOptions(allow_local=True, min_interval=0, bases=bases or DiscoveryBases())
    report = fetch_kit_feeds(kit, store, options, clock=clock or FakeClock())
    return {r.slug: r for r in report.results}, load_records(store)


def test_feed_announced_by_the_page(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/blog/").respond_with_data(PAGE_WITH_LINK, content_type="text/html")
    httpserver.expect_request("/posts.rss").respond_with_data(FEED)
    results, records = run([resource("blog", httpserver.url_for("/blog/"))], tmp_path)
    assert results["blog"].state is FeedState.OK
    assert results["blog"].source == "page"
    assert records["blog"].feed_url == httpserver.url_for("/posts.rss")
    assert records["blog"].posts[0]["title"] == "Found me"


def test_common_path_probed_for_blogs_only(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/").respond_with_data(PLAIN_PAGE, content_type="text/html")
    httpserver.expect_request("/feed/").respond_with_data(FEED)
    blog = resource("blog", httpserver.url_for("/"))
    community = resource("forum", httpserver.url_for("/"), kind="community")
    results, records = run([blog], tmp_path / "a")
    assert results["blog"].state is FeedState.OK
    assert records["blog"].source == "common-path"
    results, records = run([community], tmp_path / "b")
    assert results["forum"].state is FeedState.NO_FEED
    assert records["forum"].feed_url is None and records["forum"].discovered_at


def test_no_feed_is_not_looked_for_again_soon(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/").respond_with_data(PLAIN_PAGE, content_type="text/html")
    clock = FakeClock()
    forum = resource("forum", httpserver.url_for("/"), kind="community")
    run([forum], tmp_path, clock=clock)
    clock.advance(days=10)
    run([forum], tmp_path, clock=clock)
    assert len(httpserver.log) == 1
    clock.advance(days=30)
    run([forum], tmp_path, clock=clock)
    assert len(httpserver.log) == 2


def test_unreachable_page_is_retried_next_run(tmp_path: Path) -> None:
    results, records = run([resource("blog", "http://127.0.0.1:9/")], tmp_path)
    assert results["blog"].state is FeedState.FAILED
    assert results["blog"].connection_failed
    assert "blog" not in records  # nothing answered: an outage, nothing stored


@pytest.mark.parametrize(
    ("handles", "path", "query"),
    [
        ({"mastodon": "@ann@lib.social"}, "/@ann.rss", None),
        ({"bluesky": "ann.bsky.social"}, "/profile/ann.bsky.social/rss", None),
        ({"youtube": "UCabcdefghijklmnopqrstuv"}, "/feeds/videos.xml",
         "channel_id=UCabcdefghijklmnopqrstuv"),
    ],
)  # fmt: skip
def test_social_handles_use_the_networks_feeds(
    httpserver: HTTPServer, tmp_path: Path, handles: dict, path: str, query: str | None
) -> None:
    httpserver.expect_request(path, query_string=query).respond_with_data(FEED)
    base = httpserver.url_for("/").rstrip("/")
    bases = DiscoveryBases(mastodon=base, bluesky=base, youtube=base)
    social = resource("acct", "https://social.example.org/", kind="social",
                      handles=MappingProxyType(handles))
    results, records = run([social], tmp_path, bases)
    assert results["acct"].state is FeedState.OK, results["acct"]
    assert records["acct"].posts


def test_youtube_handle_reads_the_channel_id_from_its_page(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    channel = "UC0123456789abcdefghijkl"
    page = f'<html><head><link rel="canonical" href="https://www.youtube.com/channel/{channel}">'
    httpserver.expect_request("/@aasl").respond_with_data(page.encode(), content_type="text/html")
    httpserver.expect_request("/feeds/videos.xml", query_string=f"channel_id={channel}") \
        .respond_with_data(FEED)  # fmt: skip
    bases = DiscoveryBases(youtube=httpserver.url_for("/").rstrip("/"))
    video = resource("videos", "https://video.example.org/", kind="organization",
                     handles=MappingProxyType({"youtube": "@aasl"}))
    results, records = run([video], tmp_path, bases)
    assert results["videos"].state is FeedState.OK, results["videos"]
    assert records["videos"].source == "youtube"


def test_write_discovered_adds_the_feed_to_the_file(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    httpserver.expect_request("/blog/").respond_with_data(PAGE_WITH_LINK, content_type="text/html")
    httpserver.expect_request("/posts.rss").respond_with_data(FEED)
    kit_dir = write_kit(tmp_path, {"blogs/found-blog.yml": textwrap.dedent(f"""\
        name: Found Blog
        url: {httpserver.url_for("/blog/")}
        kind: blog
        description: A blog whose feed is only announced on its page.
        stages: [consumption]
        """)})  # fmt: skip
    cache = tmp_path / "cache"
    code = main(["fetch-feeds", str(kit_dir), "--cache-dir", str(cache), "--write-discovered"])
    assert code == 0
    text = (kit_dir / "blogs" / "found-blog.yml").read_text(encoding="utf-8")
    assert f'feed: "{httpserver.url_for("/posts.rss")}"' in text.splitlines()[3]
    reloaded = load_kit(kit_dir)
    assert reloaded.ok, [p.format() for p in reloaded.problems]
    assert reloaded.kit is not None
    assert reloaded.kit.get("found-blog").feed == httpserver.url_for("/posts.rss")
