"""The browser tests, on the site each engine builds with `plnkit build`: axe-core finds no
WCAG 2.2 AA violation on any page (light and dark), the binder's sub-tabs work with the
keyboard and deep links, no page scrolls sideways at 375 px, and search finds a resource."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plnkit.kit.loader import load_kit
from tests.browser.conftest import open_context
from tests.browser.test_accessibility import NO_TRANSITIONS, SCHEMES, SET_SCHEME, _violations
from tests.conftest import ROOT
from tests.engine_sites import ENGINE_NAMES
from tests.site_server import page_paths, serve_dir

pytestmark = pytest.mark.browser

KIT = load_kit(ROOT / "kit").kit
RESULTS = re.compile(r"^\s*\d+ (results?|matching documents?)\s*$")


@pytest.fixture(scope="module", params=ENGINE_NAMES)
def engine_site(request: pytest.FixtureRequest, engine_sites: dict) -> Iterator[tuple[str, Path]]:
    site = engine_sites[request.param]
    with serve_dir(site) as base:
        yield base, site


def test_every_page_has_no_axe_violations(
    browser: Any, engine_site: tuple[str, Path], axe_source: str
) -> None:
    base, site = engine_site
    paths = page_paths(site)
    assert {"", "start-here/", "communities/", "print/"} <= set(paths)
    context = open_context(browser)
    page = context.new_page()
    found = {}
    try:
        for path in paths:
            page.goto(base + path)
            page.add_script_tag(content=axe_source)
            page.add_style_tag(content=NO_TRANSITIONS)
            for name, scheme in SCHEMES.items():
                page.evaluate(SET_SCHEME, scheme)
                problems = _violations(page)
                if problems:
                    found[f"{path or '/'} ({name})"] = problems
    finally:
        context.close()
    assert not found, "\n".join(f"{p}: {v}" for p, vs in found.items() for v in vs)


def test_sub_tabs_work_with_the_keyboard_and_deep_links(
    page: Any, engine_site: tuple[str, Path]
) -> None:
    base, _ = engine_site
    assert KIT is not None
    slugs = [r.slug for r in KIT.in_tab("communities")]
    page.goto(base + "communities/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('[role=\"tab\"]')"):
            break
    else:
        raise AssertionError("no sub-tab reached with Tab")
    controls = "document.activeElement.getAttribute('aria-controls')"
    assert page.evaluate(controls) == slugs[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate(controls) == slugs[1]
    assert page.evaluate("document.activeElement.getAttribute('aria-selected')") == "true"
    assert page.is_visible(f"#{slugs[1]}") and not page.is_visible(f"#{slugs[0]}")
    page.goto(f"{base}communities/#{slugs[-1]}")
    selected = page.get_attribute('[role="tab"][aria-selected="true"]', "aria-controls")
    assert selected == slugs[-1]
    assert page.is_visible(f"#{slugs[-1]}")


def test_no_page_scrolls_sideways_on_a_phone(browser: Any, engine_site: tuple[str, Path]) -> None:
    base, site = engine_site
    context = open_context(browser, viewport={"width": 375, "height": 800})
    page = context.new_page()
    too_wide = {}
    try:
        for path in page_paths(site):
            page.goto(base + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                too_wide[path or "/"] = width
    finally:
        context.close()
    assert not too_wide, f"pages wider than 375 px: {too_wide}"


def test_search_finds_a_resource(page: Any, engine_site: tuple[str, Path]) -> None:
    base, _ = engine_site
    page.goto(base + "communities/")
    # Both themes open search on "/", once their script has loaded: press it until the
    # search field has the focus, so no keystroke of the query lands on the page instead.
    # (Zensical's search lives in a shadow root: follow the focus into it.)
    focused = (
        "(() => { let e = document.activeElement;"
        " while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;"
        " return e; })()"
    )
    for _ in range(40):
        page.keyboard.press("/")
        if page.evaluate(f"{focused}.matches('input')"):
            break
        page.wait_for_timeout(250)
    else:
        raise AssertionError('"/" never put the focus in the search field')
    page.evaluate(f"{focused}.value = ''")  # a second "/" may have landed there
    page.keyboard.type("Future Ready")
    assert page.evaluate(f"{focused}.value") == "Future Ready"
    page.get_by_text(RESULTS).first.wait_for(state="visible", timeout=10_000)
    page.keyboard.press("Enter")  # the first result: the resource's card
    page.wait_for_url(re.compile(r"/communities/.*#future-ready-librarians"), timeout=10_000)
    assert page.is_visible("#future-ready-librarians")
