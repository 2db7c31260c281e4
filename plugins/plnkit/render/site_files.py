"""Where the site's exports live, relative to its root: one place for the pages that link to
them and the build that writes them (`plnkit.exports.site_exports`)."""

from __future__ import annotations

FEED_XML = "feed.xml"
KIT_OPML = "kit.opml"
TAB_OPML_DIR = "opml"
MASTODON_CSV = "follow-mastodon.csv"
BLUESKY_LIST = "follow-bluesky.txt"
API_JSON = "api/kit.json"
CALENDAR = "calendar.ics"
RIVER_PAGE = "recent/"
ROBOTS_TXT = "robots.txt"


def tab_opml(tab_id: str) -> str:
    """
    >>> tab_opml("blogs")
    'opml/blogs.opml'
    """
    return f"{TAB_OPML_DIR}/{tab_id}.opml"
