"""The "Subscribe and follow" block of the home page and Start here: every export, each with
what it is for and one line on how to use it.

It is always there, also before any feed was fetched: the files it links to are written by
every build (`plnkit.exports.site_exports`).
"""

from __future__ import annotations

from plnkit.kit.model import Kit
from plnkit.render.site_files import (
    API_JSON,
    BLUESKY_LIST,
    CALENDAR,
    FEED_XML,
    KIT_OPML,
    MASTODON_CSV,
    tab_opml,
)
from plnkit.render.text import esc

# User-facing words, kept together for translation. {address} is the file's full address.
TITLE = "Subscribe and follow"
LEAD = (
    "Take the kit into the tools you already use. Every file here is rebuilt whenever the kit "
    "changes."
)
OPML_LINK = "OPML of the whole kit"
OPML_FOR = "every blog and account with a feed, for a feed reader"
OPML_TABS = "Or one tab only:"
READERS_LEAD = (
    "Subscribing to the OPML file's address, where a reader allows it, keeps the reader in "
    "step with the kit; importing the file takes a copy."
)
READERS = (
    ("Feedly", "Organize → Import OPML, then choose the downloaded file (a copy)."),
    (
        "Inoreader",
        "Preferences → Import/Export → OPML subscriptions, then paste the OPML's address: "
        "it stays in step.",
    ),
    ("NetNewsWire", "File → Import Subscriptions…, then choose the downloaded file (a copy)."),
    (
        "FreshRSS",
        "Subscription management → add a category with the OPML's address as its dynamic "
        "OPML: it stays in step.",
    ),
)
OTHER = (
    (
        MASTODON_CSV,
        "Mastodon follow list (CSV)",
        "follow every Mastodon account in the kit at once: Preferences → Import and export → "
        "Import, type “Following list”.",
    ),
    (
        BLUESKY_LIST,
        "Bluesky accounts (text, one handle per line)",
        "Bluesky has no import file: open each handle in Bluesky and follow it, or paste them "
        "into a list or starter pack you make.",
    ),
    (
        CALENDAR,
        "Calendar of chats and webinars (iCalendar)",
        "subscribe to its address in your calendar app (Google Calendar: Other calendars → "
        "From URL) and new dates appear on their own.",
    ),
    (
        FEED_XML,
        "Atom feed of recent posts",
        "one subscription for the newest posts from every blog and account in the kit.",
    ),
    (
        API_JSON,
        "JSON API",
        "the whole kit as data, for anyone building their own tools.",
    ),
)


def _address(root_url: str, path: str) -> str:
    if not root_url.startswith(("https://", "http://")):
        return ""
    return f' <code class="plnkit-subscribe__address">{esc(root_url + path)}</code>'


def render_subscribe(kit: Kit, site_root: str, root_url: str = "", heading_level: int = 2) -> str:
    """One HTML block (no blank lines). `site_root` leads from the page to the site's root;
    `root_url` is the site's address (ending in "/"), shown so readers can paste it."""
    h = f"h{min(max(heading_level, 2), 5)}"
    root = esc(site_root)
    tabs = " · ".join(
        f'<a href="{root}{esc(tab_opml(tab.id))}">{esc(tab.title)}</a>' for tab in kit.binder.tabs
    )
    readers = "".join(
        f"<li><strong>{esc(name)}</strong>: {esc(line)}</li>" for name, line in READERS
    )
    other = "".join(
        f'<li><a href="{root}{esc(path)}">{esc(label)}</a>: {esc(use)}'
        f"{_address(root_url, path)}</li>"
        for path, label, use in OTHER
    )
    return (
        '<section class="plnkit-subscribe" aria-labelledby="subscribe--kit" data-search-exclude>'
        f'<{h} id="subscribe--kit">{esc(TITLE)}</{h}>'
        f'<p class="plnkit-lead">{esc(LEAD)}</p>'
        '<ul class="plnkit-subscribe__files">'
        f'<li><a href="{root}{KIT_OPML}">{esc(OPML_LINK)}</a>: {esc(OPML_FOR)}.'
        f"{_address(root_url, KIT_OPML)}"
        f'<p class="plnkit-subscribe__tabs">{esc(OPML_TABS)} {tabs}</p>'
        f'<p>{esc(READERS_LEAD)}</p><ul class="plnkit-subscribe__readers">{readers}</ul></li>'
        f"{other}</ul></section>"
    )
