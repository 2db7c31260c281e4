"""OPML 2.0 of the kit's feeds: one folder per tab, each feed with `xmlUrl` and `htmlUrl`.

Every feed reader imports this; `plnkit import-opml` reads it back (see `opml_import`).

The text is what ElementTree writes for the tree (`ET.indent`, then `ET.tostring` with an XML
declaration), written directly, so a site build can write each tab's folder once for both the
whole kit's file and the tab's own (tests compare it with ElementTree's output).
"""

from __future__ import annotations

import datetime as dt
import email.utils
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # ElementTree's own escaping

from plnkit.exports.common import feed_url, offered, plain_description
from plnkit.model import Kit, Tab
from plnkit.site_state import SiteState

OPML_DOCS = "http://opml.org/spec2.opml"
DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"


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


def _folder(kit: Kit, state: SiteState, tab: Tab) -> str:
    """A tab's folder element, indented as the body's child; "" when it has no feeds."""
    feeds = [(r, feed_url(r, state)) for r in offered(kit, tab.id)]
    items = [
        f'      <outline type="rss" text="{_escape_attrib(r.name)}" '
        f'title="{_escape_attrib(r.name)}" xmlUrl="{_escape_attrib(url)}" '
        f'htmlUrl="{_escape_attrib(r.url)}" '
        f'description="{_escape_attrib(plain_description(r))}" />\n'
        for r, url in feeds
        if url
    ]
    if not items:
        return ""
    title = _escape_attrib(tab.title)
    return f'    <outline text="{title}" title="{title}">\n{"".join(items)}    </outline>\n'


def _element(name: str, text: str) -> str:
    return f"    <{name}>{_escape_cdata(text)}</{name}>\n" if text else f"    <{name} />\n"


def _document(kit: Kit, now: dt.datetime, tab: str | None, folders: list[str]) -> bytes:
    binder = kit.binder
    tab_title = binder.tab(tab).title if tab and binder.tab(tab) else None
    created = email.utils.format_datetime(
        now.astimezone(dt.UTC).replace(microsecond=0), usegmt=True
    )
    head = (
        _element("title", f"{binder.title}: {tab_title}" if tab_title else binder.title)
        + _element("dateCreated", created)
        + _element("docs", OPML_DOCS)
        + (_element("ownerId", binder.contact) if binder.contact else "")
    )
    body = "".join(folders)
    body = f"  <body>\n{body}  </body>\n" if body else "  <body />\n"
    text = f'{DECLARATION}<opml version="2.0">\n  <head>\n{head}  </head>\n{body}</opml>\n'
    return text.encode("utf-8", "xmlcharrefreplace")
