"""Making a feed entry's text safe for the site: plain titles, allow-listed summaries, safe links.

Nothing from a feed reaches a page unescaped: titles become plain text (the renderer escapes
them), summaries keep only a few text tags (no images, scripts, styles or frames, so nothing
remote loads from a feed) and every link must be http(s).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import nh3

from plnkit.kit.urls import url_problem

SUMMARY_TAGS = {"p", "br", "a", "em", "strong", "i", "b", "code", "ul", "ol", "li", "blockquote"}
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "svg", "math",
                     "noscript", "textarea", "select", "title"}  # fmt: skip
TITLE_CHARS = 300
SUMMARY_CHARS = 400
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_TOKENS = re.compile(r"(<[^>]*>)")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|\w+);", re.I)


def plain_text(value: str | None, *, limit: int = TITLE_CHARS) -> str:
    """One line of plain text, control characters gone, cut to `limit` at a word.

    >>> plain_text("  A\\n  title\\x07 ")
    'A title'
    """
    text = _SPACE.sub(" ", CONTROL.sub("", value or "")).strip()
    return _cut_words(text, limit)


def html_to_text(fragment: str, *, limit: int = TITLE_CHARS) -> str:
    """The text of an HTML fragment (markup dropped, script/style contents too).

    >>> html_to_text("<b>Big</b> &amp; <script>x()</script>bold")
    'Big & bold'
    """
    stripped = nh3.clean(fragment, tags=set(), clean_content_tags=DROP_WITH_CONTENT)
    return plain_text(html.unescape(stripped), limit=limit)


def _cut_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def safe_link(
    value: str | None, base: str | None = None, *, allow_local: bool = False
) -> str | None:
    """An absolute http(s) address, or None for anything else (javascript:, data:, file:...).

    >>> safe_link("/post/1", "https://blog.example.org/feed/")
    'https://blog.example.org/post/1'
    >>> safe_link("javascript:alert(1)") is None
    True
    """
    if not value:
        return None
    text = CONTROL.sub("", value).strip()
    if base:
        try:
            text = urljoin(base, text)
        except ValueError:
            return None
    if url_problem(text, allow_local=allow_local):
        return None
    return text


def clean_summary(
    fragment: str | None,
    base: str | None = None,
    *,
    limit: int = SUMMARY_CHARS,
    allow_local: bool = False,
) -> str:
    """Allow-listed HTML, links made absolute and http(s) only, cut to about `limit` characters
    of visible text (tags closed again after the cut).

    >>> clean_summary('<p onclick="x()">Hi <a href="javascript:x()">there</a><img src=x></p>')
    '<p>Hi <a rel="noopener noreferrer nofollow">there</a></p>'
    """
    if not fragment:
        return ""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return safe_link(value, base, allow_local=allow_local)
        return value

    cleaned = _clean(CONTROL.sub("", fragment), keep)
    if _visible_length(cleaned) <= limit:
        return cleaned.strip()
    return _clean(_truncate_html(cleaned, limit), keep).strip()


def _clean(fragment: str, attribute_filter) -> str:
    return nh3.clean(
        fragment,
        tags=SUMMARY_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes={"a": {"href", "title"}},
        attribute_filter=attribute_filter,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _visible_length(fragment: str) -> int:
    text = _TOKENS.sub("", fragment)
    return len(_ENTITY.sub("x", text))


def _truncate_html(fragment: str, limit: int) -> str:
    """Cut sanitized HTML after `limit` visible characters; the caller re-cleans it, which
    closes any element left open."""
    out: list[str] = []
    budget = limit
    for token in _TOKENS.split(fragment):
        if not token:
            continue
        if token.startswith("<"):
            out.append(token)
            continue
        text = html.unescape(token)
        if len(text) <= budget:
            out.append(token)
            budget -= len(text)
            continue
        out.append(html.escape(_cut_words(text, max(budget, 1)), quote=False))
        break
    return "".join(out)


def host_of(url: str | None) -> str:
    """The host name of an address, for a "source" line when no name is known."""
    return (urlsplit(url or "").hostname or "") if url else ""
