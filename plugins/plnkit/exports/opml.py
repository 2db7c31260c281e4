"""OPML 2.0 of the kit's feeds: one folder per tab, each feed with `xmlUrl` and `htmlUrl`.

Every feed reader imports this; `plnkit import-opml` reads it back (see `opml_import`).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET

from plnkit.exports.common import feed_url, offered, plain_description
from plnkit.model import Kit
from plnkit.site_state import SiteState

OPML_DOCS = "http://opml.org/spec2.opml"


def kit_opml(kit: Kit, state: SiteState, now: dt.datetime, *, tab: str | None = None) -> bytes:
    """The OPML document for the whole kit, or for one tab."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    tab_title = kit.binder.tab(tab).title if tab and kit.binder.tab(tab) else None
    ET.SubElement(head, "title").text = (
        f"{kit.binder.title}: {tab_title}" if tab_title else kit.binder.title
    )
    ET.SubElement(head, "dateCreated").text = email.utils.format_datetime(
        now.astimezone(dt.UTC).replace(microsecond=0), usegmt=True
    )
    ET.SubElement(head, "docs").text = OPML_DOCS
    if kit.binder.contact:
        ET.SubElement(head, "ownerId").text = kit.binder.contact
    body = ET.SubElement(root, "body")
    for binder_tab in kit.binder.tabs:
        if tab is not None and binder_tab.id != tab:
            continue
        feeds = [(r, feed_url(r, state)) for r in offered(kit, binder_tab.id)]
        feeds = [(r, url) for r, url in feeds if url]
        if not feeds:
            continue
        folder = ET.SubElement(body, "outline", text=binder_tab.title, title=binder_tab.title)
        for resource, url in feeds:
            ET.SubElement(
                folder,
                "outline",
                type="rss",
                text=resource.name,
                title=resource.name,
                xmlUrl=url or "",
                htmlUrl=resource.url,
                description=plain_description(resource),
            )
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
