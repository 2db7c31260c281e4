"""Sites built by `plnkit build` with each engine, and what parity between them means.

Without an engine these tests are skipped with the reason in pytest's summary; with
PLNKIT_REQUIRE_ENGINES=1 (set by .ci/run) the same reason fails them instead, as with the
browser.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import pytest

from plnkit.adapters.engines import ENGINES
from plnkit.cli import main
from tests.conftest import ROOT

ENGINE_NAMES = ("mkdocs", "properdocs", "zensical")

CARD = re.compile(r'<article class="plnkit-card" id="([^"]+)"')
TOP_TAB = re.compile(r'<a href="([^"]*)" class="md-tabs__link[^"]*">\s*(.*?)\s*</a>', re.S)
# Time stamps in exports: ISO 8601 (Atom, JSON, OPML's RFC 822 dates) and iCalendar's.
STAMPS = (
    re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?"),
    re.compile(rb"\d{8}T\d{6}Z"),
    re.compile(rb"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d (?:[+-]\d{4}|GMT)"),
)
# What an engine may do to the binder's HTML without changing it for a reader: Zensical takes
# out the `data-search-exclude` marks once its search index has honoured them.
ENGINE_MARKS = re.compile(r" data-search-exclude(?:=\"[^\"]*\")?")


def engines_required() -> bool:
    return os.environ.get("PLNKIT_REQUIRE_ENGINES", "").strip().lower() in ("1", "true", "yes")


def need_engine(name: str) -> None:
    """Skip (a contributor's machine) or fail (CI) when an engine is not installed."""
    engine = ENGINES[name]
    if engine.available():
        return
    reason = engine.missing_message()
    if engines_required():
        pytest.fail(f"{reason} (PLNKIT_REQUIRE_ENGINES=1 makes every engine mandatory)")
    pytest.skip(reason)


def copy_project(root: Path) -> Path:
    """The project's own kit, docs and mkdocs.yml under `root`."""
    for name in ("kit", "docs"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def build_with(engine: str, project: Path, site: Path | None = None) -> Path:
    """`plnkit build --engine ENGINE --offline` of the project in `project`; the site folder."""
    need_engine(engine)
    site = site or project / f"site-{engine}"
    code = main(
        [
            "build",
            "--engine",
            engine,
            "--offline",
            "--config",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ]
    )
    assert code == 0, f"plnkit build --engine {engine} failed"
    return site


def binder_block(page: str) -> str | None:
    """The binder's HTML on a page (the `plnkit-binder` element), as the engine wrote it."""
    start = page.find('<div class="plnkit-binder"')
    if start < 0:
        return None
    depth = 0
    for match in re.finditer(r"<(/?)div\b", page[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return ENGINE_MARKS.sub("", page[start : start + match.end()])
    raise AssertionError("the binder's element is never closed")


def top_tabs(page: str) -> list[tuple[str, str]]:
    """The navigation tabs (href, title as text) in order."""
    return [(href, html.unescape(re.sub(r"<[^>]+>", "", text)).strip())
            for href, text in TOP_TAB.findall(page)]  # fmt: skip


def cards(page: str) -> list[str]:
    return CARD.findall(page)


def pages(site: Path) -> list[str]:
    """The site's pages (folder index.html files), less the engines' own search pages."""
    found = []
    for index in sorted(site.rglob("index.html")):
        rel = index.relative_to(site).as_posix()
        if not rel.startswith(("assets/", "search/")):
            found.append(rel)
    return found


def without_stamps(data: bytes) -> bytes:
    for stamp in STAMPS:
        data = stamp.sub(b"<time>", data)
    return data
