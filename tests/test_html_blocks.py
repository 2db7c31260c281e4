"""The MkDocs adapter sets a generated page's big HTML blocks aside while Python-Markdown
converts the page, and puts them back: the page's HTML must come out exactly the same."""

from __future__ import annotations

import markdown
import pytest

from plnkit.kit.loader import load_kit
from plnkit.render.pages import RenderOptions, site_pages
from plnkit.site.html_blocks import set_aside
from plnkit.site.site_config import DEFAULTS
from tests.conftest import ROOT
from tests.test_languages import state_for


def _convert(text: str) -> str:
    names, configs = [], {}
    for item in DEFAULTS["markdown_extensions"]:
        if isinstance(item, dict):
            ((name, config),) = item.items()
            names.append(name)
            configs[name] = config
        else:
            names.append(item)
    return markdown.Markdown(extensions=names, extension_configs=configs).convert(text)


def _body(page: str) -> str:
    """The page without its front matter (MkDocs strips it before the conversion)."""
    return page.split("\n---\n", 1)[1] if page.startswith("---\n") else page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_generated_page_converts_to_the_same_html(language: str) -> None:
    kit = load_kit(ROOT / "kit").kit
    assert kit is not None
    options = RenderOptions(calendar_events=frozenset(r.slug for r in kit.resources),
                            language=language)  # fmt: skip
    pages = site_pages(kit, state_for(kit), options)
    set_aside_somewhere = 0
    for uri, page in pages.items():
        body = _body(page)
        aside = set_aside(body)
        set_aside_somewhere += len(aside.blocks)
        assert aside.put_back(_convert(aside.markdown)) == _convert(body), uri
    assert set_aside_somewhere >= len(kit.binder.tabs), "every tab's binder is set aside"


def test_small_blocks_inline_html_and_markdown_are_left_to_markdown() -> None:
    page = "\n\n".join([
        "A *short* intro.",
        '<div class="small">tiny</div>',
        '<span class="inline">' + "y" * 3000 + "</span>",  # not block-level: Markdown wraps it
        '<div class="open">' + "z" * 3000,  # never closed: Markdown decides what it is
    ])  # fmt: skip
    assert set_aside(page).blocks == {}


def test_a_marker_from_one_build_is_not_one_of_another() -> None:
    page = '<div class="big">' + "x" * 3000 + "</div>"
    first, second = set_aside(page), set_aside(page)
    assert first.blocks.keys() != second.blocks.keys()
    assert second.put_back(first.markdown) == first.markdown  # a foreign marker stays as it is
