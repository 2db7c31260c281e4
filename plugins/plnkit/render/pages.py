"""The generated pages of a binder site: one per tab, as Markdown with HTML card blocks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from plnkit.kit.model import Kit, Tab
from plnkit.render.binder import render_binder
from plnkit.render.contribute import Contribute, suggest_link
from plnkit.render.i18n import _, using
from plnkit.render.link_health_page import LINK_HEALTH_URI, render_link_health_page
from plnkit.render.print_page import PRINT_URI, render_print_page
from plnkit.render.river_page import river_pages, tab_feed_links
from plnkit.render.start_here import STAGE_TEXT, render_journeys, render_stage_path
from plnkit.render.state import SiteState
from plnkit.render.subscribe import render_subscribe
from plnkit.render.text import esc, inline_markdown
from plnkit.render.whole_kit import WHOLE_KIT_URI, render_whole_kit_page

__all__ = [
    "STAGE_TEXT", "WHOLE_KIT_URI", "RenderOptions", "nav", "render_tab_page", "site_pages",
    "tab_uri",
]  # fmt: skip


@dataclass(frozen=True)
class RenderOptions:
    posts_shown: int = 3
    language: str = "en"  # the site's language (theme.language or the plugin's `language`)
    # The slugs whose event the build's calendar.ics (at the site's root) holds: only those
    # cards get an "Add to calendar" link (plnkit.exports.ics.calendar_slugs).
    calendar_events: frozenset[str] = frozenset()
    # Where "Suggest a resource" and "Edit this file on GitHub" lead (mkdocs.yml's repo_url).
    contribute: Contribute = field(default_factory=Contribute)
    # The site's address ending in "/" (site_url), shown beside subscription files; or "".
    root_url: str = ""


def tab_uri(tab: Tab) -> str:
    """Where a tab's page lives in the docs tree.

    >>> tab_uri(Tab(id="communities", title="Communities"))
    'communities/index.md'
    """
    return f"{tab.id}/index.md"


def _heading(text: str) -> str:
    # Markdown passes inline HTML through, so a title from a kit file is escaped first.
    return esc(text).replace("#", "&#35;").replace("*", "&#42;").replace("_", "&#95;")


def render_tab_page(
    kit: Kit, tab: Tab, state: SiteState, options: RenderOptions | None = None
) -> str:
    """The Markdown source of one tab's page: intro, then the binder of its resources.

    The first tab ("Start here") also carries the stage path and the two journeys, with its
    own resources one heading level down.
    """
    options = options or RenderOptions()
    first = tab.id == kit.binder.tabs[0].id
    # Themes print page titles as HTML: the front matter carries the escaped title. The h1 is
    # HTML with an id no resource slug can take ("--"), so card anchors never collide with it.
    lines = [
        "---",
        f"title: {json.dumps(esc(tab.title))}",
        "hide: [navigation, toc]",
        "---",
        "",
        f'<h1 id="tab--{esc(tab.id)}">{_heading(tab.title)}</h1>',
        "",
    ]
    if tab.intro:
        lines += [f'<p class="plnkit-intro">{inline_markdown(tab.intro)}</p>', ""]
    suggest = suggest_link(options.contribute)
    if suggest:
        lines += [suggest, ""]
    if first:
        lines += [render_stage_path(kit), "", render_journeys(), ""]
        lines += [render_subscribe(kit, "../", options.root_url), ""]
        lines += [f'<h2 id="tab--{esc(tab.id)}--resources">{esc(_("Start with these"))}</h2>', ""]
    feed_links = tab_feed_links(kit, tab, state)  # river, Atom feed and this tab's OPML
    if feed_links:
        lines += [feed_links, ""]
    binder = render_binder(
        tab,
        kit.in_tab(tab.id),
        state,
        posts_shown=options.posts_shown,
        heading_level=3 if first else 2,
        calendar_events=options.calendar_events,
        contribute=options.contribute,
    )
    lines += [binder, ""]
    return "\n".join(lines)


def site_pages(kit: Kit, state: SiteState, options: RenderOptions | None = None) -> dict[str, str]:
    """Every generated page, keyed by its path in the docs tree, in the options' language."""
    options = options or RenderOptions()
    with using(options.language):
        return _site_pages(kit, state, options)


def _site_pages(kit: Kit, state: SiteState, options: RenderOptions) -> dict[str, str]:
    pages = {tab_uri(tab): render_tab_page(kit, tab, state, options) for tab in kit.binder.tabs}
    # The printable handout: the whole kit on a few pages (linked from every binder).
    pages[PRINT_URI] = render_print_page(kit)
    pages[LINK_HEALTH_URI] = render_link_health_page(kit, state)  # issue 4; linked from home
    # Every resource on one page, so a filter in the address (?stage=creation) spans the kit.
    pages[WHOLE_KIT_URI] = render_whole_kit_page(
        kit,
        state,
        posts_shown=options.posts_shown,
        calendar_events=options.calendar_events,
        contribute=options.contribute,
    )
    pages.update(river_pages(kit, state))  # "Recent posts", once any feed has posts
    return pages


def nav(kit: Kit, home: str | None = "index.md") -> list[dict[str, str]]:
    """The site's navigation: home, then one top tab per binder tab, in binder order.

    MkDocs themes print navigation titles as HTML, so titles from binder.yml are escaped here.
    """
    entries = [{_("Home"): home}] if home else []
    return entries + [{esc(tab.title): tab_uri(tab)} for tab in kit.binder.tabs]
