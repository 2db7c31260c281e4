"""The generated pages of a binder site: one per tab, as Markdown with HTML card blocks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from plnkit.kit.model import Kit, Tab
from plnkit.render.binder import render_binder
from plnkit.render.contribute import Contribute, suggest_link
from plnkit.render.i18n import _, using
from plnkit.render.link_health_page import LINK_HEALTH_URI, render_link_health_page
from plnkit.render.paging import (
    DEFAULT_MAX_RESOURCES,
    INLINE_MAP_MAX,
    MAP_FILE,
    PAGE_BYTES_MAX,
    TabPage,
    TabPaging,
    kit_paging,
    page_map,
    paginate,
    resource_href,
)
from plnkit.render.print_page import PRINT_URI, render_print_page
from plnkit.render.river_page import river_pages, tab_feed_links
from plnkit.render.start_here import STAGE_TEXT, render_journeys, render_stage_path
from plnkit.render.state import SiteState
from plnkit.render.subscribe import render_subscribe
from plnkit.render.text import esc, inline_markdown
from plnkit.render.whole_kit import WHOLE_KIT_URI, render_whole_kit_page

__all__ = [
    "STAGE_TEXT",
    "WHOLE_KIT_URI",
    "RenderOptions",
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
) -> str:
    """The Markdown source of one tab's page: intro, then the binder of its resources.

    The first tab ("Start here") also carries the stage path and the two journeys, with its
    own resources one heading level down. `page` is one page of a split tab (with `paging`,
    every tab's pages); without, the page holds the whole tab.
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
    )
    lines += [binder, ""]
    return "\n".join(lines)


def render_pager(paging: TabPaging, page: TabPage) -> str:
    """The pages of a split tab, as links (the current one marked), and its page map.

    The map tells the binder script where a card named by a link's `#slug` lives, when it is
    not on this page; a small map rides in the page, a large one is the tab's pages.json."""
    up = "../" if page.key else ""
    items = "".join(
        f'<li><a href="{up}{other.path or "./"}"'
        + (' aria-current="page"' if other.index == page.index else "")
        + f">{esc(other.label)}</a>"
        f' <span class="plnkit-pager__count">({len(other.resources)})</span></li>'
        for other in paging.pages
    )
    data = page_map(paging)
    where = (
        f' data-page-map="{esc(data)}"'
        if len(data) <= INLINE_MAP_MAX
        else f' data-page-map-src="{up}{MAP_FILE}"'
    )
    return (
        f'<nav class="plnkit-pager" data-search-exclude data-page-base="{up or "./"}"{where}'
        f' aria-label="{esc(paging.tab.title)}: pages">'
        f'<p class="plnkit-pager__total">{paging.total} resources on {len(paging.pages)} '
        f'pages, by name:</p><ul class="plnkit-pager__pages">{items}</ul></nav>'
    )


def _render_tab(
    kit: Kit,
    tab: Tab,
    state: SiteState,
    options: RenderOptions,
    paging: dict[str, TabPaging],
) -> dict[str, str]:
    tab_paging = paging[tab.id]
    if not tab_paging.split:
        return {tab_uri(tab): render_tab_page(kit, tab, state, options, paging=paging)}
    out = {
        page.uri: render_tab_page(kit, tab, state, options, page, paging)
        for page in tab_paging.pages
    }
    data = page_map(tab_paging)
    if len(data) > INLINE_MAP_MAX:
        out[f"{tab.id}/{MAP_FILE}"] = data
    return out


def _biggest(pages: dict[str, str]) -> int:
    return max(len(text.encode("utf-8")) for uri, text in pages.items() if uri.endswith(".md"))


def tab_pages(kit: Kit, state: SiteState, options: RenderOptions | None = None) -> dict[str, str]:
    """Every tab's page or pages (a split tab's large page map as pages.json too), by path.

    A tab is first split by `options.max_resources_per_page`; when a page's source is still
    over PAGE_BYTES_MAX (cards with posts and previews are bigger), that tab is split again
    into smaller pages until each fits. The first tab is rendered last: its stage path links
    to resources on the other tabs' final pages."""
    options = options or RenderOptions()
    paging = kit_paging(kit, options.max_resources_per_page)
    rendered: dict[str, dict[str, str]] = {}
    tabs = kit.binder.tabs
    for tab in (*tabs[1:], *tabs[:1]):
        out = _render_tab(kit, tab, state, options, paging)
        limit = paging[tab.id].total
        for _attempt in range(8):
            biggest = _biggest(out)
            if biggest <= PAGE_BYTES_MAX or limit <= 1:
                break
            per_page = max(len(page.resources) for page in paging[tab.id].pages)
            limit = max(1, min(per_page - 1, int(per_page * PAGE_BYTES_MAX * 0.95 / biggest)))
            paging[tab.id] = paginate(tab, kit.in_tab(tab.id), limit)
            out = _render_tab(kit, tab, state, options, paging)
        rendered[tab.id] = out
    pages: dict[str, str] = {}
    for tab in tabs:  # in binder order
        pages.update(rendered[tab.id])
    return pages


def site_pages(kit: Kit, state: SiteState, options: RenderOptions | None = None) -> dict[str, str]:
    """Every generated page, keyed by its path in the docs tree, in the options' language."""
    options = options or RenderOptions()
    with using(options.language):
        return _site_pages(kit, state, options)


def _site_pages(kit: Kit, state: SiteState, options: RenderOptions) -> dict[str, str]:
    pages = tab_pages(kit, state, options)
    # The printable handout: the whole kit on a few pages (linked from every binder); a split
    # tab prints its first resources and where to find the rest.
    pages[PRINT_URI] = render_print_page(kit, per_tab=options.max_resources_per_page)
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

    A tab split into pages (plnkit.render.paging) is still one tab, leading to its first
    page. MkDocs themes print navigation titles as HTML, so titles from binder.yml are escaped.
    """
    entries = [{_("Home"): home}] if home else []
    return entries + [{esc(tab.title): tab_uri(tab)} for tab in kit.binder.tabs]
