"""The "Subscribe and follow" block of the home page and Start here: every export, each with
what it is for and one line on how to use it.

It is always there, also before any feed was fetched: the files it links to are written by
every build (`plnkit.exports.site_exports`).
"""

from __future__ import annotations

from plnkit.kit.model import Kit
from plnkit.render.i18n import N_, _
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

# User-facing words, kept together; `_` gives them in the site's language where they are shown.
TITLE = N_("Subscribe and follow")
LEAD = N_(
    "Take the kit into the tools you already use. Every file here is rebuilt whenever the kit "
    "changes."
)
OPML_LINK = N_("OPML of the whole kit")
OPML_FOR = N_("every blog and account with a feed, for a feed reader")
OPML_TABS = N_("Or one tab only:")
READERS_LEAD = N_(
    "Subscribing to the OPML file's address, where a reader allows it, keeps the reader in "
    "step with the kit; importing the file takes a copy."
)
READERS = (
    ("Feedly", N_("Organize → Import OPML, then choose the downloaded file (a copy).")),
    (
        "Inoreader",
        N_(
            "Preferences → Import/Export → OPML subscriptions, then paste the OPML's address: "
            "it stays in step."
        ),
    ),
    (
        "NetNewsWire",
        N_("File → Import Subscriptions…, then choose the downloaded file (a copy)."),
    ),
    (
        "FreshRSS",
        N_(
            "Subscription management → add a category with the OPML's address as its dynamic "
            "OPML: it stays in step."
        ),
    ),
)
OTHER = (
    (
        MASTODON_CSV,
        N_("Mastodon follow list (CSV)"),
        N_(
            "follow every Mastodon account in the kit at once: Preferences → Import and export → "
            "Import, type “Following list”."
        ),
    ),
    (
        BLUESKY_LIST,
        N_("Bluesky accounts (text, one handle per line)"),
        N_(
            "Bluesky has no import file: open each handle in Bluesky and follow it, or paste them "
            "into a list or starter pack you make."
        ),
    ),
    (
        CALENDAR,
        N_("Calendar of chats and webinars (iCalendar)"),
        N_(
            "subscribe to its address in your calendar app (Google Calendar: Other calendars → "
            "From URL) and new dates appear on their own."
        ),
    ),
    (
        FEED_XML,
        N_("Atom feed of recent posts"),
        N_("one subscription for the newest posts from every blog and account in the kit."),
    ),
    (
        API_JSON,
        N_("JSON API"),
        N_("the whole kit as data, for anyone building their own tools."),
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
        f"<li><strong>{esc(name)}</strong>: {esc(_(line))}</li>" for name, line in READERS
    )
    other = "".join(
        f'<li><a href="{root}{esc(path)}">{esc(_(label))}</a>: {esc(_(use))}'
        f"{_address(root_url, path)}</li>"
        for path, label, use in OTHER
    )
    return (
        '<section class="plnkit-subscribe" aria-labelledby="subscribe--kit" data-search-exclude>'
        f'<{h} id="subscribe--kit">{esc(_(TITLE))}</{h}>'
        f'<p class="plnkit-lead">{esc(_(LEAD))}</p>'
        '<ul class="plnkit-subscribe__files">'
        f'<li><a href="{root}{KIT_OPML}">{esc(_(OPML_LINK))}</a>: {esc(_(OPML_FOR))}.'
        f"{_address(root_url, KIT_OPML)}"
        f'<p class="plnkit-subscribe__tabs">{esc(_(OPML_TABS))} {tabs}</p>'
        f'<p>{esc(_(READERS_LEAD))}</p><ul class="plnkit-subscribe__readers">{readers}</ul></li>'
        f"{other}</ul></section>"
    )
