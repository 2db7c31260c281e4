"""What a reader meets on the built default kit, in a real browser (issue 16): no request to
anyone but the site, the Subscribe block, the head of every page, the contributor links and
Start here's links into the whole kit, filtered.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from tests.browser.conftest import open_context
from tests.conftest import ROOT, build_default_site
from tests.site_server import page_paths

pytestmark = pytest.mark.browser

REPO = "https://github.com/plnkit/pln-kit"
SUGGEST = f"{REPO}/issues/new?template=suggest-resource.yml"


def _status(page: Any, url: str) -> int:
    return page.evaluate("url => fetch(url, {cache: 'no-store'}).then(r => r.status)", url)


@pytest.fixture
def recorded(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page whose every request (also ones the test server would never see) is recorded."""
    context = open_context(browser)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        yield context.new_page(), requests
    finally:
        context.close()


def test_every_page_requests_only_the_sites_own_origin(
    recorded: tuple[Any, list[str]], site_url: str, default_site: Path
) -> None:
    page, requests = recorded
    own = urlsplit(site_url).netloc
    paths = page_paths(default_site)
    assert "" in paths and "start-here/" in paths
    for path in paths:
        page.goto(site_url + path, wait_until="networkidle")
    page.goto(site_url + "communities/?stage=consumption", wait_until="networkidle")
    foreign = sorted(
        {u for u in requests if u.startswith(("http", "ws")) and urlsplit(u).netloc != own}
    )
    assert foreign == [], "pages asked third parties for: " + ", ".join(foreign)
    # The repository link stays, without the widget that asks GitHub's API for stars.
    page.goto(site_url)
    assert page.locator(f'a.md-source[href="{REPO}"]').count() >= 1
    assert page.locator('[data-md-component="source"]').count() == 0


@pytest.fixture(scope="module")
def files_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default kit built as the release's offline copy (opened from disk)."""
    saved = os.environ.get("PLNKIT_FOR_FILES")
    os.environ["PLNKIT_FOR_FILES"] = "true"
    try:
        return build_default_site(tmp_path_factory.mktemp("files-site"))
    finally:
        if saved is None:
            os.environ.pop("PLNKIT_FOR_FILES", None)
        else:
            os.environ["PLNKIT_FOR_FILES"] = saved


def test_search_works_in_the_offline_copy_from_local_files(
    recorded: tuple[Any, list[str]], files_site: Path
) -> None:
    page, requests = recorded
    page.goto((files_site / "index.html").as_uri())
    page.click("input.md-search__input")
    page.keyboard.type("ning", delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() > 0
    assert [u for u in requests if not u.startswith(("file:", "data:", "about:"))] == []


@pytest.mark.parametrize("path", ["", "start-here/"])
def test_subscribe_block_links_every_export_with_what_it_is_for(
    page: Any, site_url: str, path: str
) -> None:
    page.goto(site_url + path)
    block = page.locator("section.plnkit-subscribe")
    assert block.is_visible()
    assert block.locator("#subscribe--kit").inner_text() == "Subscribe and follow"
    text = block.inner_text()
    for reader in ("Feedly", "Inoreader", "NetNewsWire", "FreshRSS"):
        assert reader in text
    hrefs = block.locator("a").evaluate_all("els => els.map(a => a.href)")
    names = {urlsplit(h).path.rsplit("/", 1)[-1] for h in hrefs}
    assert {"kit.opml", "follow-mastodon.csv", "follow-bluesky.txt", "calendar.ics",
            "feed.xml", "kit.json", "communities.opml"} <= names  # fmt: skip
    for href in hrefs:
        assert _status(page, href) == 200, href
    # Each link says what it is for: the text after it on its line.
    items = block.locator("ul.plnkit-subscribe__files > li").evaluate_all(
        "els => els.map(li => li.textContent)"
    )
    assert all(":" in item and len(item.split(":", 1)[1].strip()) > 20 for item in items)
    bluesky = page.evaluate("u => fetch(u).then(r => r.text())", site_url + "follow-bluesky.txt")
    assert bluesky.splitlines() and all(
        line.startswith("@") and " " not in line for line in bluesky.splitlines()
    )


def test_head_of_every_page_shares_well_and_names_the_feed(
    page: Any, site_url: str, default_site: Path
) -> None:
    for path in page_paths(default_site):
        page.goto(site_url + path)
        meta = page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll(
                'meta[property^="og:"], meta[name^="twitter:"]')]
                .map(m => [m.getAttribute('property') || m.name, m.content]))"""
        )
        for key in ("og:title", "og:description", "og:image", "twitter:card", "twitter:title"):
            assert meta.get(key), f"{path}: no {key}"
        assert page.title().startswith(meta["og:title"].split(" · ")[0]), path
        feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
        assert feed.count() == 1, path
        assert _status(page, feed.evaluate("l => l.href")) == 200
    assert _status(page, site_url + "robots.txt") == 200
    # The feed's own page link names a page of this build (no posts offline: the home page).
    atom = page.evaluate("u => fetch(u).then(r => r.text())", site_url + "feed.xml")
    assert "recent/" not in atom or (default_site / "recent" / "index.html").is_file()


def test_suggest_on_every_tab_and_home_and_edit_on_every_card(page: Any, site_url: str) -> None:
    binder = yaml.safe_load((ROOT / "kit" / "binder.yml").read_text(encoding="utf-8"))
    page.goto(site_url)
    assert page.locator(f'a.plnkit-suggest__link[href="{SUGGEST}"]').count() == 1
    for tab in binder["tabs"]:
        page.goto(f"{site_url}{tab['id']}/")
        assert page.locator(f'a.plnkit-suggest__link[href="{SUGGEST}"]').is_visible(), tab["id"]
        cards = page.eval_on_selector_all(
            ".plnkit-card",
            "els => els.map(c => [c.id, (c.querySelector('a.plnkit-card__edit') || {}).href])",
        )
        assert cards, tab["id"]
        for slug, href in cards:
            assert href == f"{REPO}/edit/main/kit/{tab['id']}/{slug}.yml", slug
            assert (ROOT / "kit" / tab["id"] / f"{slug}.yml").is_file()


def test_start_here_more_links_open_the_whole_kit_filtered(page: Any, site_url: str) -> None:
    page.goto(site_url + "start-here/")
    more = page.locator(".plnkit-stages__more a").first
    assert more.count() == 1, "the default kit should have a stage with more than six"
    more.click()
    page.wait_for_url("**/all-resources/?stage=*")
    stage = page.url.rsplit("=", 1)[1]
    shown = page.eval_on_selector_all(
        ".plnkit-subtab:not([hidden])", "els => els.map(t => t.getAttribute('aria-controls'))"
    )
    hidden = page.eval_on_selector_all(".plnkit-subtab[hidden]", "els => els.length")
    assert shown and hidden > 0
    for slug in shown:
        stages = page.get_attribute(f"article#{slug}", "data-stages") or ""
        assert stage in stages.split(), slug
    assert len(shown) > 6  # more than Start here lists, from across the kit
