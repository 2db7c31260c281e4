"""A tab split into pages, in a real browser: a deep link to a card on another page lands on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plnkit.kit.loader import load_kit
from plnkit.render.paging import kit_paging
from tests.browser.test_accessibility import NO_TRANSITIONS, SCHEMES, SET_SCHEME, _violations
from tests.large_kit import LARGE_TAB, build_large_site
from tests.site_server import serve_dir

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("large-browser")
    site = build_large_site(root, 450, archived_every=2)  # Link health's history: 2 pages
    with serve_dir(site) as base:
        yield base, root


def _second_page_slug(root: Path) -> tuple[str, str]:
    """(a slug on the tab's second page, that page's folder), as the built site has them."""
    kit = load_kit(root / "kit").kit
    assert kit is not None
    site = root / "site" / LARGE_TAB
    for page in sorted(p for p in site.iterdir() if (p / "index.html").is_file()):
        text = (page / "index.html").read_text(encoding="utf-8")
        slug = next(r.slug for r in kit.in_tab(LARGE_TAB) if f'id="{r.slug}"' in text)
        return slug, page.name
    raise AssertionError("the tab was not split")


def test_a_deep_link_to_the_tab_lands_on_the_card_on_its_page(
    page: Any, large_site: tuple[str, Path]
) -> None:
    base, root = large_site
    slug, folder = _second_page_slug(root)
    page.goto(f"{base}{LARGE_TAB}/#{slug}")
    page.wait_for_url(f"**/{LARGE_TAB}/{folder}/#{slug}")
    page.wait_for_function(f"() => document.getElementById('{slug}').hidden === false")
    assert page.get_attribute('[role="tab"][aria-selected="true"]', "aria-controls") == slug
    # A link naming no resource at all stays where it is.
    page.goto(f"{base}{LARGE_TAB}/#no-such-resource")
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/{LARGE_TAB}/#no-such-resource")


def test_a_link_back_to_the_first_page_from_a_later_one(
    page: Any, large_site: tuple[str, Path]
) -> None:
    base, root = large_site
    _slug, folder = _second_page_slug(root)
    kit = load_kit(root / "kit").kit
    assert kit is not None
    first = kit_paging(kit)[LARGE_TAB].pages[0].resources[0].slug
    page.goto(f"{base}{LARGE_TAB}/{folder}/#{first}")
    page.wait_for_url(f"**/{LARGE_TAB}/#{first}")
    page.wait_for_function(f"() => document.getElementById('{first}').hidden === false")


def test_a_deep_link_to_the_whole_kit_page_lands_on_the_card_in_its_tab(
    page: Any, large_site: tuple[str, Path]
) -> None:
    base, root = large_site
    slug, folder = _second_page_slug(root)
    page.goto(f"{base}all-resources/#{slug}")
    page.wait_for_url(f"**/{LARGE_TAB}/{folder}/#{slug}")
    page.wait_for_function(f"() => document.getElementById('{slug}').hidden === false")


def test_the_pager_keeps_the_stage_filter_from_page_to_page(
    page: Any, large_site: tuple[str, Path]
) -> None:
    base, root = large_site
    _slug, folder = _second_page_slug(root)
    page.goto(f"{base}{LARGE_TAB}/?stage=creation")
    page.wait_for_selector(".plnkit-binder.is-enhanced")
    page.click(f'.plnkit-pager a[data-href="{folder}/"]')
    page.wait_for_url(f"**/{LARGE_TAB}/{folder}/?stage=creation*")
    page.wait_for_selector(".plnkit-binder.is-enhanced")
    assert page.input_value(f"#filter--{LARGE_TAB}--stage") == "creation"
    shown = page.eval_on_selector_all(
        ".plnkit-card:not(.is-filtered-out)", "cards => cards.map(c => c.dataset.stages)"
    )
    assert all("creation" in stages.split() for stages in shown)


def test_the_split_pages_have_no_axe_violations(
    page: Any, large_site: tuple[str, Path], axe_source: str
) -> None:
    base, root = large_site
    _slug, folder = _second_page_slug(root)
    paths = [f"{LARGE_TAB}/{folder}/", "all-resources/", "link-health/", "link-health/history/2/"]
    found = {}
    for path in paths:
        page.goto(base + path)
        page.add_script_tag(content=axe_source)
        page.add_style_tag(content=NO_TRANSITIONS)
        # This test site configures no palette, so Material has only its light scheme here;
        # the new parts use the colours the default kit's pages are checked in both schemes.
        page.evaluate(SET_SCHEME, SCHEMES["light"])
        problems = _violations(page)
        if problems:
            found[path] = problems
    assert not found, found
