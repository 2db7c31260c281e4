"""The shipped kit: every file loads, and the real site, built offline, shows every resource."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
import yaml

from plnkit.kit.loader import load_kit, resource_files
from tests.conftest import ROOT

KIT = ROOT / "kit"
FILES = resource_files(KIT)


def test_default_kit_validates_clean_of_errors() -> None:
    result = load_kit(KIT)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    assert len(result.kit.resources) == len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(KIT).as_posix())
def test_each_file_starts_with_the_schema_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/resource.schema.json"


def test_kit_schema_copy_matches_the_packaged_schema() -> None:
    packaged = ROOT / "plugins" / "plnkit" / "schema" / "resource.schema.json"
    assert (KIT / "schema" / "resource.schema.json").read_bytes() == packaged.read_bytes()


def test_resources_the_kit_promises_are_present() -> None:
    kit = load_kit(KIT).kit
    urls = " ".join(r.url for r in kit.resources)
    for host in (
        "teacherlibrarian.ning.com",
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


def test_binder_tabs() -> None:
    binder = yaml.safe_load((KIT / "binder.yml").read_text(encoding="utf-8"))
    assert [t["title"] for t in binder["tabs"]] == [
        "Start here",
        "Communities",
        "Webinars",
        "Blogs & feeds",
        "Social & chats",
        "Blogging platforms",
        "Research & events",
    ]


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
        assert html.escape(resource.name, quote=True) in text, resource.name
    assert not (tmp_path / ".cache").exists(), "an offline build stores nothing"
