"""Every feed fault case in tests/feeds/ against a real local HTTP server (see its README)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from plnkit.feeds import one_feed
from plnkit.feeds.freshness import FreshnessRules
from plnkit.feeds.report import FeedState
from plnkit.feeds.runner import FetchOptions, fetch_kit_feeds
from plnkit.feeds.site_feeds import read_feeds
from plnkit.feeds.store import FeedRecord, load_records, save_records
from plnkit.kit.model import Binder, Kit, Resource, Tab
from plnkit.net.clock import FakeClock
from plnkit.render.cards import render_card
from plnkit.render.state import SiteState
from plnkit.store import StateStore
from tests.feedcases import all_cases, crashing_get, load_case, serve, silent_server

GOOD_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Companion</title><link>https://good.example.org/</link>
<item><title>All is well</title><link>https://good.example.org/1</link>
<pubDate>Mon, 01 Dec 2025 08:00:00 GMT</pubDate></item></channel></rss>"""
SEED_POSTS = [
    {"id": "sha1:seed-1", "title": "Stored earlier", "url": "https://old.example.org/1",
     "published": "2020-01-02T00:00:00Z", "summary_html": "", "enclosure": None,
     "seen_at": "2020-01-02T00:00:00Z"},
    {"id": "sha1:seed-2", "title": "Stored long ago", "url": "https://old.example.org/2",
     "published": "2020-01-01T00:00:00Z", "summary_html": "", "enclosure": None,
     "seen_at": "2020-01-01T00:00:00Z"},
]  # fmt: skip


def _resource(root: Path, slug: str, feed: str) -> Resource:
    path = root / "blogs" / f"{slug}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"name: {slug}\nfeed: {feed}\n", encoding="utf-8")
    return Resource(
        slug,
        "blogs",
        path,
        f"Blog {slug}",
        f"https://{slug}.example.org/",
        "blog",
        "A blog used by the feed fault tests.",
        feed=feed,
    )


def _run(kit: Kit, store: StateStore, case, clock: FakeClock):
    options = FetchOptions(
        allow_local=case.get("allow-local", "yes") == "yes",
        timeout=float(case.get("timeout", "2") or 2),
        force=True,
        min_interval=0,
    )
    return {r.slug: r for r in fetch_kit_feeds(kit, store, options, clock).results}


@pytest.mark.parametrize("path", all_cases(), ids=lambda p: p.stem)
def test_feed_case(
    path: Path, httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = load_case(path)
    serve(case, httpserver, "/feed.xml")
    httpserver.expect_request("/good.xml").respond_with_data(
        GOOD_FEED, content_type="application/rss+xml"
    )
    server = httpserver.url_for("/").rstrip("/")
    parsed: list[str] = []
    real_parse = one_feed.Context.parse

    async def counting_parse(ctx, answer):  # the real parsing, counted: a 304 must not parse
        parsed.append(answer.final_url or answer.url)
        return await real_parse(ctx, answer)

    monkeypatch.setattr(one_feed.Context, "parse", counting_parse)
    with ExitStack() as stack:
        feed_url = (case.get("feed-url") or "{server}/feed.xml").replace("{server}", server)
        if case.get("behaviour") == "silent":
            feed_url = stack.enter_context(silent_server())
        bad = _resource(tmp_path, "bad", feed_url)
        good = _resource(tmp_path, "good", f"{server}/good.xml")
        kit = Kit(tmp_path, Binder("Test", (Tab("blogs", "Blogs"),)), (bad, good))
        store = StateStore(tmp_path / "cache")
        save_records(
            store,
            {
                "bad": FeedRecord(
                    feed_url=feed_url, source="file", etag='"seed-etag"', posts=list(SEED_POSTS)
                )
            },
        )
        clock = FakeClock()
        if case.get("behaviour") == "raises":
            monkeypatch.setattr(one_feed, "get", crashing_get(feed_url))
        results = _run(kit, store, case, clock)
        if case.get("allow-local", "yes") == "yes":  # else the local companion is refused too
            assert results["good"].state is FeedState.OK, "one bad feed stopped the others"
        check_first_run(case, results["bad"], store, kit, parsed, httpserver, clock)
        for step in case.all("rerun"):
            if step == "after-edit":
                bad.path.write_text(bad.path.read_text() + "# edited\n", encoding="utf-8")
            again = _run(kit, store, case, clock)["bad"]
            key = "expect-rerun-state" if step == "same" else "expect-edit-state"
            assert again.state.value == case.get(key), f"{step}: {again}"
    if case.get("expect-requests") is not None:
        seen = sum(1 for request, _ in httpserver.log if request.path == "/feed.xml")
        assert seen == int(case.get("expect-requests") or 0)


def check_first_run(case, result, store, kit, parsed, httpserver, clock) -> None:
    assert result.state.value == case.get("expect-state"), result
    record = load_records(store)["bad"]
    posts = record.posts
    stored_text = "\n".join(f"{k}={v}" for post in posts for k, v in sorted(post.items()))
    if case.get("expect-error"):
        assert case.get("expect-error", "").lower() in (result.error or "").lower(), result
    if case.get("expect-posts"):
        assert len(posts) == int(case.get("expect-posts") or 0)
    if case.get("expect-kept") == "yes":
        assert {"sha1:seed-1", "sha1:seed-2"} <= {p["id"] for p in posts}
    for text in case.items("expect-absent"):
        assert text not in stored_text, f"{text!r} survived: {stored_text}"
    for text in case.items("expect-present"):
        assert text in stored_text, f"{text!r} missing: {stored_text}"
    if case.get("expect-no-leak"):
        assert case.get("expect-no-leak") not in store.path("feeds").read_text(encoding="utf-8")
    new = [p for p in posts if not p["id"].startswith("sha1:seed")]
    for key, field in (
        ("expect-title", "title"),
        ("expect-url", "url"),
        ("expect-enclosure", "enclosure"),
    ):
        if case.get(key) is not None:
            expected = None if case.get(key) == "none" else case.get(key)
            assert new and new[0][field] == expected, new
    if case.get("expect-parsed") == "no":
        assert not [u for u in parsed if "/feed.xml" in u], "a 304 was parsed"
    if case.get("expect-request-header"):
        name, _, value = (case.get("expect-request-header") or "").partition(":")
        sent = [r.headers.get(name.strip()) for r, _ in httpserver.log if r.path == "/feed.xml"]
        assert sent and sent[0] == value.strip(), sent
    if case.get("expect-next-poll"):
        assert record.next_poll_at == case.get("expect-next-poll")
    views, _ = read_feeds(kit, store, clock.now(), FreshnessRules(), 50)
    card = render_card(kit.get("bad"), SiteState(feeds=views), posts_shown=10)
    for text in case.items("expect-card-present"):
        assert text in card, card
    for text in case.items("expect-card-absent"):
        assert text not in card, card
