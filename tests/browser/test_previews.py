"""Live previews: a sandboxed iframe for frameable pages, created only while its tab is selected.

The site is rendered from a kit and a `SiteState` saying which pages may be framed (what the
link checker records), then built by MkDocs; the framed page is served by the same local server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from plnkit.kit.loader import load_kit
from plnkit.links.view import LinkView
from plnkit.render.pages import nav, site_pages
from plnkit.render.state import SiteState
from plnkit.site.build import ASSETS
from tests.browser.test_keyboard import tab_until
from tests.conftest import ROOT, write_kit
from tests.site_server import serve_dir

pytestmark = pytest.mark.browser

FRAMED_PAGE = (
    "<!doctype html><html lang='en'><title>Framed</title>"
    "<p id='hello'>Hello from the framed page</p><a id='inside' href='#hello'>A link inside</a>"
)


def _resource(name: str, url: str) -> str:
    return (
        f"name: {name}\nurl: {url}\nkind: community\n"
        "description: A page used to test the binder's live previews in a real browser.\n"
        "stages: [consumption]\n"
    )


def build_with_state(root: Path, site: Path, base: str) -> None:
    """Render the pages with an explicit state and build them with MkDocs (plugin off)."""
    kit_dir = write_kit(
        root,
        {
            "communities/framed.yml": _resource("A framed page", f"{base}frame.html"),
            "communities/plain.yml": _resource("B plain page", f"{base}plain.html"),
            "communities/framed-too.yml": _resource("C framed too", f"{base}frame.html?2"),
        },
    )
    kit = load_kit(kit_dir, allow_local=True).kit
    assert kit is not None
    state = SiteState(
        links=MappingProxyType(
            {
                "framed": LinkView(health="ok", embeddable=True),
                "plain": LinkView(health="ok", embeddable=False),
                "framed-too": LinkView(health="ok", embeddable=True),
            }
        )
    )
    docs = root / "docs"
    for uri, text in site_pages(kit, state).items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_text(text, encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    assets = ROOT / "plugins" / "plnkit" / "assets"
    for uri, name in ASSETS.items():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_bytes((assets / name).read_bytes())
    config = {
        "site_name": "Preview test",
        "theme": {"name": "material", "features": ["navigation.tabs"]},
        "nav": nav(kit),
        "extra_css": [u for u in ASSETS if u.endswith(".css")],
        "extra_javascript": [u for u in ASSETS if u.endswith(".js")],
        "plugins": ["search"],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)))
    (site / "frame.html").write_text(FRAMED_PAGE, encoding="utf-8")


@pytest.fixture(scope="module")
def preview_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("previews")
    site = root / "site"
    site.mkdir()
    with serve_dir(site) as base:
        build_with_state(root, site, base)
        yield base + "communities/"


def frames(page: Any) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        "iframe",
        """els => els.map(f => ({panel: f.closest('[role=tabpanel]').id, src: f.src,
            sandbox: f.getAttribute('sandbox'), loading: f.getAttribute('loading'),
            title: f.title}))""",
    )


def test_preview_loads_only_for_the_selected_frameable_page(page: Any, preview_url: str) -> None:
    page.goto(preview_url)
    [frame] = frames(page)
    assert frame["panel"] == "framed"
    assert frame["src"].endswith("/frame.html")
    assert set(frame["sandbox"].split()) == {
        "allow-scripts",
        "allow-same-origin",
        "allow-forms",
        "allow-popups",
    }
    assert frame["loading"] == "lazy"
    assert frame["title"] == "Live preview of A framed page"
    framed = page.frame_locator("#framed iframe")
    assert framed.locator("#hello").inner_text() == "Hello from the framed page"

    page.click("#tab--plain")
    assert frames(page) == []  # not frameable: its card alone, and the old preview is gone
    assert page.is_visible("#plain a.plnkit-open")
    page.click("#tab--framed-too")
    assert [f["panel"] for f in frames(page)] == ["framed-too"]


def test_preview_is_reached_and_used_from_the_keyboard(page: Any, preview_url: str) -> None:
    page.goto(preview_url)
    tab_until(page, '[role="tab"][aria-selected="true"]')
    page.keyboard.press("End")
    assert [f["panel"] for f in frames(page)] == ["framed-too"]
    inner = page.frame_locator("#framed-too iframe").locator("#inside")
    inner.wait_for()
    # Tabbing into the preview lands on the framed page's first link: it is usable in place.
    tab_until(page, "#framed-too iframe", limit=15)
    assert inner.evaluate("el => el === document.activeElement && document.hasFocus()")


def test_binder_with_a_live_preview_passes_axe(
    page: Any, preview_url: str, axe_source: str
) -> None:
    from tests.browser.test_accessibility import _violations

    page.goto(preview_url)
    page.frame_locator("#framed iframe").locator("#hello").wait_for()
    page.add_script_tag(content=axe_source)
    assert _violations(page) == []


def test_preview_sits_below_the_description_and_says_why_when_there_is_none(
    page: Any, preview_url: str
) -> None:
    page.goto(preview_url)
    order = page.eval_on_selector(
        "#framed",
        """card => [...card.children].map(el => el.className)
            .filter(c => /plnkit-card__description|plnkit-preview/.test(c))""",
    )
    assert order == ["plnkit-card__description", "plnkit-preview"]
    page.click("#tab--plain")
    reason = page.locator("#plain .plnkit-card__nopreview")
    assert reason.is_visible()
    assert reason.inner_text() == (
        "No live preview: this site does not allow being shown inside another page."
    )


def _button_then_frame(page: Any, url: str, height: int) -> None:
    page.goto(url)
    assert frames(page) == []  # nothing loaded until the reader asks
    button = page.locator("#framed .plnkit-preview__show")
    assert button.is_visible() and button.inner_text().startswith("Show preview")
    page.click("#tab--framed-too")
    page.click("#tab--framed")  # switching sub-tabs still loads nothing
    assert frames(page) == []
    button.click()
    assert [f["panel"] for f in frames(page)] == ["framed"]
    assert not button.is_visible()
    box = page.locator("#framed iframe").bounding_box()
    assert box["height"] <= height / 3 + 1, box


def test_phones_get_a_show_preview_button_and_a_short_frame(
    browser: Any, preview_url: str
) -> None:
    from tests.browser.conftest import open_context

    context = open_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        _button_then_frame(context.new_page(), preview_url, 844)
    finally:
        context.close()


def test_save_data_gets_a_show_preview_button(browser: Any, preview_url: str) -> None:
    from tests.browser.conftest import open_context

    context = open_context(browser)  # a wide screen, but the reader asks to save data
    context.add_init_script(
        "Object.defineProperty(navigator, 'connection', {value: {saveData: true}})"
    )
    try:
        page = context.new_page()
        page.goto(preview_url)
        assert frames(page) == []
        page.click("#framed .plnkit-preview__show")
        assert [f["panel"] for f in frames(page)] == ["framed"]
    finally:
        context.close()
