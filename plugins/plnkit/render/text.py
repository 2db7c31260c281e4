"""Escaping and sanitizing for everything that reaches a page from a kit file or a feed."""

from __future__ import annotations

import html
from functools import cache

import markdown
import nh3

INLINE_TAGS = {"a", "em", "strong", "code", "br", "abbr"}
BLOCK_TAGS = INLINE_TAGS | {"p", "ul", "ol", "li", "blockquote"}
URL_SCHEMES = {"http", "https", "mailto"}


def esc(text: object) -> str:
    """HTML-escape text for element content and quoted attributes."""
    return html.escape(str(text), quote=True)


@cache
def _md() -> markdown.Markdown:
    return markdown.Markdown(extensions=[], output_format="html")


def sanitize(fragment: str, *, block: bool = False) -> str:
    """An allow-list clean: no scripts, handlers, styles or non-http(s) links survive."""
    return nh3.clean(
        fragment,
        tags=BLOCK_TAGS if block else INLINE_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def inline_markdown(text: str) -> str:
    """Contributed inline Markdown (a description) as safe HTML without a wrapping <p>."""
    md = _md()
    md.reset()
    rendered = md.convert(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return sanitize(rendered).strip()
