"""A build without the network says so once, plainly, at INFO; a build reads the state store
once and renders its pages and its exports from the same state. Real MkDocs builds."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from plnkit.feeds.runner import FetchOptions, fetch_kit_feeds
from plnkit.kit.loader import load_kit
from plnkit.links.options import CheckOptions
from plnkit.links.run import check_kit_links
from plnkit.net.clock import FakeClock
from plnkit.store import StateStore
from tests.conftest import build_site, write_kit
from tests.link_servers import refused_url

NOTICE = "plnkit: offline — link health and posts are shown as last stored"
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Beta</title>
<link>https://beta.example.org/</link>
<item><title>Shelving by genre, a year on</title><link>https://beta.example.org/1</link>
<pubDate>Wed, 01 Jan 2020 08:00:00 GMT</pubDate></item></channel></rss>"""


def mkdocs_yml(offline: bool, extra: str = "") -> str:
    return f"""\
site_name: Offline Test
strict: true
theme:
  name: material
plugins:
  - search
  - plnkit:
      offline: {str(offline).lower()}
      cache_dir: cache
{extra}"""


def kit_at(root: Path, link: str, feed: str) -> None:
    write_kit(root, {
        "communities/alpha-ning.yml": f"""\
            name: Alpha Ning
            url: {link}
            kind: community
            description: A community where school librarians trade lesson ideas daily.
            stages: [connection]
            """,
        "blogs/beta-blog.yml": f"""\
            name: Beta Blog
            url: {link}blog
            kind: blog
            description: Reflections on running a busy middle-school library.
            stages: [consumption]
            feed: {feed}
            """,
    })  # fmt: skip


def plnkit_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith("plnkit: offline")]


@pytest.fixture(autouse=True)
def _local_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    monkeypatch.delenv("PLNKIT_OFFLINE", raising=False)


def test_an_offline_build_says_so_once_at_info(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kit_at(tmp_path, "https://alpha.example.org/", "https://beta.example.org/feed.xml")
    caplog.set_level(logging.INFO)
    build_site(tmp_path, mkdocs_yml(offline=True))  # strict: a warning would abort it
    (record,) = plnkit_records(caplog)
    assert record.levelno == logging.INFO
    assert record.getMessage() == f"{NOTICE} (nothing checked yet)"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_notice_dates_what_is_stored_and_exports_match_the_pages(
    tmp_path: Path,
    httpserver: HTTPServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    httpserver.expect_request("/").respond_with_data("<html>alpha</html>")
    httpserver.expect_request("/blog").respond_with_data("<html>beta</html>")
    httpserver.expect_request("/feed.xml").respond_with_data(
        FEED, content_type="application/rss+xml"
    )
    kit_at(tmp_path, httpserver.url_for("/"), httpserver.url_for("/feed.xml"))
    kit = load_kit(tmp_path / "kit").kit
    store = StateStore(tmp_path / "cache")
    clock = FakeClock(dt.datetime(2026, 11, 27, 22, 30, tzinfo=dt.UTC))
    check_kit_links(kit, store, CheckOptions(allow_local=True, min_interval=0), clock=clock)
    clock.advance(3 * 3600)  # past midnight: the feeds were refreshed the next day
    fetch_kit_feeds(kit, store, FetchOptions(allow_local=True, min_interval=0), clock=clock)
    asked = len(httpserver.log)

    reads: Counter[str] = Counter()
    original = StateStore.read

    def counted(self: StateStore, name: str) -> dict:
        reads[name] += 1
        return original(self, name)

    monkeypatch.setattr(StateStore, "read", counted)
    caplog.set_level(logging.INFO)
    # Thresholds set in mkdocs.yml: a post from 2020 is "quiet" here, not the default "dormant".
    site = build_site(
        tmp_path, mkdocs_yml(True, "      feeds: {active_days: 1, quiet_days: 100000}\n")
    )
    (record,) = plnkit_records(caplog)
    assert record.getMessage() == (
        f"{NOTICE} (links checked 2026-11-27, feeds refreshed 2026-11-28)"
    )
    assert len(httpserver.log) == asked  # offline: nothing asked
    assert reads["links"] == 1 and reads["feeds"] == 1, reads  # one store read per build

    blogs = (site / "blogs" / "index.html").read_text(encoding="utf-8")
    assert "Shelving by genre, a year on" in blogs and "Quiet · last post" in blogs
    api = json.loads((site / "api" / "kit.json").read_text(encoding="utf-8"))
    by_slug = {r["slug"]: r for r in api["resources"]}
    assert by_slug["alpha-ning"]["health"]["state"] == "ok"
    assert by_slug["beta-blog"]["health"]["state"] == "ok"
    assert by_slug["beta-blog"]["freshness"]["state"] == "quiet"  # the pages' state, not a reread
    assert by_slug["beta-blog"]["freshness"]["last_post"].startswith("2020-01-01")
    river = (site / "feed.xml").read_text(encoding="utf-8")
    assert "Shelving by genre, a year on" in river


def test_an_outage_found_by_the_link_checker_is_offline_too(
    tmp_path: Path, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(FEED)
    down = refused_url()  # nobody listens: every link fails before reaching a server
    kit_at(tmp_path, down, httpserver.url_for("/feed.xml"))
    caplog.set_level(logging.INFO)
    build_site(tmp_path, mkdocs_yml(offline=False))
    (record,) = plnkit_records(caplog)
    assert record.levelno == logging.INFO
    assert record.getMessage() == (
        "plnkit: offline (no server could be reached) — link health and posts are shown as "
        "last stored (nothing checked yet)"
    )
    assert httpserver.log == []  # after the link checker's outage, the feeds were not asked
    assert not (tmp_path / "cache" / "links.json").exists()  # an outage stores no history

    # The next build, moments later (`mkdocs serve` on a train), leaves the network alone.
    caplog.clear()
    kit_at(tmp_path, httpserver.url_for("/"), httpserver.url_for("/feed.xml"))
    build_site(tmp_path, mkdocs_yml(offline=False))
    (record,) = plnkit_records(caplog)
    assert "(no server could be reached in the last 30 minutes)" in record.getMessage()
    assert httpserver.log == []


def test_a_build_with_the_network_says_nothing_about_being_offline(
    tmp_path: Path, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/").respond_with_data("<html>alpha</html>")
    httpserver.expect_request("/blog").respond_with_data("<html>beta</html>")
    httpserver.expect_request("/feed.xml").respond_with_data(FEED)
    kit_at(tmp_path, httpserver.url_for("/"), httpserver.url_for("/feed.xml"))
    caplog.set_level(logging.INFO)
    site = build_site(tmp_path, mkdocs_yml(offline=False))
    assert plnkit_records(caplog) == []
    assert "/feed.xml" in [r.path for r, _ in httpserver.log]
    api = json.loads((site / "api" / "kit.json").read_text(encoding="utf-8"))
    assert {r["health"]["state"] for r in api["resources"]} == {"ok"}
