"""Tags for the head of every page: how a link to the kit looks when shared (Open Graph and
Twitter cards), and the river's Atom feed for readers and browsers that discover feeds.

Pure text in, HTML out; the adapter puts it before `</head>`. Every value is escaped here,
whatever the engine did with it before (titles may arrive already escaped: they are
unescaped once, then escaped once).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from plnkit.render.i18n import N_, _
from plnkit.render.site_files import FEED_XML
from plnkit.render.text import esc

FEED_TITLE = N_("{site}: recent posts")  # user-facing; `_` translates it where used


@dataclass(frozen=True)
class PageHead:
    site_name: str
    title: str  # the page's own title ("" on the home page)
    description: str
    site_root: str  # from the page to the site's root, "" or "../" …
    page_url: str = ""  # the page's full address, when the site's address is known
    image: str = ""  # the kit's logo: a path from the site's root, or a full address
    root_url: str = ""  # the site's full address ending in "/", or ""


def _plain(text: str) -> str:
    return " ".join(html.unescape(str(text or "")).split())


def _image_url(head: PageHead) -> str:
    if not head.image or head.image.startswith(("https://", "http://")):
        return head.image
    if head.root_url:  # Open Graph wants a full address
        return head.root_url + head.image
    return head.site_root + head.image


def head_tags(head: PageHead) -> str:
    """The tags, one a line.

    >>> print(head_tags(PageHead("Kit", "Blogs &amp; feeds", "Read.", "../")))  # doctest: +ELLIPSIS
    <meta property="og:type" content="website">
    <meta property="og:site_name" content="Kit">
    <meta property="og:title" content="Blogs &amp; feeds · Kit">
    ...
    """
    site = _plain(head.site_name)
    page = _plain(head.title)
    title = f"{page} · {site}" if page and page != site else site
    description = _plain(head.description)
    image = _image_url(head)
    tags = [
        ("property", "og:type", "website"),
        ("property", "og:site_name", site),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", head.page_url),
        ("property", "og:image", image),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image),
    ]
    lines = [f'<meta {attr}="{key}" content="{esc(value)}">' for attr, key, value in tags if value]
    lines.append(
        f'<link rel="alternate" type="application/atom+xml"'
        f' title="{esc(_(FEED_TITLE).format(site=site))}" href="{esc(head.site_root + FEED_XML)}">'
    )
    return "\n".join(lines)


def insert_head(page_html: str, tags: str) -> str:
    """The page with `tags` just before `</head>` (unchanged when there is none)."""
    at = page_html.find("</head>")
    if at < 0:
        return page_html
    return page_html[:at] + tags + "\n" + page_html[at:]
