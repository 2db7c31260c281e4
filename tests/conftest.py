"""Shared fixtures: small kits written into tmp_path and real MkDocs builds of them."""

from __future__ import annotations

import os
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

import plnkit.kit.checked_file

ROOT = Path(__file__).resolve().parent.parent
MODELINE = "# yaml-language-server: $schema=../schema/resource.schema.json\n"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

BINDER = """\
title: Test Binder
short_title: Test
description: A binder for tests.
intro: Hello **librarians**.
tabs:
  - {id: start-here, title: Start here, intro: Begin here.}
  - {id: communities, title: Communities, intro: Places to talk.}
  - {id: blogs, title: "Blogs & feeds"}
"""

RESOURCES = {
    "communities/alpha-ning.yml": """\
        name: Alpha Ning
        url: https://alpha.example.org/
        kind: community
        description: A community where school librarians trade *lesson ideas* daily.
        stages: [consumption, connection]
        tags: [ning, school-libraries]
        cost: free
        sources: [https://alpha.example.org/about]
        """,
    "blogs/beta-blog.yml": """\
        name: Beta Blog
        url: https://beta.example.org/blog
        kind: blog
        description: Reflections on running a busy middle-school library.
        stages: [consumption]
        tags: [ning, school-libraries]
        feed: https://beta.example.org/feed.xml
        status: archived
        archive_url: https://web.archive.org/web/2020/https://beta.example.org/blog
        sources: [https://beta.example.org/blog/about]
        """,
    "start-here/gamma-guide.yml": """\
        name: Gamma Guide
        url: https://gamma.example.org/start
        kind: guide
        description: A short guide to building your first personal learning network.
        stages: [consumption, contribution]
        sources: [https://gamma.example.org/about]
        """,
}

MKDOCS_YML = """\
site_name: Test Kit
theme:
  name: material
  features: [navigation.tabs]
plugins:
  - search
  - plnkit:
      offline: true
"""


def write_kit(root: Path, resources: dict[str, str] | None = None, binder: str = BINDER) -> Path:
    """A kit folder under `root` with the given resource files (path -> YAML body)."""
    kit = root / "kit"
    kit.mkdir(parents=True, exist_ok=True)
    (kit / "binder.yml").write_text(binder, encoding="utf-8")
    for rel, body in (RESOURCES if resources is None else resources).items():
        path = kit / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MODELINE + textwrap.dedent(body), encoding="utf-8")
    return kit


def build_site(root: Path, mkdocs_yml: str = MKDOCS_YML) -> Path:
    """A real MkDocs build of the project in `root`; returns the site folder."""
    docs = root / "docs"
    docs.mkdir(exist_ok=True)
    if not (docs / "index.md").exists():
        (docs / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    config_file = root / "mkdocs.yml"
    config_file.write_text(mkdocs_yml, encoding="utf-8")
    config = load_config(str(config_file), site_dir=str(root / "site"))
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return root / "site"


@pytest.fixture
def small_kit(tmp_path: Path) -> Path:
    write_kit(tmp_path)
    return tmp_path


@pytest.fixture
def built_site(small_kit: Path) -> Path:
    return build_site(small_kit)


@pytest.fixture
def make_kit(tmp_path: Path) -> Callable[..., Path]:
    def make(resources: dict[str, str] | None = None, binder: str = BINDER) -> Path:
        return write_kit(tmp_path, resources, binder)

    return make


# --- The default kit's real site, built once per test session (binder, a11y, link tests) ---


@pytest.fixture
def parsed_here(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each resource file is parsed and checked in this process, by file name (the
    real function, counted; a worker process's parses stay in the worker)."""
    counted: Counter[str] = Counter()
    real = plnkit.kit.checked_file.check_parsed

    def check_parsed(doc, path: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        counted[path.name] += 1
        return real(doc, path, *args, **kwargs)

    monkeypatch.setattr(plnkit.kit.checked_file, "check_parsed", check_parsed)
    return counted

def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: drives Debian's Chromium through Playwright; skipped without Chromium and "
        "axe-core unless PLNKIT_REQUIRE_BROWSER=1, which makes a missing browser a failure",
    )


def build_default_site(root: Path) -> Path:
    """The project's own kit, docs and mkdocs.yml, built offline and strict into root/site."""
    import shutil

    for name in ("kit", "docs"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    saved = os.environ.get("PLNKIT_OFFLINE")
    os.environ["PLNKIT_OFFLINE"] = "1"
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=True)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        if saved is None:
            os.environ.pop("PLNKIT_OFFLINE", None)
        else:
            os.environ["PLNKIT_OFFLINE"] = saved
    return root / "site"


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_default_site(tmp_path_factory.mktemp("default-kit"))


@pytest.fixture(scope="session")
def engine_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The default kit built by `plnkit build` with each engine, once per session."""
    from tests.engine_sites import ENGINE_NAMES, build_with, copy_project

    project = copy_project(tmp_path_factory.mktemp("engines-default"))
    return {engine: build_with(engine, project) for engine in ENGINE_NAMES}
