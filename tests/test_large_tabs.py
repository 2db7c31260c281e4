"""Large tabs split into pages (plnkit.render.paging): a real build of a 450-resource tab."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from plnkit.kit.loader import load_kit
from plnkit.kit.model import Resource, Tab
from plnkit.render import pager as pager_module
from plnkit.render.pages import RenderOptions, site_pages
from plnkit.render.paging import kit_paging, paginate, paginate_to_fit, resource_href
from plnkit.render.state import SiteState
from tests.conftest import ROOT
from tests.large_kit import LARGE_TAB, build_large_site

PAGE_MAX = 300 * 1024
CARD_ID = re.compile(r'<article class="plnkit-card" id="([^"]+)"')
PAGE_MAP = re.compile(r'data-page-map="([^"]*)"')


def _cards(page: Path) -> list[str]:
    return CARD_ID.findall(page.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_large_site(tmp_path_factory.mktemp("large"), 450)


def _tab_pages(site: Path, tab: str = LARGE_TAB) -> list[Path]:
    return sorted((site / tab).rglob("index.html"))


def test_every_page_is_under_300_kb(large_site: Path) -> None:
    sizes = {
        p.relative_to(large_site).as_posix(): p.stat().st_size for p in large_site.rglob("*.html")
    }
    assert max(sizes.values()) < PAGE_MAX, sizes


def test_every_resource_is_on_exactly_one_page(large_site: Path) -> None:
    pages = _tab_pages(large_site)
    assert len(pages) >= 3
    seen: dict[str, list[str]] = {}
    for page in pages:
        for slug in _cards(page):
            seen.setdefault(slug, []).append(page.parent.name)
    assert len(seen) == 450
    assert all(len(where) == 1 for where in seen.values())


def test_each_page_maps_every_slug_to_the_page_holding_it(large_site: Path) -> None:
    tab_root = large_site / LARGE_TAB
    holder = {slug: page.parent for page in _tab_pages(large_site) for slug in _cards(page)}
    for page in _tab_pages(large_site):
        text = page.read_text(encoding="utf-8")
        found = PAGE_MAP.search(text)
        assert found, page
        data = json.loads(html.unescape(found.group(1)))
        assert set(data["slugs"]) == set(holder)
        for slug, index in data["slugs"].items():
            assert (tab_root / data["pages"][index]).resolve() == holder[slug].resolve()
        # The pager links every page of the tab, from wherever it is.
        base = "../" if page.parent != tab_root else ""
        for path in data["pages"]:
            assert f'href="{base}{path or "./"}"' in text


def test_the_nav_is_still_one_tab_per_binder_tab(large_site: Path) -> None:
    home = (large_site / "index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'<li class="md-tabs__item[^"]*">\s*<a href="([^"]+)"', home)
    assert [t.strip("./") for t in tabs] == ["", "start-here", "communities", "blogs"]


def test_start_here_links_to_the_page_holding_each_resource(large_site: Path) -> None:
    text = (large_site / "start-here" / "index.html").read_text(encoding="utf-8")
    links = re.findall(rf'href="\.\./{LARGE_TAB}/([^"#]*)#([^"]+)"', text)
    assert links
    for path, slug in links:
        assert slug in _cards(large_site / LARGE_TAB / path / "index.html")
    assert any(path for path, _slug in links)  # some live past the first page


def test_the_option_is_honoured(tmp_path: Path) -> None:
    site = build_large_site(tmp_path, 450, limit=100)
    counts = [len(_cards(page)) for page in _tab_pages(site)]
    assert sum(counts) == 450
    assert max(counts) <= 100 and len(counts) >= 5


def test_the_handout_prints_a_split_tab_in_part() -> None:
    kit = load_kit(ROOT / "kit").kit
    assert kit is not None
    pages = site_pages(kit, SiteState(), RenderOptions(max_resources_per_page=8))
    handout = pages["print/index.md"]
    assert "more in Communities" in handout
    assert handout.count('class="plnkit-handout__item"') < len(kit.resources)


def _resources(count: int) -> list[Resource]:
    names = [f"{letter}{n:03d} name" for letter in "ABCDEFGH" for n in range(count // 8)]
    return [
        Resource(name.replace(" ", "-").lower(), "t", Path("x"), name, "https://e.org/", "blog",
                 "x" * 20)
        for name in sorted(names, key=str.casefold)
    ]  # fmt: skip


def test_paginate_packs_whole_letters_and_cuts_big_ones() -> None:
    tab = Tab("t", "T")
    small = paginate(tab, _resources(80), 200)
    assert len(small.pages) == 1 and small.pages[0].uri == "t/index.md"
    paged = paginate(tab, _resources(80), 25)
    assert [p.label for p in paged.pages] == ["A–B", "C–D", "E–F", "G–H"]
    assert [p.uri for p in paged.pages][:2] == ["t/index.md", "t/c-d/index.md"]
    cut = paginate(tab, _resources(160), 15)  # 20 a letter: each letter in two runs
    assert all(len(p.resources) <= 15 for p in cut.pages)
    assert len({p.key for p in cut.pages}) == len(cut.pages)
    assert [p.label for p in cut.pages[:2]] == ["A000–A009", "A010–A019"]
    assert sum(len(p.resources) for p in cut.pages) == 160


def test_a_large_page_map_is_a_file_beside_the_tab(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pager_module, "INLINE_MAP_MAX", 10)
    kit = load_kit(ROOT / "kit").kit
    assert kit is not None
    pages = site_pages(kit, SiteState(), RenderOptions(max_resources_per_page=5))
    assert "communities/pages.json" in pages
    data = json.loads(pages["communities/pages.json"])
    assert set(data["slugs"]) == {r.slug for r in kit.in_tab("communities")}
    assert 'data-page-map-src="pages.json"' in pages["communities/index.md"]
    second = next(u for u in pages if u.startswith("communities/") and u.count("/") == 2)
    assert 'data-page-map-src="../pages.json"' in pages[second]


def test_small_kits_are_not_split() -> None:
    kit = load_kit(ROOT / "kit").kit
    assert kit is not None
    paging = kit_paging(kit)
    assert not any(p.split for p in paging.values())
    pages = site_pages(kit, SiteState())
    assert not any("plnkit-pager" in text for text in pages.values())
    resource = kit.in_tab("communities")[0]
    assert resource_href(paging, resource) == f"../communities/#{resource.slug}"


def test_a_tab_whose_pages_are_too_big_is_cut_again_until_each_fits() -> None:
    tab = Tab("t", "T")
    resources = _resources(160)
    rendered: list[int] = []

    def render_page(paging, page) -> str:  # 1 KB a card, as a heavy card with posts might be
        rendered.append(len(page.resources))
        return "x" * 1000 * len(page.resources)

    paging, texts = paginate_to_fit(tab, resources, 100, render_page, max_bytes=25_000)
    assert all(len(text) <= 25_000 for text in texts)
    assert [r.slug for p in paging.pages for r in p.resources] == [r.slug for r in resources]
    assert len(texts) == len(paging.pages)
    assert len(rendered) <= len(texts) + 2  # the first page too big stops the attempt
