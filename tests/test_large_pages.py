"""Large kits in the site (issue 17): every generated page stays small, and every resource is
still found. A real build of 300 resources with 40 a page: the tab, the whole-kit page (now a
guide to the tabs) and the Link health page's long history list are all split."""

from __future__ import annotations

import html
import json
import re
import tempfile
from pathlib import Path

import pytest

from plnkit.kit.loader import load_kit
from plnkit.kit.model import Kit
from plnkit.links.view import LinkView
from plnkit.render.pages import RenderOptions, site_pages
from plnkit.render.state import SiteState
from tests.conftest import BINDER, build_site, write_kit
from tests.large_kit import LARGE_TAB, build_large_site, large_resources

LIMIT = 40
COUNT = 300
PAGE_MAX = 300 * 1024
CARD_ID = re.compile(r'<article class="plnkit-card" id="([^"]+)"')
HEALTH_ITEM = re.compile(r'<li class="plnkit-health-item"[^>]*><a href="([^"]+)">')
PAGE_MAP = re.compile(r'data-page-base="([^"]*)" data-page-map(-src)?="([^"]*)"')


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Kit]:
    root = tmp_path_factory.mktemp("large-pages")
    site = build_large_site(root, COUNT, limit=LIMIT, archived_every=3)
    kit = load_kit(root / "kit").kit
    assert kit is not None
    return site, kit


def _pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] != "assets"
    }


def _resolve(page: Path, href: str) -> tuple[Path, str]:
    """The built file a relative link leads to, and the fragment it names."""
    path, _sep, fragment = href.partition("#")
    target = (page.parent / path).resolve() if path else page.resolve()
    return (target / "index.html" if target.is_dir() else target), fragment


def test_no_generated_page_is_over_the_limits(built: tuple[Path, Kit]) -> None:
    site, _kit = built
    pages = _pages(site)
    for uri, text in pages.items():
        assert len(text.encode("utf-8")) < PAGE_MAX, uri
        assert len(CARD_ID.findall(text)) <= LIMIT, uri
        assert len(HEALTH_ITEM.findall(text)) <= LIMIT, uri
    # The pages that used to hold everything are split or summarised.
    assert not CARD_ID.search(pages["all-resources/index.html"])
    assert "link-health/history/2/index.html" in pages


def test_generated_pages_keep_their_titles(built: tuple[Path, Kit]) -> None:
    # The build lets a generated page's Markdown go once its HTML is made; the title, from the
    # page's front matter, must not fall back to the file name.
    site, _kit = built
    pages = _pages(site)
    titles = {u: re.findall(r"<title>(.*?)</title>", t)[0] for u, t in pages.items()}
    assert titles["all-resources/index.html"].startswith("Every resource - ")
    assert titles["link-health/history/2/index.html"].startswith("Kept for history (Page 2 of 3)")
    tab = [t for u, t in titles.items() if u.startswith(f"{LARGE_TAB}/")]
    assert tab and all(t.startswith("Communities: ") for t in tab)


def test_every_card_is_on_exactly_one_page(built: tuple[Path, Kit]) -> None:
    site, kit = built
    seen: dict[str, list[str]] = {}
    for uri, text in _pages(site).items():
        for slug in CARD_ID.findall(text):
            seen.setdefault(slug, []).append(uri)
    assert set(seen) == {r.slug for r in kit.resources}
    assert all(len(where) == 1 for where in seen.values()), seen


def test_every_archived_resource_is_listed_once_and_its_link_lands_on_its_card(
    built: tuple[Path, Kit],
) -> None:
    site, kit = built
    listed: list[str] = []
    for page in sorted((site / "link-health").rglob("index.html")):
        for href in HEALTH_ITEM.findall(page.read_text(encoding="utf-8")):
            target, slug = _resolve(page, html.unescape(href))
            assert f'id="{slug}"' in target.read_text(encoding="utf-8"), (page, href)
            listed.append(slug)
    archived = sorted(r.slug for r in kit.resources if not r.is_current)
    assert len(archived) == COUNT // 3
    assert sorted(listed) == archived


def test_the_link_health_list_pages_link_to_each_other(built: tuple[Path, Kit]) -> None:
    site, _kit = built
    summary = site / "link-health" / "index.html"
    assert 'href="history/"' in summary.read_text(encoding="utf-8")
    folder = site / "link-health" / "history"
    pages = [folder / "index.html", *sorted(folder.glob("*/index.html"))]
    assert len(pages) == -(-(COUNT // 3) // LIMIT)
    for number, page in enumerate(pages, start=1):
        text = page.read_text(encoding="utf-8")
        assert f"Page {number} of {len(pages)}" in text
        for rel, neighbour in (("prev", number - 1), ("next", number + 1)):
            found = re.search(rf'<a href="([^"]+)" rel="{rel}">', text)
            assert bool(found) == (1 <= neighbour <= len(pages)), (page, rel)
            if found:
                assert _resolve(page, found.group(1))[0] == pages[neighbour - 1].resolve()


def test_a_deep_link_to_the_whole_kit_page_is_mapped_to_the_page_holding_the_card(
    built: tuple[Path, Kit],
) -> None:
    site, kit = built
    guide = site / "all-resources" / "index.html"
    text = guide.read_text(encoding="utf-8")
    base, from_file, data = PAGE_MAP.search(text).groups()  # type: ignore[union-attr]
    if from_file:
        data = (guide.parent / html.unescape(data)).read_text(encoding="utf-8")
    page_map = json.loads(html.unescape(data))
    assert set(page_map["slugs"]) == {r.slug for r in kit.resources}
    later = 0
    for slug, index in page_map["slugs"].items():
        target, _fragment = _resolve(guide, base + page_map["pages"][index])
        assert f'id="{slug}"' in target.read_text(encoding="utf-8"), slug
        later += target.parent.parent.name == LARGE_TAB
    assert later  # some cards live past their tab's first page


def test_the_guide_links_each_stage_to_the_tabs_filtered_by_it(built: tuple[Path, Kit]) -> None:
    site, kit = built
    text = (site / "all-resources" / "index.html").read_text(encoding="utf-8")
    creation = sum("creation" in r.stages and r.tab == LARGE_TAB for r in kit.resources)
    assert f'href="../{LARGE_TAB}/?stage=creation"' in text
    assert f"({creation} resources)" in text
    # A split tab's pager keeps a reader's filters from page to page (the binder script).
    pager = (site / LARGE_TAB / "index.html").read_text(encoding="utf-8")
    assert "data-keep-query" in pager


def _french_pages(tmp_path: Path) -> dict[str, str]:
    write_kit(tmp_path, large_resources(COUNT, archived_every=3), BINDER)
    kit = load_kit(tmp_path / "kit").kit
    assert kit is not None
    dead = {r.slug: LinkView(health="dead") for r in kit.resources[: LIMIT * 2]}
    options = RenderOptions(language="fr", max_resources_per_page=LIMIT)
    return site_pages(kit, SiteState(links=dead), options)


def test_the_pagers_speak_french(tmp_path: Path) -> None:
    pages = _french_pages(tmp_path)
    tab = pages[f"{LARGE_TAB}/index.md"]
    assert f"{COUNT} ressources sur" in tab and "pages, par nom" in tab
    assert "resources on" not in tab and 'aria-label="Pages de Communities"' in tab
    second = pages["link-health/dead/2/index.md"]
    assert "Page 2 sur 2" in second and "Précédente" in second and "Liens morts" in second
    assert "Previous" not in second and "Page 2 of" not in second
    first = pages["link-health/dead/index.md"]
    assert "Suivante" in first and "Dernière page" not in first  # two pages: no "last" link
    health = pages["link-health/index.md"]
    assert "voir la liste" in health and "see the list" not in health
    guide = pages["all-resources/index.md"]
    assert "Par étape" in guide and "Par onglet" in guide and "Ce kit compte" in guide


def test_the_pages_written_for_mkdocs_are_removed_after_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    write_kit(tmp_path / "project", large_resources(60), BINDER)
    site = build_site(tmp_path / "project")
    assert CARD_ID.search((site / LARGE_TAB / "index.html").read_text(encoding="utf-8"))
    assert list(scratch.iterdir()) == []
    assert not (tmp_path / "project" / ".cache").exists()  # an offline build stores nothing
