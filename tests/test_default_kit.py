"""The shipped kit: every file loads, and the real site, built offline, shows every resource."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from plnkit.cli import main
from plnkit.exports.ics import schedule_calendar
from plnkit.exports.mastodon_csv import mastodon_csv
from plnkit.kit.loader import load_kit, resource_files
from tests.conftest import ROOT

KIT = ROOT / "kit"
FILES = resource_files(KIT)


def test_default_kit_validates_clean_of_errors() -> None:
    result = load_kit(KIT)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    assert len(result.kit.resources) == len(FILES) >= 80


def test_every_default_kit_file_names_its_sources() -> None:
    """Each file cites at least one page for its facts, so validate warns about none."""
    result = load_kit(KIT)
    assert result.ok
    unsourced = [r.slug for r in result.kit.resources if not r.sources]
    assert not unsourced, unsourced
    warnings = [p.format() for p in result.problems if "`sources`" in p.message]
    assert not warnings, warnings


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(KIT).as_posix())
def test_each_file_starts_with_the_schema_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/resource.schema.json"


def test_kit_schema_copy_matches_the_packaged_schema() -> None:
    packaged = ROOT / "plugins" / "plnkit" / "schema" / "resource.schema.json"
    assert (KIT / "schema" / "resource.schema.json").read_bytes() == packaged.read_bytes()


def test_resources_the_kit_promises_are_present() -> None:
    """The 2013 article's addresses stay in the kit: as the url, or as the archived copy
    when the resource moved or closed."""
    kit = load_kit(KIT).kit
    urls = " ".join(f"{r.url} {r.archive_url or ''}" for r in kit.resources)
    for host in (
        "teacherlibrarian.ning.com",
        "teacherlibrarian.org",
        "tlvirtualcafe",
        "simplek12.com",
        "classroom20.com",
        "edupln.ning.com",
        "paper.li",
        "google.com/reader",
        "librarygirl.net",
        "wordpress.com",
        "blogger.com",
        "edublogs.org",
        "knowledgequest.aasl.org",
        "ala.org/aasl",
        "iste.org",
        "bsky.app",
    ):
        assert host in urls, host
    reader = next(r for r in kit.resources if "google.com/reader" in r.url)
    assert reader.status == "retired" and reader.archive_url
    for resource in kit.resources:
        if resource.status != "active":
            assert resource.archive_url or resource.notes, resource.slug


# Every address the 2013 article gave (shared source-article.txt).
ARTICLE_ADDRESSES = (
    "teacherlibrarian.ning.com", "classroom20.com", "edupln.ning.com",
    "tlvirtualcafe.wikispaces.com", "simplek12.com", "google.com/reader", "paper.li/tag/tlchat",
    "librarygirl.net/2012/07/pln-starter-kit.html", "www.wordpress.com", "www.blogger.com",
    "www.edublogs.org", "ala.org/aasl/knowledgequest/slr",
)  # fmt: skip


@pytest.mark.parametrize("address", ARTICLE_ADDRESSES)
def test_the_article_resources_keep_their_fate_and_successor(address: str) -> None:
    """Each resource of the 2013 article stays, saying what became of it: its status in so
    many words, an archived copy when it moved or closed, and, once it is no longer active,
    the resource to use instead."""
    kit = load_kit(KIT).kit
    found = [r for r in kit.resources if address in f"{r.url} {r.archive_url or ''}"]
    assert found, address
    resource = found[0]
    assert "original-article" in resource.tags, resource.slug
    data = yaml.safe_load(resource.path.read_text(encoding="utf-8"))
    assert data.get("status") in ("active", "archived", "retired"), resource.slug
    if address not in resource.url or resource.status != "active":
        assert resource.archive_url and address in resource.archive_url, resource.slug
    if resource.status != "active":
        assert resource.replaced_by in kit.by_slug(), resource.slug


def test_the_follow_list_and_the_calendar_have_entries() -> None:
    kit = load_kit(KIT).kit
    rows = list(csv.reader(io.StringIO(mastodon_csv(kit))))
    assert len(rows) >= 2 and all("@" in row[0] for row in rows[1:])
    current = [r for r in kit.resources if r.is_current]
    bluesky = {r.handles["bluesky"] for r in current if "bluesky" in r.handles}
    assert len(bluesky) >= 5
    now = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)
    calendar = schedule_calendar(kit, now).decode("utf-8")
    assert calendar.count("BEGIN:VEVENT") >= 2
    assert "SUMMARY:#TLSkyChat on Bluesky" in calendar
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE" in calendar


def test_the_json_api_carries_each_resource_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLNKIT_OFFLINE", "1")
    out = tmp_path / "kit.json"
    args = ["export", "json", str(KIT), "-o", str(out), "--cache-dir", str(tmp_path / "c")]
    assert main(args) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    by_slug = {r.slug: r for r in load_kit(KIT).kit.resources}
    for item in document["resources"]:
        assert item["sources"] == list(by_slug[item["slug"]].sources), item["slug"]


SHARED_RUN = 7  # words in a row two descriptions may not share


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9#'-]+", text.lower())
    return {tuple(words[i : i + SHARED_RUN]) for i in range(len(words) - SHARED_RUN + 1)}


def test_no_description_repeats_another() -> None:
    """Each description is written for its own resource: no two share a run of words."""
    resources = load_kit(KIT).kit.resources
    runs = {r.slug: _runs(r.description) for r in resources}
    for a, b in itertools.combinations(resources, 2):
        shared = runs[a.slug] & runs[b.slug]
        assert not shared, f"{a.slug} and {b.slug} share {' '.join(sorted(shared)[0])!r}"


def test_binder_tabs() -> None:
    binder = yaml.safe_load((KIT / "binder.yml").read_text(encoding="utf-8"))
    assert [t["title"] for t in binder["tabs"]] == [
        "Start here",
        "Communities",
        "Webinars",
        "Blogs & feeds",
        "Podcasts & newsletters",
        "Social & chats",
        "Blogging & curation",
        "Research & events",
    ]
    assert all(t["intro"].strip() and "\n" not in t["intro"].strip() for t in binder["tabs"])


def test_real_site_offline_shows_every_resource(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The project's own mkdocs.yml, built with no network, names every resource."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    for name in ("kit", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.setenv("PLNKIT_OFFLINE", "1")
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    build(config)
    site = tmp_path / "site"
    assert (site / "index.html").is_file()
    text = "".join(p.read_text(encoding="utf-8") for p in site.glob("*/index.html"))
    for resource in load_kit(tmp_path / "kit").kit.resources:
        assert str(escape(resource.name)) in text, resource.name
        assert str(escape(resource.sources[0])) in text, resource.slug
    assert text.count('<p class="plnkit-card__label">Sources</p>') >= len(FILES)
    assert not (tmp_path / ".cache").exists(), "an offline build stores nothing"
