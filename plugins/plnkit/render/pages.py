"""The generated pages of a binder site: one per tab, as Markdown with HTML card blocks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from plnkit.kit.model import Kit, Tab
from plnkit.render.binder import render_binder
from plnkit.render.contribute import Contribute, suggest_link
from plnkit.render.filters import render_filters
from plnkit.render.i18n import _, using
from plnkit.render.link_health_page import link_health_pages
from plnkit.render.pager import map_is_inline, render_pager
from plnkit.render.paging import (
    DEFAULT_MAX_RESOURCES,
    MAP_FILE,
    TabPage,
    TabPaging,
    kit_paging,
    page_map,
    paginate_to_fit,
    resource_href,
)
from plnkit.render.print_page import PRINT_URI, render_print_page
from plnkit.render.river_page import river_pages, tab_feed_links
from plnkit.render.start_here import STAGE_TEXT, render_journeys, render_stage_path
from plnkit.render.state import SiteState
from plnkit.render.subscribe import render_subscribe
from plnkit.render.text import esc, inline_markdown
from plnkit.render.whole_kit import WHOLE_KIT_URI, whole_kit_pages

__all__ = [
    "STAGE_TEXT",
    "WHOLE_KIT_URI",
    "RenderOptions",
    "emit_site_pages",
    "emit_tab_pages",
    "nav",
    "render_pager",
    "render_tab_page",
    "site_pages",
    "tab_pages",
    "tab_uri",
]


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
    # A tab with more resources than this is split into pages (plnkit.render.paging).
    max_resources_per_page: int = DEFAULT_MAX_RESOURCES


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
    kit: Kit,
    tab: Tab,
    state: SiteState,
    options: RenderOptions | None = None,
    page: TabPage | None = None,
    paging: dict[str, TabPaging] | None = None,
    filters: str | None = None,
) -> str:
    """The Markdown source of one tab's page: intro, then the binder of its resources.

    The first tab ("Start here") also carries the stage path and the two journeys, with its
    own resources one heading level down. `page` is one page of a split tab (with `paging`,
    every tab's pages, and `filters`, the filter form for the whole tab); without, the page
    holds the whole tab.
    """
    options = options or RenderOptions()
    first = tab.id == kit.binder.tabs[0].id
    if paging is None:
        paging = kit_paging(kit, options.max_resources_per_page)
    tab_paging = paging.get(tab.id)
    split = page is not None and tab_paging is not None and tab_paging.split
    resources = page.resources if page is not None else kit.in_tab(tab.id)
    site_root = page.site_root if page is not None else "../"
    title = f"{tab.title}: {page.label}" if split and page is not None else tab.title
    # Themes print page titles as HTML: the front matter carries the escaped title. The h1 is
    # HTML with an id no resource slug can take ("--"), so card anchors never collide with it.
    lines = [
        "---",
        f"title: {json.dumps(esc(title))}",
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
    on_first_page = page is None or page.index == 0
    if first and on_first_page:
        lines += [render_stage_path(kit, lambda r: resource_href(paging, r)), ""]
        lines += [render_journeys(), ""]
        lines += [render_subscribe(kit, "../", options.root_url), ""]
        lines += [f'<h2 id="tab--{esc(tab.id)}--resources">{esc(_("Start with these"))}</h2>', ""]
    feed_links = tab_feed_links(kit, tab, state) if on_first_page else ""
    if feed_links:  # river, Atom feed and this tab's OPML
        lines += [feed_links, ""]
    if split and page is not None and tab_paging is not None:
        lines += [render_pager(tab_paging, page), ""]
    binder = render_binder(
        tab,
        resources,
        state,
        posts_shown=options.posts_shown,
        heading_level=3 if first else 2,
        site_root=site_root,
        calendar_events=options.calendar_events,
        contribute=options.contribute,
        filters=filters,
    )
    lines += [binder, ""]
    return "\n".join(lines)


Emit = Callable[[str, str], None]


def emit_tab_pages(
    kit: Kit, state: SiteState, options: RenderOptions, emit: Emit
) -> dict[str, TabPaging]:
    """Hand each tab's page or pages (a split tab's large page map as pages.json too) to
    `emit(path, text)`, one tab at a time; returns every tab's final pages.

    A tab is first split by `options.max_resources_per_page`; when a page's source is still
    over PAGE_BYTES_MAX (cards with posts and previews are bigger), that tab is split again
    into smaller pages until each fits. The first tab is rendered last: its stage path links
    to resources on the other tabs' final pages."""
    paging = kit_paging(kit, options.max_resources_per_page)
    tabs = kit.binder.tabs
    for tab in (*tabs[1:], *tabs[:1]):
        resources = kit.in_tab(tab.id)
        # Every page offers the whole tab's filters, so a reader's choice survives the pager.
        filters = render_filters(resources, tab.id)

        def render_page(
            tab_paging: TabPaging, page: TabPage, tab: Tab = tab, filters: str = filters
        ) -> str:
            every = {**paging, tab.id: tab_paging}
            one = page if tab_paging.split else None
            return render_tab_page(kit, tab, state, options, one, every, filters)

        limit = options.max_resources_per_page
        tab_paging, texts = paginate_to_fit(tab, resources, limit, render_page)
        paging[tab.id] = tab_paging
        for page, text in zip(tab_paging.pages, texts, strict=True):
            emit(page.uri, text)
        data = page_map(tab_paging)
        if tab_paging.split and not map_is_inline(data):
            emit(f"{tab.id}/{MAP_FILE}", data)
    return paging


def tab_pages(kit: Kit, state: SiteState, options: RenderOptions | None = None) -> dict[str, str]:
    """Every tab's page or pages, by path (`emit_tab_pages` collected)."""
    pages: dict[str, str] = {}
    emit_tab_pages(kit, state, options or RenderOptions(), pages.__setitem__)
    return pages


def emit_site_pages(kit: Kit, state: SiteState, options: RenderOptions, emit: Emit) -> None:
    """Hand every generated page to `emit(path, text)` as soon as it is rendered, in the
    options' language, so a build can write each one out and keep none (a large kit's pages
    run to hundreds of megabytes)."""
    with using(options.language):
        paging = emit_tab_pages(kit, state, options, emit)
        limit = options.max_resources_per_page
        # The printable handout: the whole kit on a few pages (linked from every binder); a
        # split tab prints its first resources and where to find the rest.
        emit(PRINT_URI, render_print_page(kit, per_tab=limit))
        # Issue 4, linked from home: problems first, a long list on numbered pages of its own.
        for uri, text in link_health_pages(kit, state, paging, per_page=limit).items():
            emit(uri, text)
        # Every resource on one page, so a filter in the address (?stage=creation) spans the
        # kit; a large kit's is a guide to the tabs, stage by stage.
        whole = whole_kit_pages(
            kit,
            state,
            paging,
            limit=limit,
            posts_shown=options.posts_shown,
            calendar_events=options.calendar_events,
            contribute=options.contribute,
        )
        for uri, text in whole.items():
            emit(uri, text)
        for uri, text in river_pages(kit, state).items():  # "Recent posts", once a feed has posts
            emit(uri, text)


def site_pages(kit: Kit, state: SiteState, options: RenderOptions | None = None) -> dict[str, str]:
    """Every generated page, keyed by its path in the docs tree, in the options' language."""
    pages: dict[str, str] = {}
    emit_site_pages(kit, state, options or RenderOptions(), pages.__setitem__)
    return pages


def nav(kit: Kit, home: str | None = "index.md") -> list[dict[str, str]]:
    """The site's navigation: home, then one top tab per binder tab, in binder order.

    A tab split into pages (plnkit.render.paging) is still one tab, leading to its first
    page. MkDocs themes print navigation titles as HTML, so titles from binder.yml are escaped.
    """
    entries = [{_("Home"): home}] if home else []
    return entries + [{esc(tab.title): tab_uri(tab)} for tab in kit.binder.tabs]
