"""A warm build of an unchanged kit is handed the kept output (plnkit.build_cache), and what it
hands out is byte for byte what a fresh build makes; any change of input makes it build again."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from plnkit import build_cache
from plnkit.exports.calendar_cache import stamp_line
from plnkit.net.clock import FakeClock, iso
from plnkit.state_store import StateStore
from tests.conftest import MKDOCS_YML, MODELINE, RESOURCES, write_kit

POST_URL = "https://beta.example.org/p1"
T = dt.datetime(2026, 3, 10, 9, 0, 0, tzinfo=dt.UTC)
OLD = time.time() - 3600  # inputs changed moments ago are never kept (see build_cache)
CALENDAR = """\
    name: Delta Chat
    url: https://delta.example.org/chat
    kind: chat
    description: A weekly chat for school librarians.
    stages: [connection]
    schedule:
      text: Tuesdays at 7 pm Eastern
      rrule: FREQ=WEEKLY;BYDAY=TU
      time: "19:00"
      timezone: America/New_York
    """


def settle(root: Path) -> None:
    for folder in (root / "kit", root / ".cache" / "plnkit"):
        for path in [folder, *folder.rglob("*")]:
            os.utime(path, (OLD, OLD))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A kit with link history and a feed's posts in its store, every input settled."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773100800")  # MkDocs' own sitemap dates
    monkeypatch.delenv("PLNKIT_OFFLINE", raising=False)
    write_kit(tmp_path, {**RESOURCES, "communities/delta-chat.yml": CALENDAR})
    store = StateStore(tmp_path / ".cache" / "plnkit")
    store.write("links", {"urls": {"https://alpha.example.org/": {
        "state": "ok", "checked_at": "2026-03-01T08:00:00Z", "final_url": None}}})  # fmt: skip
    store.write("feeds", {"feeds": {"beta-blog": {
        "feed_url": "https://beta.example.org/feed.xml", "refreshed_at": None,
        "posts": [{"id": "p1", "title": "Spring <b>reading</b>", "url": POST_URL,
                   "published": "2026-01-01T12:00:00Z", "summary_html": "<p>Read.</p>"}],
    }}})  # fmt: skip
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n<!-- plnkit:intro -->\n")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    settle(tmp_path)
    return tmp_path


def run(root: Path, when: dt.datetime, site: str, *, cache: bool = True, yml: str = MKDOCS_YML):
    """A real build at the moment `when`; the plugin's build record (`loaded`: kit loads)."""
    if not cache:
        yml = yml.replace("offline: true", "offline: true\n      build_cache: false")
    (root / "mkdocs.yml").write_text(yml, encoding="utf-8")
    os.utime(root / "mkdocs.yml", (OLD, OLD))
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / site))
    plugin = config.plugins["plnkit"]
    plugin.clock = FakeClock(when)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return plugin.build


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_unchanged_build_is_handed_the_kept_output_byte_for_byte(project: Path) -> None:
    first = run(project, T, "site1")
    assert first.loaded == 1 and first.kept is None
    later = T + dt.timedelta(hours=2, seconds=7)
    second = run(project, later, "site2")
    assert second.loaded == 0 and second.kept is not None, "the kept output was not used"
    fresh = run(project, later, "site3", cache=False)
    assert fresh.loaded == 1
    kept, made = files(project / "site2"), files(project / "site3")
    assert kept.keys() == made.keys() and len(kept) > 20
    for name in made:
        assert kept[name] == made[name], name
    # the time stamps were brought up to the second build's moment
    assert f'"generated_at": "{iso(later)}"'.encode() in kept["api/kit.json"]
    assert stamp_line(later).encode() in kept["calendar.ics"]
    assert b"Hello <strong>librarians</strong>" in kept["index.html"]  # binder intro filled
    assert b"Active" in kept["blogs/index.html"]


def test_a_third_build_still_uses_it_and_strict_sees_the_same_log(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    run(project, T, "site1")
    made = [r.getMessage() for r in caplog.records if r.name.startswith(("plnkit", "mkdocs.p"))]
    caplog.clear()
    assert run(project, T + dt.timedelta(minutes=1), "site2").loaded == 0
    said = [r.getMessage() for r in caplog.records if r.name.startswith(("plnkit", "mkdocs.p"))]
    assert said == made and any("offline" in m for m in said)


def edit_resource(root: Path) -> None:
    path = root / "kit" / "communities" / "alpha-ning.yml"
    path.write_text(path.read_text().replace("Alpha Ning", "Alpha Ning Two"))


def add_resource(root: Path) -> None:
    (root / "kit" / "blogs" / "omega.yml").write_text(
        MODELINE + "name: Omega\nurl: https://omega.example.org/\nkind: blog\n"
        "description: Another blog for school librarians.\nstages: [consumption]\n"
    )


def edit_store(root: Path) -> None:
    store = StateStore(root / ".cache" / "plnkit")
    store.write("links", {"urls": {"https://alpha.example.org/": {
        "state": "broken", "checked_at": "2026-03-09T08:00:00Z", "failures_in_a_row": 1,
        "first_failed_at": "2026-03-09T08:00:00Z", "health": "failing"}}})  # fmt: skip


@pytest.mark.parametrize(
    ("change", "when", "yml"),
    [
        (edit_resource, T, MKDOCS_YML),
        (add_resource, T, MKDOCS_YML),
        (edit_store, T, MKDOCS_YML),
        (None, T, MKDOCS_YML.replace("offline: true", "offline: true\n      exclude: [x]")),
        (None, T, MKDOCS_YML + "      feeds: {posts_per_resource: 1}\n"),
        (None, T + dt.timedelta(days=1), MKDOCS_YML),
        (None, T - dt.timedelta(seconds=1), MKDOCS_YML),  # the clock went back
    ],
    ids=["resource", "new-file", "store", "exclude", "plugin-option", "next-day", "earlier"],
)
def test_any_change_of_input_builds_afresh(project: Path, change, when, yml: str) -> None:
    assert run(project, T, "site1").loaded == 1
    if change:
        change(project)
    again = run(project, when, "site2", yml=yml)
    assert again.loaded == 1 and again.kept is None
    run(project, when, "site3", yml=yml, cache=False)
    assert files(project / "site2") == files(project / "site3")


def test_kept_output_ends_when_a_feed_turns_quiet(project: Path) -> None:
    """The post of 2026-01-01T12:00Z is "active" until 90 days later, to the second."""
    morning = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
    run(project, morning, "site1")
    assert run(project, morning.replace(hour=12), "site2").loaded == 0
    after = morning.replace(hour=12, second=1)
    turned = run(project, after, "site3")
    assert turned.loaded == 1
    run(project, after, "site4", cache=False)
    assert files(project / "site3") == files(project / "site4")
    assert b"Quiet" in files(project / "site3")["blogs/index.html"]


def test_network_builds_neither_use_nor_keep_it(project: Path) -> None:
    yml = MKDOCS_YML.replace("offline: true", "offline: false\n      links: {check: false}")
    run(project, T, "site1", yml=yml.replace("offline: false", "offline: true"))
    networked = run(project, T, "site2", yml=yml)  # feeds.fetch on: not offline
    assert networked.loaded == 1 and not networked.cacheable


@pytest.mark.parametrize("damage", ["manifest", "page", "export"])
def test_a_damaged_kept_output_is_a_warning_and_a_correct_build(
    project: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # before both builds: log levels are part of the key
    run(project, T, "site1")
    cache = project / ".cache" / "plnkit"
    manifest = build_cache.read_manifest(cache)
    folder = cache / build_cache.DOCUMENT / manifest["folder"]
    if damage == "manifest":
        (cache / "build-output.json").write_bytes(b'{"version": 1, "data": {"key": ')
    elif damage == "page":
        (folder / "p0.md").write_bytes(b"")
    else:
        (folder / dict((e[0], e[1]) for e in manifest["exports"])["api/kit.json"]).unlink()
    damaged = run(project, T, "site2")
    assert damaged.loaded == 1
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warned and any("build-output" in r.getMessage() for r in warned)
    run(project, T, "site3", cache=False)
    assert files(project / "site2") == files(project / "site3")
    caplog.clear()
    # a damaged manifest is replaced by the build that found it; damaged files are dropped,
    # and the next build keeps a new output
    assert run(project, T, "site4").loaded == (0 if damage == "manifest" else 1)
    assert run(project, T, "site5").loaded == 0
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert files(project / "site5") == files(project / "site3")


def test_just_edited_inputs_are_not_kept(project: Path) -> None:
    edit_resource(project)  # changed moments ago: could change again within one clock tick
    run(project, T, "site1")
    assert run(project, T, "site2").loaded == 1


def test_the_key_watches_every_store_document_an_offline_build_reads() -> None:
    from plnkit.feeds import store as feed_store
    from plnkit.links import history

    names = {f"{history.DOCUMENT}.json", f"{feed_store.DOCUMENT}.json"}
    assert set(build_cache.STORE_INPUTS) == names
