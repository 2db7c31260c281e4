"""The binder in a real browser: deep links, filters in the URL, and the no-JavaScript page."""

from __future__ import annotations

from typing import Any

import pytest

from plnkit.kit.loader import load_kit
from tests.browser.conftest import open_context
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

KIT = load_kit(ROOT / "kit").kit
# What a sighted reader sees, not just the attribute: CSS must honour `hidden` too.
VISIBLE_COUNT = "els => els.filter(e => e.checkVisibility()).length"
CONTROLS = "e => e.getAttribute('aria-controls')"


def selected(page: Any) -> str:
    return page.get_attribute('[role="tab"][aria-selected="true"]', "aria-controls")


def shown_tabs(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        '[role="tab"]', f"els => els.filter(e => e.checkVisibility()).map({CONTROLS})"
    )


def test_deep_link_opens_the_right_sub_tab(page: Any, site_url: str) -> None:
    slug = KIT.in_tab("communities")[2].slug
    page.goto(f"{site_url}communities/#{slug}")
    assert selected(page) == slug
    assert page.is_visible(f"#{slug}")
    assert page.eval_on_selector_all('[role="tabpanel"]', VISIBLE_COUNT) == 1
    # Search results point at the card's heading; the binder opens its card and tidies the URL.
    page.goto(f"{site_url}webinars/#tl-virtual-cafe--name")
    assert selected(page) == "tl-virtual-cafe"
    assert page.url.endswith("/webinars/#tl-virtual-cafe")
    # A new hash on the same page (a search result, a pasted link) switches sub-tabs too.
    page.evaluate("location.hash = '#aasl-gatherings'")
    page.wait_for_function("() => document.getElementById('aasl-gatherings').hidden === false")
    assert selected(page) == "aasl-gatherings"


def test_start_here_links_open_the_resource_in_its_tab(page: Any, site_url: str) -> None:
    slug = next(  # the first community on the connection stage's list
        r.slug for r in KIT.resources if r.tab == "communities" and "connection" in r.stages
    )
    page.goto(site_url + "start-here/")
    link = page.locator(f'#stage--connection ~ ul a[href="../communities/#{slug}"]')
    link.click()
    page.wait_for_url(f"**/communities/#{slug}")
    assert selected(page) == slug


def test_filters_are_read_from_the_url(page: Any, site_url: str) -> None:
    chat_res = [r for r in KIT.in_tab("social") if r.kind == "chat"]
    chats = [r.slug for r in chat_res]
    page.goto(site_url + "social/?kind=chat")
    assert page.input_value('select[data-filter="kind"]') == "chat"
    assert shown_tabs(page) == chats
    hidden = [r.slug for r in KIT.in_tab("social") if r.kind != "chat"]
    assert hidden and not any(page.is_visible(f"#tab--{slug}") for slug in hidden)
    # A deep link to a resource the filter hides wins: the filters are cleared.
    other = next(r.slug for r in KIT.in_tab("social") if r.kind != "chat")
    page.goto(f"{site_url}social/?kind=chat#{other}")
    assert selected(page) == other
    assert "kind=" not in page.url
    # Filters that match nothing say so and offer a way back.
    tag = next(
        t for r in KIT.in_tab("social") for t in r.tags if all(t not in c.tags for c in chat_res)
    )
    page.goto(f"{site_url}social/?kind=chat&tag={tag}")
    assert shown_tabs(page) == []
    assert page.is_visible(".plnkit-binder__empty")
    assert page.eval_on_selector_all('[role="tabpanel"]', VISIBLE_COUNT) == 0
    page.click(".plnkit-binder__reset")
    assert len(shown_tabs(page)) == len(KIT.in_tab("social"))
    assert "kind=" not in page.url


def test_without_javascript_every_resource_is_visible_and_linked(
    browser: Any, site_url: str
) -> None:
    context = open_context(browser, java_script_enabled=False)
    page = context.new_page()
    try:
        for tab in KIT.binder.tabs:
            page.goto(f"{site_url}{tab.id}/")
            for resource in KIT.in_tab(tab.id):
                card = page.locator(f"article#{resource.slug}")
                assert card.is_visible(), resource.slug
                gone = not resource.is_current and resource.archive_url
                expected = resource.archive_url if gone else resource.url
                assert card.locator("a.plnkit-open").get_attribute("href") == expected
            assert not page.is_visible(".plnkit-filters")
            assert page.locator('[role="tablist"]').count() == 0
    finally:
        context.close()
