"""The river as an Atom 1.0 feed (`feed.xml`), so a reader subscribes to the whole network.

Written with ElementTree, which escapes every text and attribute; summaries travel as
`type="html"` text, already sanitized when they were fetched.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from plnkit.feeds.river import post_key
from plnkit.feeds.view import Post

ATOM = "http://www.w3.org/2005/Atom"
GENERATOR = "PLN Kit"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def entry_id(post: Post) -> str:
    """A stable id: the post's address, or a URN made from what identifies it."""
    if post.url:
        return post.url
    digest = hashlib.sha1("|".join(post_key(post)).encode("utf-8"))  # noqa: S324
    return f"urn:sha1:{digest.hexdigest()}"


def river_atom(
    posts: Iterable[Post],
    *,
    title: str,
    feed_url: str,
    page_url: str,
    updated: str,
    subtitle: str = "",
) -> bytes:
    """The Atom document. `feed_url` and `page_url` may be relative when the site has no
    `site_url`; the feed id then falls back to a URN made from the title."""
    posts = list(posts)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _el(feed, "title", title)
    if subtitle:
        _el(feed, "subtitle", subtitle)
    absolute = feed_url.startswith(("http://", "https://"))
    digest = hashlib.sha1(title.encode("utf-8")).hexdigest()  # noqa: S324
    _el(feed, "id", feed_url if absolute else f"urn:sha1:{digest}")
    _el(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _el(feed, "link", rel="alternate", type="text/html", href=page_url)
    _el(feed, "updated", max((p.published or "" for p in posts), default="") or updated)
    _el(feed, "generator", GENERATOR)
    author = _el(feed, "author")
    _el(author, "name", title)
    for post in posts:
        entry = _el(feed, "entry")
        _el(entry, "id", entry_id(post))
        _el(entry, "title", post.title or "(untitled)", type="text")
        if post.url:
            _el(entry, "link", rel="alternate", type="text/html", href=post.url)
        if post.enclosure:
            _el(entry, "link", rel="enclosure", href=post.enclosure)
        _el(entry, "updated", post.published or updated)
        if post.published:
            _el(entry, "published", post.published)
        who = _el(entry, "author")
        _el(who, "name", post.source or title)
        if post.summary_html:
            _el(entry, "summary", post.summary_html, type="html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
