"""Keyboard only: every binder tab, sub-tab and filter can be reached with Tab and worked."""

from __future__ import annotations

import re
from typing import Any

import pytest

from plnkit.kit.loader import load_kit
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

KIT = load_kit(ROOT / "kit").kit
# What a sighted reader sees, not just the attribute: CSS must honour `hidden` too.
VISIBLE_COUNT = "els => els.filter(e => e.checkVisibility()).length"
CONTROLS = "e => e.getAttribute('aria-controls')"


def tab_until(page: Any, selector: str, *, limit: int = 80, key: str = "Tab") -> int:
    """Press Tab until the focused element matches `selector`; returns how many presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"{selector} not reached in {limit} presses; focus is on {focused}")


def focused(page: Any, expression: str) -> Any:
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def selected_slug(page: Any) -> str:
    return page.get_attribute('[role="tab"][aria-selected="true"]', "aria-controls")


def visible_panels(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        '[role="tabpanel"]', "els => els.filter(e => e.checkVisibility()).map(e => e.id)"
    )


def test_each_binder_tab_is_reached_and_opened_by_keyboard(page: Any, site_url: str) -> None:
    for tab in KIT.binder.tabs:
        page.goto(site_url)
        tab_until(page, f'.md-tabs__link[href$="{tab.id}/"]')
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/{tab.id}/$"))
        assert page.locator('[role="tablist"]').count() == 1, tab.id


def test_sub_tabs_follow_the_aria_tabs_pattern(page: Any, site_url: str) -> None:
    slugs = [r.slug for r in KIT.in_tab("communities")]
    page.goto(site_url + "communities/")
    tab_until(page, '[role="tab"]')
    # Roving tabindex: the one sub-tab in the tab order is the selected one.
    assert focused(page, 'el.getAttribute("aria-selected")') == "true"
    assert focused(page, 'el.getAttribute("aria-controls")') == slugs[0]
    assert page.eval_on_selector_all('[role="tab"][tabindex="0"]', "els => els.length") == 1
    assert visible_panels(page) == [slugs[0]]

    page.keyboard.press("ArrowDown")
    assert focused(page, 'el.getAttribute("aria-controls")') == slugs[1]
    assert selected_slug(page) == slugs[1]
    assert visible_panels(page) == [slugs[1]]
    assert page.url.endswith(f"#{slugs[1]}")

    page.keyboard.press("End")
    assert selected_slug(page) == slugs[-1]
    page.keyboard.press("Home")
    assert selected_slug(page) == slugs[0]
    page.keyboard.press("ArrowUp")  # wraps around
    assert selected_slug(page) == slugs[-1]
    page.keyboard.press("ArrowRight")  # horizontal arrows work too (tabs wrap on phones)
    assert selected_slug(page) == slugs[0]

    # Tab leaves the tab list for the panel, then its links, ending on "Open".
    page.keyboard.press("Tab")
    assert focused(page, 'el.getAttribute("role")') == "tabpanel"
    assert focused(page, "el.id") == slugs[0]
    tab_until(page, f"#{slugs[0]} a.plnkit-open", limit=20)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.closest('[role=tabpanel]').id") == slugs[0]


def test_filters_work_from_the_keyboard_and_show_in_the_url(page: Any, site_url: str) -> None:
    resources = KIT.in_tab("social")
    page.goto(site_url + "social/")
    tab_until(page, 'select[data-filter="kind"]')
    before = page.input_value('select[data-filter="kind"]')
    page.keyboard.press("ArrowDown")  # a closed select changes value, as on a desktop browser
    kind = page.input_value('select[data-filter="kind"]')
    assert kind and kind != before
    expected = [r.slug for r in resources if r.kind == kind]
    assert f"kind={kind}" in page.url
    shown = page.eval_on_selector_all(
        '[role="tab"]', f"els => els.filter(e => e.checkVisibility()).map({CONTROLS})"
    )
    assert shown == expected
    assert selected_slug(page) == expected[0]
    assert "Showing" in page.inner_text(".plnkit-filters__count")

    tab_until(page, ".plnkit-filters__clear", limit=10)
    page.keyboard.press("Enter")
    page.wait_for_function("() => !location.search.includes('kind=')")
    assert page.input_value('select[data-filter="kind"]') == ""
    assert page.eval_on_selector_all('[role="tab"]', VISIBLE_COUNT) == len(resources)


def test_on_a_phone_the_filters_fold_away_and_open_from_the_keyboard(
    browser: Any, site_url: str
) -> None:
    from tests.browser.conftest import open_context

    context = open_context(browser, viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(site_url + "blogs/")
        assert not page.is_visible('select[data-filter="stage"]')
        tab_until(page, ".plnkit-filters summary")
        page.keyboard.press("Enter")
        tab_until(page, 'select[data-filter="stage"]', limit=3)
        # Arriving with a filter in the URL shows the filters that are in force.
        page.goto(site_url + "blogs/?stage=consumption")
        assert page.is_visible('select[data-filter="stage"]')
    finally:
        context.close()
