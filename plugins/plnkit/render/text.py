"""Escaping and sanitizing for everything that reaches a page from a kit file or a feed:
markupsafe escapes text, Markdown renders contributed inline Markdown, nh3 cleans the HTML."""

from __future__ import annotations

from functools import cache

import markdown
import nh3
from markupsafe import escape

INLINE_TAGS = {"a", "em", "strong", "code", "br", "abbr"}
BLOCK_TAGS = INLINE_TAGS | {"p", "ul", "ol", "li", "blockquote"}
URL_SCHEMES = {"http", "https", "mailto"}


def esc(text: object) -> str:
    """HTML-escape text for element content and quoted attributes.

    >>> esc('Tom & "Jerry" <3'), esc("plain")
    ('Tom &amp; &#34;Jerry&#34; &lt;3', 'plain')
    """
    return str(escape(text))


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


@cache
def inline_markdown(text: str) -> str:
    """Contributed inline Markdown (a description) as safe HTML without a wrapping <p>.

    A pure function of the text, kept for the process: a description is shown on its tab, on
    the whole-kit page, on the print page and in the OPML files, and converted once.

    >>> inline_markdown('A *weekly* chat & <b onclick="x()">more</b>')
    'A <em>weekly</em> chat &amp; more'
    """
    rendered = _md().reset().convert(text)
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
