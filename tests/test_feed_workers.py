"""Feed parsing on worker processes (plnkit.feeds.parse_workers): the same posts, errors and
store as parsing in the run's own process, and a parse that never ends cannot hold a run."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from plnkit.feeds import parse_workers
from plnkit.feeds.parse_workers import ParseJob, ParseWorkers
from plnkit.feeds.report import FeedState, FetchReport
from plnkit.feeds.runner import FetchOptions, fetch_kit_feeds
from plnkit.feeds.store import load_records
from plnkit.kit.model import Binder, Kit, Resource, Tab
from plnkit.net.clock import FakeClock
from plnkit.net.pool import run_sync
from plnkit.store import StateStore

RSS_ITEM = (
    "<item><title>Post {n}</title><link>https://blog.example.org/{n}</link>"
    "<guid>https://blog.example.org/{n}</guid><pubDate>{day:02d} Nov 2025 08:00:00 GMT</pubDate>"
    "<description><![CDATA[<p>Text <b>{n}</b> <a href='/about'>about</a>"
    "<script>x()</script></p>]]></description></item>"
)
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://rel.example.org/blog/">
<title>Relative</title><id>urn:example:rel</id><updated>2025-12-05T09:00:00Z</updated>
<entry><title type="html">&lt;em&gt;First&lt;/em&gt;</title><link href="2025/first"/>
<id>urn:example:rel:1</id><updated>2025-12-05T09:00:00Z</updated>
<summary type="html">&lt;p&gt;See &lt;a href="about"&gt;about&lt;/a&gt;.&lt;/p&gt;</summary></entry>
</feed>"""
MAX_BYTES = 400_000
# feedparser joins every nested xml:base to the one around it: quadratic in the depth. This
# document (2 MB, under the default 5 MB cap) would take it hours.
NEVER_ENDS = (
    b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
    + b'<entry xml:base="a/">' * 100_000
)


def rss(items: int, title: str = "Blog") -> bytes:
    body = "".join(RSS_ITEM.format(n=n, day=1 + n % 28) for n in range(items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://blog.example.org/</link>{body}</channel></rss>").encode()  # fmt: skip


def kit_of(root: Path, feeds: dict[str, str]) -> Kit:
    resources = tuple(
        Resource(slug, "blogs", root / f"{slug}.yml", slug.title(), f"https://{slug}.example.org/",
                 "blog", "A blog used by the feed worker tests.", feed=url)
        for slug, url in feeds.items()
    )  # fmt: skip
    return Kit(root, Binder("Test", (Tab("blogs", "Blogs"),)), resources)


def run(kit: Kit, store: StateStore, **options) -> FetchReport:
    settings = {"allow_local": True, "min_interval": 0, "force": True, **options}
    return fetch_kit_feeds(kit, store, FetchOptions(**settings), clock=FakeClock())


def within(seconds: float, call: Callable[[], FetchReport]) -> FetchReport:
    """`call()`, which must return within `seconds` (on a thread, so a hang fails the test)."""
    box: list[FetchReport] = []
    worker = threading.Thread(target=lambda: box.append(call()), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(seconds)
    assert box, f"the run was still going after {time.monotonic() - started:.0f} s"
    return box[0]


def parser_processes() -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if p.name == "plnkit-feed-parser"]


def test_workers_store_and_report_what_parsing_in_process_does(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = {
        "/small.xml": (rss(3), "application/rss+xml"),
        "/many.xml": (rss(60, "Many posts"), "application/rss+xml"),
        "/atom.xml": (ATOM, "application/atom+xml"),
        "/large.xml": (rss(600, "Large"), "application/rss+xml"),  # under the cap
        "/oversized.xml": (rss(2000, "Too big"), "application/rss+xml"),  # over it
        "/malformed.xml": (b"<rss version='2.0'><channel><title>Cut <item><ti", "text/xml"),
        "/not-a-feed.txt": (b"This is not the feed you are looking for.", "text/plain"),
        "/page.html": (b"<!doctype html><html><body>Hi</body></html>", "text/html"),
    }
    assert len(served["/large.xml"][0]) < MAX_BYTES < len(served["/oversized.xml"][0])
    for path, (body, kind) in served.items():
        httpserver.expect_request(path).respond_with_data(body, content_type=kind)
    feeds = {path.strip("/").split(".")[0]: httpserver.url_for(path) for path in served}
    feeds["missing"] = httpserver.url_for("/missing.xml")  # 404
    kit = kit_of(tmp_path, feeds)

    here = run(kit, StateStore(tmp_path / "here"), parse_workers=0, max_bytes=MAX_BYTES)

    def not_here(job: ParseJob):
        raise AssertionError("the run parsed in its own process")

    monkeypatch.setattr(ParseJob, "run", not_here)  # the workers have their own copy
    there = run(kit, StateStore(tmp_path / "there"), parse_workers=2, max_bytes=MAX_BYTES)

    states = {r.slug: r.state for r in there.results}
    assert states == {
        "small": FeedState.OK, "many": FeedState.OK, "atom": FeedState.OK, "large": FeedState.OK,
        "oversized": FeedState.FAILED, "malformed": FeedState.OK, "not-a-feed": FeedState.FAILED,
        "page": FeedState.FAILED, "missing": FeedState.FAILED,
    }  # fmt: skip
    assert there.results == here.results
    assert (there.stored, there.outage, there.summary) == (here.stored, here.outage, here.summary)
    records = {s: r.to_json() for s, r in load_records(StateStore(tmp_path / "here")).items()}
    pooled = {s: r.to_json() for s, r in load_records(StateStore(tmp_path / "there")).items()}
    assert pooled == records
    assert "<script" not in str(pooled) and len(pooled["many"]["posts"]) == 10
    assert not parser_processes(), "a worker outlived the run"


def test_a_run_where_every_feed_answers_304_starts_no_worker(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def conditional(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(rss(2), content_type="application/rss+xml", headers={"ETag": '"v1"'})

    httpserver.expect_request("/feed.xml").respond_with_handler(conditional)
    kit = kit_of(tmp_path, {"blog": httpserver.url_for("/feed.xml")})
    store = StateStore(tmp_path / "cache")
    assert run(kit, store).results[0].state is FeedState.OK
    started: list[object] = []
    real_start = ParseWorkers._start
    monkeypatch.setattr(ParseWorkers, "_start", lambda self: started.append(1) or real_start(self))
    assert run(kit, store).results[0].state is FeedState.NOT_MODIFIED
    assert started == []


def test_a_parse_that_never_ends_fails_its_feed_only(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/hostile.xml").respond_with_data(
        NEVER_ENDS, content_type="application/atom+xml"
    )
    httpserver.expect_request("/good.xml").respond_with_data(rss(2))
    kit = kit_of(tmp_path, {"hostile": httpserver.url_for("/hostile.xml"),
                            "good": httpserver.url_for("/good.xml")})  # fmt: skip
    report = within(60, lambda: run(kit, StateStore(tmp_path / "cache"), parse_seconds=2))
    hostile, good = report.results
    assert hostile.state is FeedState.FAILED
    assert "took longer than 2 s" in (hostile.error or "")
    assert good.state is FeedState.OK
    assert not parser_processes(), "the stuck worker outlived the run"


def test_the_runs_deadline_stops_a_parse_midway(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/hostile.xml").respond_with_data(
        NEVER_ENDS, content_type="application/atom+xml"
    )
    kit = kit_of(tmp_path, {"hostile": httpserver.url_for("/hostile.xml")})
    store = StateStore(tmp_path / "cache")
    report = within(60, lambda: run(kit, store, parse_seconds=3600, deadline_seconds=3))
    assert report.results[0].state is FeedState.SKIPPED
    assert "time allowed" in (report.results[0].note or "")
    assert not parser_processes(), "the stuck worker outlived the run"


def test_a_parsing_bug_is_that_feeds_error_and_the_worker_goes_on() -> None:
    async def scenario() -> tuple[BaseException | None, bool]:
        async with ParseWorkers(1, seconds=30) as parsers:
            try:
                await parsers.parse(ParseJob(None, url="https://x.example.org/"))  # type: ignore[arg-type]
            except AttributeError as err:
                raised: BaseException | None = err
            else:
                raised = None
            again = await parsers.parse(ParseJob(rss(1), url="https://x.example.org/"))
            return raised, again.ok

    raised, ok = run_sync(scenario)  # a browser test's sync driver may hold this thread's loop
    assert isinstance(raised, AttributeError) and "strip" in str(raised)
    assert ok
    assert not parser_processes()


def test_workers_are_one_per_core_by_default() -> None:
    assert ParseWorkers(None, seconds=1).size == parse_workers.cores() >= 1


def test_fetched_bodies_wait_for_a_parser_a_bounded_few_at_a_time(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The network answers faster than one parser reads: the run fetches only so far ahead of
    it (concurrency × FEEDS_AHEAD feeds in progress), so bodies do not pile up in memory."""
    from plnkit.feeds import runner

    body = rss(50)
    httpserver.expect_request("/feed.xml").respond_with_data(body, content_type="text/xml")
    feeds = {f"blog-{n:03d}": httpserver.url_for(f"/feed.xml?n={n}") for n in range(120)}
    kit = kit_of(tmp_path, feeds)
    waiting, peak = 0, 0
    real_parse = ParseWorkers.parse

    async def counted(self: ParseWorkers, job: ParseJob):
        nonlocal waiting, peak
        waiting += 1
        peak = max(peak, waiting)
        try:
            return await real_parse(self, job)
        finally:
            waiting -= 1

    monkeypatch.setattr(ParseWorkers, "parse", counted)
    report = run(kit, StateStore(tmp_path / "store"), parse_workers=1, concurrency=2, per_host=2)

    assert {r.state for r in report.results} == {FeedState.OK}
    assert 1 < peak <= 2 * runner.FEEDS_AHEAD, f"{peak} bodies waited for the parser at once"
