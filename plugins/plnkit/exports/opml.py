"""OPML 2.0 of the kit's feeds: one folder per tab, each feed with `xmlUrl` and `htmlUrl`.

Every feed reader imports this; `plnkit import-opml` reads it back (see `opml_import`).
Built as an ElementTree, which escapes every text and attribute.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET

from plnkit.exports.common import feed_url, offered, plain_description
from plnkit.kit.model import Kit, Tab
from plnkit.render.state import SiteState

OPML_DOCS = "http://opml.org/spec2.opml"


def kit_opml(kit: Kit, state: SiteState, now: dt.datetime, *, tab: str | None = None) -> bytes:
    """The OPML document for the whole kit, or for one tab."""
    tabs = [t for t in kit.binder.tabs if tab is None or t.id == tab]
    return _document(kit, now, tab, [_folder(kit, state, t) for t in tabs])


def opml_files(kit: Kit, state: SiteState, now: dt.datetime) -> dict[str | None, bytes]:
    """The whole kit's OPML (key None) and each tab's (key: its id), as `kit_opml` makes them."""
    folders = {t.id: _folder(kit, state, t) for t in kit.binder.tabs}
    files: dict[str | None, bytes] = {None: _document(kit, now, None, list(folders.values()))}
    for tab_id, folder in folders.items():
        files[tab_id] = _document(kit, now, tab_id, [folder])
    return files


def _folder(kit: Kit, state: SiteState, tab: Tab) -> ET.Element | None:
    """A tab's folder outline; None when it has no feeds."""
    folder = ET.Element("outline", {"text": tab.title, "title": tab.title})
    for resource in offered(kit, tab.id):
        url = feed_url(resource, state)
        if url:
            ET.SubElement(folder, "outline", {
                "type": "rss", "text": resource.name, "title": resource.name, "xmlUrl": url,
                "htmlUrl": resource.url, "description": plain_description(resource),
            })  # fmt: skip
    return folder if len(folder) else None


def _document(
    kit: Kit, now: dt.datetime, tab: str | None, folders: list[ET.Element | None]
) -> bytes:
    binder = kit.binder
    tab_title = binder.tab(tab).title if tab and binder.tab(tab) else None
    created = email.utils.format_datetime(
        now.astimezone(dt.UTC).replace(microsecond=0), usegmt=True
    )
    opml = ET.Element("opml", {"version": "2.0"})
    head = ET.SubElement(opml, "head")
    fields = {
        "title": f"{binder.title}: {tab_title}" if tab_title else binder.title,
        "dateCreated": created,
        "docs": OPML_DOCS,
        "ownerId": binder.contact,
    }
    for name, text in fields.items():
        if text:
            ET.SubElement(head, name).text = text
    body = ET.SubElement(opml, "body")
    body.extend(folder for folder in folders if folder is not None)
    ET.indent(opml)
    return ET.tostring(opml, encoding="utf-8", xml_declaration=True) + b"\n"
