"""End to end: the default kit's feeds (fixtures) plus every bad feed on a local server,
`plnkit fetch-feeds`, then a real MkDocs build with cards, the river, feed.xml and exports."""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import io
import json
import re
import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import icalendar
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from plnkit.cli import main
from plnkit.feeds.site_feeds import BuildFeeds, collect_feeds
from plnkit.kit.loader import load_kit
from tests.conftest import ROOT, build_site, write_kit
from tests.feedcases import all_cases, load_case, serve, silent_server

KIT_FEEDS = {
    "knowledge-quest": "knowledge-quest.xml",
    "neverending-search": "neverending-search.xml",
    "adventures-of-library-girl": "adventures-of-library-girl.xml",
}
FIXTURES = Path(__file__).parent / "feeds" / "kit"
MKDOCS = """\
site_name: Feeds Test
site_url: https://kit.example.org/
theme:
  name: material
  features: [navigation.tabs]
plugins:
  - search
  - plnkit:
      offline: {offline}
      cache_dir: cache
"""


def fixture_bytes(name: str) -> bytes:
    now = dt.datetime.now(dt.UTC)
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return re.sub(
        r"\{\{days_ago:(\d+)\}\}",
        lambda m: email.utils.format_datetime(now - dt.timedelta(days=int(m.group(1))), True),
        text,
    ).encode("utf-8")


def conditional(body: bytes, tag: str):
    """A publisher that answers a matching If-None-Match with 304."""

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == tag:
            return Response(status=304, headers={"ETag": tag})
        return Response(body, headers={"ETag": tag}, content_type="application/rss+xml")

    return handler


def plain_cases() -> list:
    cases = [load_case(p) for p in all_cases()]
    special = ("feed-url", "behaviour", "allow-local")  # covered by test_feed_faults alone
    return [c for c in cases if not any(c.get(key) for key in special)]


@pytest.fixture
def project(tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default kit, its feeds served locally, plus one resource per bad feed."""
    server = httpserver.url_for("/").rstrip("/")
    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    monkeypatch.setenv("PLNKIT_BLUESKY_BASE", server)
    kit = tmp_path / "kit"
    shutil.copytree(ROOT / "kit", kit)
    for slug, name in KIT_FEEDS.items():
        path = kit / "blogs" / f"{slug}.yml"
        text = re.sub(r"(?m)^feed: .*$", f"feed: {server}/kit/{name}", path.read_text("utf-8"))
        path.write_text(text, encoding="utf-8")
        httpserver.expect_request(f"/kit/{name}").respond_with_handler(
            conditional(fixture_bytes(name), f'"{slug}-v1"')
        )
    httpserver.expect_request("/profile/aaslala.bsky.social/rss").respond_with_handler(
        conditional(fixture_bytes("aasl-bluesky.xml"), '"bsky-v1"')
    )
    for case in plain_cases():
        serve(case, httpserver, f"/faults/{case.name}.xml")
        (kit / "blogs" / f"fault-{case.name}.yml").write_text(
            "# yaml-language-server: $schema=../schema/resource.schema.json\n"
            f'name: "Fault {case.name}"\nurl: https://fault-{case.name}.example.org/\n'
            f"kind: blog\ndescription: A feed that misbehaves on purpose in the tests.\n"
            f"stages: [consumption]\nfeed: {server}/faults/{case.name}.xml\n",
            encoding="utf-8",
        )
    assert load_kit(kit).ok
    return tmp_path


def fetch(root: Path, *extra: str) -> tuple[int, dict]:
    report = root / "report.json"
    code = main(
        [
            "fetch-feeds",
            str(root / "kit"),
            "--cache-dir",
            str(root / "cache"),
            "--json",
            str(report),
            "--no-discover",
            *extra,
        ]
    )
    return code, json.loads(report.read_text(encoding="utf-8"))


def card(html: str, slug: str) -> str:
    match = re.search(rf'<article class="plnkit-card" id="{slug}".*?</article>', html, re.S)
    assert match, f"no card {slug}"
    return match.group(0)


def test_posts_river_and_exports_in_a_real_build(project: Path) -> None:
    code, report = fetch(project)
    assert code == 0
    states = {r["slug"]: r["state"] for r in report["results"]}
    assert states["knowledge-quest"] == "ok" and states["aasl-social"] == "ok"
    assert states["fault-html-page"] == "failed" and states["fault-gone"] == "gone"
    site = build_site(project, MKDOCS.format(offline="true"))
    blogs = (site / "blogs" / "index.html").read_text(encoding="utf-8")
    kq = card(blogs, "knowledge-quest")
    assert "Building a Reading Culture, One Book Club at a Time" in kq
    assert "Advocacy &amp; the School Board" in kq
    assert "Teaching Search Strategies" not in kq  # three posts shown
    assert "Active · last post" in kq
    assert "Quiet · last post" in card(blogs, "neverending-search")
    assert "Dormant · last post" in card(blogs, "adventures-of-library-girl")
    assert "Feed gone" in card(blogs, "fault-gone")
    title = card(blogs, "fault-html-in-title")
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; friends" in title
    social = (site / "social" / "index.html").read_text(encoding="utf-8")
    assert "Registration for the fall gathering is open!" in card(social, "aasl-social")
    river = (site / "recent" / "index.html").read_text(encoding="utf-8")
    assert river.index("Registration for the fall gathering") < river.index("Book Club")
    assert "Posts last refreshed" in river
    assert '<a href="../blogs/#knowledge-quest">' in river
    for page in [*site.glob("*/index.html"), *site.glob("recent/*/index.html")]:
        html = page.read_text(encoding="utf-8")
        for bad in ("trackReader", "youtube.com/embed", "javascript:", "<img src=x"):
            assert bad not in html, f"{bad} in {page}"
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html), f"a handler in {page}"
    assert "News:" in (site / "start-here" / "index.html").read_text(encoding="utf-8")
    check_exports(site)


def check_exports(site: Path) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert any(t.startswith("Registration for the fall gathering") for t in titles)
    dates = [e.updated for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert feed.feed.links[0].href == "https://plnkit.github.io/pln-kit/feed.xml"  # binder.yml
    opml = ET.parse(site / "kit.opml").getroot()
    urls = {o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")}
    assert any(u.endswith("/kit/knowledge-quest.xml") for u in urls)
    assert not any(u.endswith("/faults/gone.xml") for u in urls)  # gone feeds are not offered
    assert ET.parse(site / "opml" / "blogs.opml").getroot().tag == "opml"
    rows = list(csv.reader(io.StringIO((site / "follow-mastodon.csv").read_text("utf-8"))))
    assert rows[0] == ["Account address", "Show boosts", "Notify on new posts", "Languages"]
    api = json.loads((site / "api" / "kit.json").read_text(encoding="utf-8"))
    fresh = {r["slug"]: r["freshness"]["state"] for r in api["resources"]}
    assert fresh["knowledge-quest"] == "active" and fresh["adventures-of-library-girl"] == "dormant"
    calendar = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
    assert calendar["PRODID"]


def test_second_run_sends_conditional_requests(project: Path, httpserver: HTTPServer) -> None:
    fetch(project)
    code, report = fetch(project, "--force")
    assert code == 0
    states = {r["slug"]: r["state"] for r in report["results"]}
    assert states["knowledge-quest"] == "not-modified"
    sent = [
        r.headers.get("If-None-Match")
        for r, _ in httpserver.log
        if r.path == "/kit/knowledge-quest.xml"
    ]
    assert sent == [None, '"knowledge-quest-v1"']


def test_outage_loses_no_stored_post(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fetch(project)
    monkeypatch.setenv("PLNKIT_BLUESKY_BASE", "http://127.0.0.1:9")
    store = project / "cache" / "feeds.json"
    before = store.read_bytes()
    for path in (project / "kit").rglob("*.yml"):  # every feed now points at a closed port
        text = re.sub(r"http://localhost:\d+", "http://127.0.0.1:9", path.read_text("utf-8"))
        path.write_text(text, encoding="utf-8")
    code, report = fetch(project, "--force")
    assert code == 1 and report["outage"]
    assert store.read_bytes() == before
    site = build_site(project, MKDOCS.format(offline="true"))
    blogs = (site / "blogs" / "index.html").read_text(encoding="utf-8")
    assert "Building a Reading Culture" in blogs


def test_build_refreshes_feeds_itself(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    httpserver.expect_request("/feed.xml").respond_with_data(
        fixture_bytes("knowledge-quest.xml"), content_type="application/rss+xml"
    )
    write_kit(tmp_path, {"blogs/kq.yml": f"""\
        name: Knowledge Quest
        url: https://knowledgequest.aasl.org
        kind: blog
        description: AASL's blog, fetched by the build itself.
        feed: {httpserver.url_for("/feed.xml")}
        """})  # fmt: skip
    # Feeds only: the resource's own address cannot be reached from a test, and a link check
    # that reaches no server would (rightly) keep the build from asking the feeds too.
    online = MKDOCS.format(offline="false") + "      links: {check: false}\n"
    site = build_site(tmp_path, online)
    blogs = (site / "blogs" / "index.html").read_text("utf-8")
    assert "Building a Reading Culture" in blogs and "Active · last post" in blogs
    assert (site / "recent" / "index.html").is_file()
    assert len(httpserver.log) == 1
    strict = online + "      feeds: {active_days: 1, quiet_days: 30}\n"
    site = build_site(tmp_path, strict)
    assert len(httpserver.log) == 1  # fresh: the second build asks nothing
    assert "Quiet · last post" in (site / "blogs" / "index.html").read_text("utf-8")


def test_refresh_during_a_build_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    with silent_server() as url:
        kit_dir = write_kit(tmp_path, {"blogs/slow.yml": f"""\
            name: Slow Blog
            url: https://slow.example.org/
            kind: blog
            description: A blog whose server never answers.
            feed: {url}
            """})  # fmt: skip
        kit = load_kit(kit_dir).kit
        assert kit is not None
        started = time.monotonic()
        views, river = collect_feeds(
            kit,
            tmp_path / "cache",
            offline=False,
            options=BuildFeeds(fetch=True, timeout=30, deadline_seconds=0.5),
        )
        assert time.monotonic() - started < 5
    assert views["slow"].freshness == "unknown" and river == ()
