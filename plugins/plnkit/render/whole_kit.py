""" "Every resource": the whole kit as one binder, so filters in the address span every tab.

Start here's "…and N more" links land here filtered by their stage (`?stage=creation`), and
any filter a reader bookmarks on a tab works here on the whole kit. The page stays out of the
navigation and of search (each card is already found on its own tab).
"""

from __future__ import annotations

import json
from collections.abc import Collection

from plnkit.kit.model import Kit, Tab
from plnkit.render.binder import render_binder
from plnkit.render.contribute import Contribute
from plnkit.render.i18n import N_, _
from plnkit.render.state import SiteState
from plnkit.render.text import esc

WHOLE_KIT_DIR = "all-resources"
WHOLE_KIT_URI = f"{WHOLE_KIT_DIR}/index.md"
# User-facing words, kept together; `_` gives them in the site's language where they are shown.
TITLE = N_("Every resource")
INTRO = N_(
    "Every resource in the kit on one page. Filter by stage, kind, tag or cost; the address "
    "keeps your choice, so you can bookmark or share it."
)


def whole_kit_href(site_root: str, stage: str | None = None) -> str:
    """The page's address from a page `site_root` below the root, optionally filtered.

    >>> whole_kit_href("../", "creation")
    '../all-resources/?stage=creation'
    """
    return f"{site_root}{WHOLE_KIT_DIR}/" + (f"?stage={stage}" if stage else "")


def render_whole_kit_page(
    kit: Kit,
    state: SiteState,
    *,
    posts_shown: int = 3,
    calendar_events: Collection[str] = (),
    contribute: Contribute | None = None,
) -> str:
    """The Markdown source of the page."""
    title = _(TITLE)
    tab = Tab(id=WHOLE_KIT_DIR, title=title)
    binder = render_binder(
        tab,
        kit.resources,
        state,
        posts_shown=posts_shown,
        calendar_events=calendar_events,
        contribute=contribute,
    )
    return "\n".join(
        [
            "---",
            f"title: {json.dumps(title, ensure_ascii=False)}",
            "hide: [navigation, toc]",
            "search:",
            "  exclude: true",
            "---",
            "",
            f'<h1 id="tab--{WHOLE_KIT_DIR}">{esc(title)}</h1>',
            "",
            f'<p class="plnkit-intro">{esc(_(INTRO))}</p>',
            "",
            binder,
            "",
        ]
    )
