"""Escaping and sanitizing for everything that reaches a page from a kit file or a feed."""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache

import markdown
import nh3

INLINE_TAGS = {"a", "em", "strong", "code", "br", "abbr"}
BLOCK_TAGS = INLINE_TAGS | {"p", "ul", "ol", "li", "blockquote"}
URL_SCHEMES = {"http", "https", "mailto"}


_SPECIAL = re.compile(r"[&<>\"']")


def esc(text: object) -> str:
    """HTML-escape text for element content and quoted attributes.

    >>> esc('Tom & "Jerry" <3'), esc("plain")
    ('Tom &amp; &quot;Jerry&quot; &lt;3', 'plain')
    """
    value = text if type(text) is str else str(text)
    # Most of a page's text (labels, tags, names) has nothing to escape: one scan, not five.
    return html.escape(value, quote=True) if _SPECIAL.search(value) else value


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


# Text that Markdown and the sanitizer leave as it is, apart from escaping: it starts with a
# letter (no list, heading or code block can start), has single spaces as its only whitespace
# (one line: no line breaks, no setext headings) and none of the characters that start inline
# Markdown, HTML or an entity. Most descriptions are like this; they skip both (same bytes).
_PLAIN = re.compile(r"[^\W\d_](?: ?[^\s*_`\[\]<>&\\!#\x00-\x1f\x7f-\x9f])*")


@lru_cache(maxsize=32_768)  # each description is asked about for cards, handout and exports
def is_plain(text: str) -> bool:
    """True when `text` renders as itself, escaped: no Markdown or HTML to interpret.

    >>> is_plain("A weekly chat for school librarians."), is_plain("A *weekly* chat")
    (True, False)
    """
    return _PLAIN.fullmatch(text) is not None


def inline_markdown(text: str) -> str:
    """Contributed inline Markdown (a description) as safe HTML without a wrapping <p>."""
    if is_plain(text):
        return html.escape(text, quote=False)
    return _rendered(text)


@lru_cache(maxsize=16_384)  # a build renders each description for cards, handout and exports
def _rendered(text: str) -> str:
    md = _md()
    md.reset()
    rendered = md.convert(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return sanitize(rendered).strip()


def readable_date(text: str) -> str:
    """An ISO date or time as a reader says it; the text itself when it is not one.

    >>> readable_date("2026-12-03T08:15:00Z"), readable_date("2026-07-04"), readable_date("x")
    ('3 December 2026', '4 July 2026', 'x')
    """
    from plnkit.render.i18n import format_date  # in the site's language (render.i18n)

    return format_date(text)
