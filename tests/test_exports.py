"""Exports parsed back with real parsers, and OPML imports from real feed readers' formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from plnkit.cli import main
from plnkit.kit.loader import load_kit
from tests.conftest import ROOT, write_kit

OPML_DIR = Path(__file__).parent / "opml"
BINDER = """\
title: Export Binder
description: A binder for export tests.
site_url: https://kit.example.org/pln/
tabs:
  - {id: blogs, title: "Blogs & feeds"}
  - {id: social, title: Social}
  - {id: webinars, title: Webinars}
"""
RESOURCES = {
    "blogs/delta-blog.yml": """\
        name: Delta Blog
        url: https://delta.example.org/
        kind: blog
        description: A *lively* blog about school library makerspaces and reading.
        feed: https://delta.example.org/feed/
        """,
    "blogs/old-blog.yml": """\
        name: Old Blog
        url: https://old.example.org/
        kind: blog
        description: A blog that stopped years ago, kept for its archive of lessons.
        feed: https://old.example.org/feed/
        status: archived
        archive_url: https://web.archive.org/web/2015/https://old.example.org/
        """,
    "social/tl-mastodon.yml": """\
        name: "=HYPERLINK(\\"https://evil.example\\") librarians"
        url: https://lib.social/@tl
        kind: social
        description: A Mastodon account sharing school library news every day.
        handles: {mastodon: "@tl@lib.social"}
        """,
    "webinars/first-monday-cafe.yml": """\
        name: First Monday Café
        url: https://cafe.example.org/
        kind: webinar
        description: Free evening webinars for teacher librarians, recorded for later.
        hashtag: "#tlcafe"
        schedule:
          text: First Monday of the month, 8 pm Eastern
          rrule: FREQ=MONTHLY;BYDAY=1MO
          time: "20:00"
          timezone: America/New_York
          duration_minutes: 90
          start: "2026-01-01"
        """,
    "webinars/someday-chat.yml": """\
        name: Someday Chat
        url: https://someday.example.org/
        kind: chat
        description: A chat that meets when its hosts find the time, announced a week ahead.
        schedule: Whenever the hosts announce it
        """,
}


@pytest.fixture
def kit_dir(tmp_path: Path) -> Path:
    return write_kit(tmp_path, RESOURCES, binder=BINDER)


def export(kit_dir: Path, fmt: str, *extra: str) -> bytes:
    out = kit_dir.parent / f"out.{fmt}"
    assert (
        main(
            [
                "export",
                fmt,
                str(kit_dir),
                "-o",
                str(out),
                "--cache-dir",
                str(kit_dir.parent / "cache"),
                *extra,
            ]
        )
        == 0
    )
    return out.read_bytes()


def test_opml_has_a_folder_per_tab_and_both_urls(kit_dir: Path) -> None:
    root = ET.fromstring(export(kit_dir, "opml"))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Export Binder"
    folders = root.findall("body/outline")
    assert [f.get("text") for f in folders] == ["Blogs & feeds", "Social"]
    blog = folders[0].find("outline")
    assert blog is not None
    assert blog.get("xmlUrl") == "https://delta.example.org/feed/"
    assert blog.get("htmlUrl") == "https://delta.example.org/"
    assert blog.get("type") == "rss"
    assert blog.get("description") == "A lively blog about school library makerspaces and reading."
    social = folders[1].find("outline")
    assert social is not None and social.get("xmlUrl") == "https://lib.social/@tl.rss"
    assert len(folders[0].findall("outline")) == 1  # the archived blog is history


def test_opml_per_tab(kit_dir: Path) -> None:
    root = ET.fromstring(export(kit_dir, "opml", "--tab", "social"))
    assert [f.get("text") for f in root.findall("body/outline")] == ["Social"]


def test_mastodon_follow_list(kit_dir: Path) -> None:
    rows = list(csv.reader(io.StringIO(export(kit_dir, "mastodon-csv").decode("utf-8"))))
    assert rows == [
        ["Account address", "Show boosts", "Notify on new posts", "Languages"],
        ["tl@lib.social", "true", "false", ""],
    ]


def test_json_api_carries_health_and_freshness(kit_dir: Path) -> None:
    document = json.loads(export(kit_dir, "json"))
    assert document["site_url"] == "https://kit.example.org/pln/"
    by_slug = {r["slug"]: r for r in document["resources"]}
    assert by_slug["delta-blog"]["health"]["state"] == "unchecked"
    assert by_slug["delta-blog"]["freshness"]["state"] == "unknown"
    assert by_slug["first-monday-cafe"]["freshness"]["state"] == "no feed"
    assert by_slug["first-monday-cafe"]["schedule"]["rrule"] == "FREQ=MONTHLY;BYDAY=1MO"
    assert "notes" not in by_slug["delta-blog"]


def test_csv_cannot_run_as_a_spreadsheet_formula(kit_dir: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export(kit_dir, "csv").decode("utf-8"))))
    assert len(rows) == len(RESOURCES)
    names = {r["slug"]: r["name"] for r in rows}
    assert names["tl-mastodon"].startswith("'=HYPERLINK")
    assert names["delta-blog"] == "Delta Blog"


def test_calendar_has_the_recurring_series_in_its_time_zone(kit_dir: Path) -> None:
    calendar = icalendar.Calendar.from_ical(export(kit_dir, "ics"))
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["First Monday Café"]
    event = events[0]
    eastern = ZoneInfo("America/New_York")
    assert event["DTSTART"].dt == dt.datetime(2026, 1, 5, 20, 0, tzinfo=eastern)
    assert event["DURATION"].dt == dt.timedelta(minutes=90)
    assert event["RRULE"]["FREQ"] == ["MONTHLY"] and event["RRULE"]["BYDAY"] == ["1MO"]
    assert str(event["UID"]) == "first-monday-cafe@kit.example.org"
    assert "#tlcafe" in str(event["DESCRIPTION"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_unknown_tab_is_a_usage_error(kit_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["export", "opml", str(kit_dir), "--tab", "nope"]) == 2
    assert "no tab 'nope'" in capsys.readouterr().err


def empty_kit(root: Path) -> Path:
    kit = root / "kit"
    kit.mkdir(parents=True)
    shutil.copy(ROOT / "kit" / "binder.yml", kit / "binder.yml")
    return kit


def test_opml_round_trip_recreates_the_same_feeds(tmp_path: Path) -> None:
    exported = tmp_path / "kit.opml"
    assert (
        main(
            [
                "export",
                "opml",
                str(ROOT / "kit"),
                "-o",
                str(exported),
                "--cache-dir",
                str(tmp_path / "cache"),
            ]
        )
        == 0
    )
    outlines = ET.parse(exported).getroot().iter("outline")
    feeds = {o.get("xmlUrl"): o.get("text") for o in outlines if o.get("xmlUrl")}
    assert len(feeds) >= 4
    kit = empty_kit(tmp_path / "new")
    assert main(["import-opml", str(exported), "--tab", "blogs", str(kit)]) == 0
    result = load_kit(kit)
    assert result.ok and result.kit is not None, [p.format() for p in result.problems]
    assert {r.feed: r.name for r in result.kit.resources} == feeds
    for path in (kit / "blogs").glob("*.yml"):
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../schema/resource.schema.json\n"
        )
    # Importing again finds every feed already there.
    assert main(["import-opml", str(exported), "--tab", "blogs", str(kit)]) == 0
    assert len(list((kit / "blogs").glob("*.yml"))) == len(feeds)


@pytest.mark.parametrize(
    ("name", "created", "skipped"),
    [("feedly.opml", 3, 0), ("inoreader.xml", 1, 3), ("subscriptions.xml", 3, 0)],
)
def test_feed_reader_exports_import_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture, name: str, created: int, skipped: int
) -> None:
    kit = empty_kit(tmp_path)
    assert main(["import-opml", str(OPML_DIR / name), "--tab", "blogs", str(kit)]) == 0
    out = capsys.readouterr().out
    assert f"imported {created} into" in out and f"skipped {skipped}" in out
    result = load_kit(kit)
    assert result.ok and result.kit is not None, [p.format() for p in result.problems]
    assert len(result.kit.resources) == created
    for resource in result.kit.resources:
        assert resource.kind == "blog" and len(resource.description) >= 20


def test_import_reports_what_it_skipped_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    kit = empty_kit(tmp_path)
    assert main(["import-opml", str(OPML_DIR / "inoreader.xml"), "--tab", "blogs", str(kit)]) == 0
    out = capsys.readouterr().out
    shown = out.replace(str(tmp_path) + "/", "")
    assert "created kit/blogs/free-technology-for-teachers.yml" in shown
    assert "skipped 'Free Technology for Teachers (comments)': already in the kit" in out
    assert "skipped 'Sneaky': xmlUrl must start with https:// or http://" in out
    assert "skipped 'Intranet': xmlUrl points at a local or private address" in out


def test_import_skips_resources_already_in_the_kit(tmp_path: Path) -> None:
    kit = write_kit(tmp_path, {"blogs/kq.yml": """\
        name: Knowledge Quest
        url: https://KnowledgeQuest.aasl.org/
        kind: blog
        description: AASL's blog, already curated in this kit by hand.
        """}, binder=BINDER)  # fmt: skip
    assert main(["import-opml", str(OPML_DIR / "feedly.opml"), "--tab", "blogs", str(kit)]) == 0
    names = sorted(p.stem for p in (kit / "blogs").glob("*.yml"))
    assert names == ["kq", "nerdy-book-club", "the-daring-librarian"]
    text = (kit / "blogs" / "nerdy-book-club.yml").read_text(encoding="utf-8")
    assert 'description: "Posts by readers, for readers:' in text


@pytest.mark.parametrize(
    ("name", "message"),
    [("entity-bomb.opml", "entity-bomb.opml:1:1: error: the document declares its own XML"),
     ("broken.opml", "broken.opml:5:3: error: not a readable OPML file (mismatched tag)")],
)  # fmt: skip
def test_bad_opml_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture, name: str, message: str
) -> None:
    kit = empty_kit(tmp_path)
    assert main(["import-opml", str(OPML_DIR / name), "--tab", "blogs", str(kit)]) == 1
    out = capsys.readouterr().out
    assert message in out
    assert "Traceback" not in out
    assert not (kit / "blogs").exists()
