"""One site from three engines: `plnkit build` with MkDocs, ProperDocs and Zensical gives the
same resources on the same tab pages, the same binder HTML (sub-tabs, cards, deep-link ids),
the same navigation tabs and the same export files byte for byte (time stamps aside).

Two projects: the default kit, and a small kit whose state store holds posts, link health and
a schedule (checked and fetched from a local server first). The MkDocs build through the plugin
(`mkdocs build`, the session's `default_site`) is the reference the three are held to.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import json
import posixpath
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from plnkit.cli import main
from plnkit.kit.loader import load_kit
from tests.conftest import ROOT, write_kit
from tests.engine_sites import (
    ENGINE_NAMES,
    binder_block,
    build_with,
    cards,
    copy_project,
    pages,
    top_tabs,
    without_stamps,
)

RICH_BINDER = """\
title: Rich & Test Binder
short_title: Rich
description: A binder with posts, health and a schedule.
tabs:
  - {id: start-here, title: Start here}
  - {id: communities, title: Communities}
  - {id: blogs, title: "Blogs & feeds"}
  - {id: webinars, title: Webinars}
"""
RICH_MKDOCS = """\
site_name: Rich Test
site_url: https://rich.example.org/
theme:
  name: material
  features: [navigation.tabs]
markdown_extensions: [attr_list, md_in_html, {toc: {permalink: true}}]
plugins:
  - search
  - plnkit:
      offline: true
      cache_dir: cache
"""


def rss(server: str) -> bytes:
    now = dt.datetime.now(dt.UTC)
    items = "".join(
        f"<item><title>Post {n}: reading &amp; research</title>"
        f"<link>{server}/blog/post-{n}</link>"
        f"<pubDate>{email.utils.format_datetime(now - dt.timedelta(days=n), True)}</pubDate>"
        "</item>"
        for n in (1, 2, 3, 4)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Delta</title>'
        f"<link>{server}/blog</link>{items}</channel></rss>"
    ).encode()


def rich_resources(server: str) -> dict[str, str]:
    return {
        "start-here/guide.yml": f"""\
            name: Starter Guide
            url: {server}/guide
            kind: guide
            description: A short guide to building your first personal learning network.
            stages: [consumption]
            """,
        "communities/alive.yml": f"""\
            name: Alive Forum
            url: {server}/alive
            kind: community
            description: A forum where school librarians trade lesson ideas every day.
            stages: [connection]
            tags: [forum]
            """,
        "communities/dead.yml": f"""\
            name: Dead Forum
            url: {server}/dead
            kind: community
            description: A forum that went away, kept here to show how a dead link looks.
            stages: [connection]
            """,
        "blogs/delta.yml": f"""\
            name: Delta Blog
            url: {server}/blog
            kind: blog
            description: Reflections on running a busy middle-school library, weekly.
            stages: [consumption]
            feed: {server}/feed.xml
            """,
        "webinars/cafe.yml": f"""\
            name: Monday Café
            url: {server}/cafe
            kind: webinar
            description: Free evening webinars for teacher librarians, recorded for later.
            schedule:
              text: First Monday of the month, 8 pm Eastern
              rrule: FREQ=MONTHLY;BYDAY=1MO
              time: "20:00"
              timezone: America/New_York
              duration_minutes: 60
              start: "2026-01-01"
            """,
    }


@pytest.fixture(scope="module")
def default_builds(default_site: Path, engine_sites: dict[str, Path]) -> dict[str, Path]:
    return {"plugin": default_site, **engine_sites}


@pytest.fixture(scope="module")
def rich_builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict]]:
    root = tmp_path_factory.mktemp("engines-rich")
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        base = server.url_for("/").rstrip("/")
        for path in ("/guide", "/alive", "/blog", "/cafe"):
            server.expect_request(path).respond_with_data("<html><title>ok</title></html>",
                                                          content_type="text/html")  # fmt: skip
        server.expect_request("/dead").respond_with_data("gone", status=404)
        server.expect_request("/feed.xml").respond_with_data(
            rss(base), content_type="application/rss+xml"
        )
        kit = write_kit(root, rich_resources(base), RICH_BINDER)
        (root / "docs").mkdir()
        (root / "docs" / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
        (root / "mkdocs.yml").write_text(RICH_MKDOCS, encoding="utf-8")
        cache = str(root / "cache")
        with pytest.MonkeyPatch.context() as env:
            env.setenv("PLNKIT_ALLOW_LOCAL", "1")
            main(["check-links", str(kit), "--cache-dir", cache, "--min-interval", "0"])
            main(["fetch-feeds", str(kit), "--cache-dir", cache, "--no-discover"])
            server.clear()  # the builds are offline: they render what was stored
            yield root, {engine: build_with(engine, root) for engine in ENGINE_NAMES}
    finally:
        server.stop()


def _read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def _resolved_tabs(page: str, rel: str) -> list[tuple[str, str]]:
    here = posixpath.dirname(rel)
    return [(posixpath.normpath(posixpath.join(here, href)), title)
            for href, title in top_tabs(page)]  # fmt: skip


def assert_same_site(sites: dict[str, Path], kit_dir: Path) -> None:
    kit = load_kit(kit_dir).kit
    assert kit is not None
    names = list(sites)
    reference = sites[names[0]]
    ref_pages = pages(reference)
    for name in names[1:]:
        assert pages(sites[name]) == ref_pages, f"{name} has other pages than {names[0]}"
    for tab in kit.binder.tabs:
        rel = f"{tab.id}/index.html"
        want = [r.slug for r in kit.in_tab(tab.id)]
        ref = _read(reference, rel)
        assert cards(ref) == want, rel
        for name in names[1:]:
            page = _read(sites[name], rel)
            assert cards(page) == want, f"{name} {rel}"
            assert binder_block(page) == binder_block(ref), f"{name} {rel}: binder HTML differs"
            assert _resolved_tabs(page, rel) == _resolved_tabs(ref, rel), f"{name} {rel}: tabs"
    # The tabs are the binder's, in its order, with its titles as text.
    home_tabs = [title for _, title in _resolved_tabs(_read(reference, "index.html"), "index.html")]
    assert home_tabs == ["Home", *[t.title for t in kit.binder.tabs]]


def assert_same_exports(sites: dict[str, Path], tree_manifest: Path) -> None:
    exports = json.loads(tree_manifest.read_text(encoding="utf-8"))["exports"]
    assert {"feed.xml", "kit.opml", "follow-mastodon.csv", "api/kit.json", "calendar.ics"} <= set(
        exports
    )
    names = list(sites)
    for rel in exports:
        first = without_stamps((sites[names[0]] / rel).read_bytes())
        for name in names[1:]:
            assert without_stamps((sites[name] / rel).read_bytes()) == first, f"{name}: {rel}"


def test_default_kit_is_the_same_site_from_every_engine(default_builds: dict) -> None:
    assert_same_site(default_builds, ROOT / "kit")
    manifest = default_builds["mkdocs"].parent / ".cache" / "plnkit" / "build" / "zensical"
    assert_same_exports(default_builds, manifest / "site.json")


def test_kit_with_posts_health_and_schedules_is_the_same_from_every_engine(
    rich_builds: tuple[Path, dict],
) -> None:
    root, sites = rich_builds
    assert_same_site(sites, root / "kit")
    assert_same_exports(sites, root / "cache" / "build" / "mkdocs" / "site.json")
    blogs = _read(sites["zensical"], "blogs/index.html")
    assert "Post 1: reading &amp; research" in blogs  # posts came through
    communities = _read(sites["zensical"], "communities/index.html")
    assert 'data-health="ok"' in communities and 'data-health="failing"' in communities
    calendar = (sites["zensical"] / "calendar.ics").read_text(encoding="utf-8")
    assert "RRULE:FREQ=MONTHLY;BYDAY=1MO" in calendar
    # Titles with "&" read as written: Zensical escapes what it prints, MkDocs does not.
    for engine in ENGINE_NAMES:
        page = _read(sites[engine], "blogs/index.html")
        assert "Blogs &amp;amp; feeds" not in page, engine
        assert re.search(r"<title>[^<]*Blogs &amp; feeds", page), engine


def test_search_indexes_every_resource_on_every_engine(default_builds: dict) -> None:
    kit = load_kit(ROOT / "kit").kit
    assert kit is not None
    indexes = {
        "mkdocs": "search/search_index.json",
        "properdocs": "search/search_index.json",
        "zensical": "search.json",
    }
    for engine, rel in indexes.items():
        data = json.loads((default_builds[engine] / rel).read_text(encoding="utf-8"))
        index = html.unescape(json.dumps(data, ensure_ascii=False))
        missing = [r.name for r in kit.resources if r.name not in index]
        assert not missing, f"{engine}'s search index lacks {missing[:5]}"


def test_zensical_gets_its_own_configuration(default_builds: dict) -> None:
    work = default_builds["zensical"].parent / ".cache" / "plnkit" / "build" / "zensical"
    project = tomllib.loads((work / "zensical.toml").read_text(encoding="utf-8"))["project"]
    assert project["site_name"] == "PLN Starter Kit for School Librarians"
    assert "navigation.tabs" in project["theme"]["features"]
    assert project["theme"]["palette"][0]["primary"] == "indigo"
    assert project["extra_css"] == ["assets/plnkit/plnkit.css"]
    assert project["extra_javascript"] == ["assets/plnkit/plnkit-binder.js"]
    assert {"attr_list", "md_in_html", "toc"} <= set(project["markdown_extensions"])
    assert "plnkit" not in project["plugins"]
    assert [next(iter(entry)) for entry in project["nav"]][:3] == [
        "Home",
        "Start here",
        "Communities",
    ]


def test_properdocs_runs_the_plugin_strict_with_no_warning(tmp_path: Path) -> None:
    """`properdocs build --strict` on the project itself: the plugin is found through its
    `properdocs.plugins` entry point and ProperDocs has nothing to warn about."""
    import subprocess
    import sys

    from tests.engine_sites import need_engine

    need_engine("properdocs")
    project = copy_project(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml"],
        cwd=project,
        env={**__import__("os").environ, "PLNKIT_OFFLINE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    assert (project / "site" / "communities" / "index.html").is_file()
    from importlib.metadata import entry_points

    found = {ep.name: ep.value for ep in entry_points(group="properdocs.plugins")}
    assert found.get("plnkit") == "plnkit.adapters.mkdocs_plugin:PlnKitPlugin"
