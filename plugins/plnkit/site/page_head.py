"""The head tags of one built page, from the site's settings and the page's address.

Engine-neutral: the adapter hands in the page's URL, title and description as the engine
knows them, and inserts the result (plnkit.render.head).
"""

from __future__ import annotations

from plnkit.kit.model import Kit
from plnkit.render.head import PageHead, head_tags
from plnkit.site.branding import branding_of
from plnkit.site.config import LOGO_URI


def site_root_of(page_url: str) -> str:
    """The relative way from a page's URL (as the engine writes it) back to the site's root.

    >>> site_root_of(""), site_root_of("communities/"), site_root_of("recent/2/index.html")
    ('', '../', '../../')
    >>> site_root_of("index.html"), site_root_of("print.html")
    ('', '')
    """
    folder = page_url if page_url.endswith("/") else page_url.rsplit("/", 1)[0] + "/"
    if "/" not in page_url:
        folder = ""
    depth = len([part for part in folder.split("/") if part])
    return "../" * depth


def page_tags(
    kit: Kit, *, title: str, description: str, page_url: str, canonical: str, root_url: str
) -> str:
    """The Open Graph, Twitter-card and feed tags for one page."""
    branding, _ = branding_of(kit.binder)
    site_root = site_root_of(page_url)
    if page_url == "404.html" and root_url:  # served at any address: relative links break
        site_root = root_url
    return head_tags(
        PageHead(
            site_name=branding.name,
            title=title,
            description=description or branding.description,
            site_root=site_root,
            page_url=canonical if canonical.startswith(("https://", "http://")) else "",
            image=branding.logo or LOGO_URI,
            root_url=root_url,
        )
    )
