"""Every export written into a built site: the river's Atom feed, OPML (whole kit and per
tab), the Mastodon follow list, the JSON API and the calendar of chats and webinars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from plnkit.exports.bluesky_list import bluesky_list
from plnkit.exports.ics import schedule_calendar
from plnkit.exports.kit_json import kit_json_chunks
from plnkit.exports.mastodon_csv import mastodon_csv
from plnkit.exports.opml import opml_files
from plnkit.feeds.atom import river_atom
from plnkit.kit.model import Kit
from plnkit.net.clock import iso
from plnkit.render.site_files import (
    API_JSON,
    BLUESKY_LIST,
    CALENDAR,
    FEED_XML,
    KIT_OPML,
    MASTODON_CSV,
    RIVER_PAGE,
    ROBOTS_TXT,
    TAB_OPML_DIR,
    tab_opml,
)
from plnkit.render.state import SiteState

__all__ = [
    "API_JSON", "BLUESKY_LIST", "CALENDAR", "FEED_XML", "KIT_OPML", "MASTODON_CSV", "RIVER_PAGE",
    "TAB_OPML_DIR", "export_files", "robots_txt", "site_url", "write_exports",
]  # fmt: skip


def site_url(kit: Kit, configured: str = "") -> str:
    """The site's root address with a trailing slash, or "" when none is known."""
    url = (configured or kit.binder.site_url or "").strip()
    return url if not url or url.endswith("/") else url + "/"


def export_files(
    kit: Kit, state: SiteState, now: dt.datetime, root_url: str = ""
) -> dict[str, bytes]:
    """Each export's path in the site and its bytes."""
    return {
        name: data if isinstance(data, bytes) else "".join(data).encode("utf-8")
        for name, data in _exports(kit, state, now, root_url)
    }


def _exports(
    kit: Kit, state: SiteState, now: dt.datetime, root_url: str
) -> Iterator[tuple[str, bytes | Iterator[str]]]:
    """Each export in turn, made only when asked for: a build writes one and lets it go
    before making the next, so a large kit's exports never sit in memory together."""
    stamp = iso(now)
    refreshed = max((v.refreshed_at for v in state.feeds.values() if v.refreshed_at), default=None)
    # The river's page exists only once a feed has posts; until then the feed's page is home.
    page_url = f"{root_url}{RIVER_PAGE}" if state.river else root_url or "./"
    yield (
        FEED_XML,
        river_atom(
            state.river,
            title=f"{kit.binder.title}: recent posts",
            subtitle=f"The newest posts from the blogs and accounts in {kit.binder.title}.",
            feed_url=f"{root_url}{FEED_XML}",
            page_url=page_url,
            updated=refreshed or stamp,
        ),
    )
    yield MASTODON_CSV, mastodon_csv(kit).encode("utf-8")
    yield BLUESKY_LIST, bluesky_list(kit).encode("utf-8")
    yield ROBOTS_TXT, robots_txt(root_url).encode("utf-8")
    yield API_JSON, kit_json_chunks(kit, state, stamp)  # written piece by piece
    yield CALENDAR, schedule_calendar(kit, now)
    # The whole kit's OPML and each tab's share their folders (written once).
    for tab_id, data in opml_files(kit, state, now).items():
        yield (KIT_OPML if tab_id is None else tab_opml(tab_id)), data


def robots_txt(root_url: str) -> str:
    """Every page may be indexed; the sitemap is named when the site's address is known.

    >>> print(robots_txt("https://example.org/kit/"), end="")
    User-agent: *
    Allow: /
    Sitemap: https://example.org/kit/sitemap.xml
    """
    lines = ["User-agent: *", "Allow: /"]
    if root_url.startswith(("https://", "http://")):
        lines.append(f"Sitemap: {root_url}sitemap.xml")
    return "\n".join(lines) + "\n"


def write_exports(
    kit: Kit,
    state: SiteState,
    site_dir: Path,
    now: dt.datetime,
    root_url: str = "",
) -> list[Path]:
    """Write every export under `site_dir`; the paths written."""
    written: list[Path] = []
    for name, data in _exports(kit, state, now, site_url(kit, root_url)):
        path = site_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(data)
        written.append(path)
    return written
