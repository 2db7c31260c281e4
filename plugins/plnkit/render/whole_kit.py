""" "Every resource": the whole kit as one binder, so filters in the address span every tab.

Start here's "…and N more" links land here filtered by their stage (`?stage=creation`), and
any filter a reader bookmarks on a tab works here on the whole kit. The page stays out of the
navigation and of search (each card is already found on its own tab).

A kit with more resources than one page holds (`max_resources_per_page`, as for a tab) gets a
short guide here instead: for each stage, how many of its resources each tab holds, linked to
that tab filtered by the stage (a split tab's pager keeps the filter from page to page), and
every tab with its count. Every card then lives once, on its tab, and this page stays small
on a phone. Old links still land: with `?stage=…` the binder script shows that stage's part
first (and the tab links carry the filter), and `#slug` is sent on to the page of its tab that
holds the card (the page map, plnkit.render.paging).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping

from plnkit.kit.model import STAGES, Kit, Tab
from plnkit.render.binder import render_binder
from plnkit.render.contribute import Contribute
from plnkit.render.i18n import N_, _, format_number, ngettext
from plnkit.render.pager import map_is_inline, page_map_attributes
from plnkit.render.paging import MAP_FILE, PAGE_BYTES_MAX, TabPaging
from plnkit.render.stages import STAGE_NAMES
from plnkit.render.state import SiteState
from plnkit.render.text import esc

WHOLE_KIT_DIR = "all-resources"
WHOLE_KIT_URI = f"{WHOLE_KIT_DIR}/index.md"
WHOLE_KIT_MAP = f"{WHOLE_KIT_DIR}/{MAP_FILE}"
# User-facing words, kept together; `_` gives them in the site's language where they are shown.
TITLE = N_("Every resource")
INTRO = N_(
    "Every resource in the kit on one page. Filter by stage, kind, tag or cost; the address "
    "keeps your choice, so you can bookmark or share it."
)
GUIDE_INTRO = N_(
    "This kit holds {count} resources, too many for one page. Choose a stage to see its "
    "resources tab by tab, or open a tab; search finds any resource by name."
)


def whole_kit_href(site_root: str, stage: str | None = None) -> str:
    """The page's address from a page `site_root` below the root, optionally filtered.

    >>> whole_kit_href("../", "creation")
    '../all-resources/?stage=creation'
    """
    return f"{site_root}{WHOLE_KIT_DIR}/" + (f"?stage={stage}" if stage else "")


def whole_kit_is_split(kit: Kit, limit: int) -> bool:
    """Whether the kit is too large for one page, so this page is a guide to the tabs."""
    return limit >= 1 and len(kit.resources) > limit


def _front_matter(title: str) -> list[str]:
    return [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        "hide: [navigation, toc]",
        "search:",
        "  exclude: true",
        "---",
        "",
        f'<h1 id="tab--{WHOLE_KIT_DIR}">{esc(title)}</h1>',
        "",
    ]


def render_whole_kit_page(
    kit: Kit,
    state: SiteState,
    *,
    posts_shown: int = 3,
    calendar_events: Collection[str] = (),
    contribute: Contribute | None = None,
) -> str:
    """The Markdown source of the page with every card (a kit small enough for one page)."""
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
        [*_front_matter(title), f'<p class="plnkit-intro">{esc(_(INTRO))}</p>', "", binder, ""]
    )


def _count(count: int) -> str:
    words = ngettext("{count} resource", "{count} resources", count)
    return words.format(count=format_number(count))


def whole_kit_map(paging: Mapping[str, TabPaging]) -> str:
    """Every resource's page, as compact JSON from the site's root: the page map this page
    carries (or its pages.json), so `all-resources/#slug` still lands on the card.

    >>> from pathlib import Path
    >>> from plnkit.kit.model import Resource
    >>> from plnkit.render.paging import paginate
    >>> r = Resource("a", "t", Path("a"), "Apple", "https://e.org/", "blog", "x" * 20)
    >>> whole_kit_map({"t": paginate(Tab("t", "T"), [r], 5)})
    '{"pages":["t/"],"slugs":{"a":0}}'
    """
    pages: list[str] = []
    slugs: dict[str, int] = {}
    for tab_id, tab_paging in paging.items():
        for page in tab_paging.pages:
            for resource in page.resources:
                slugs[resource.slug] = len(pages)
            pages.append(f"{tab_id}/{page.path}")
    return json.dumps({"pages": pages, "slugs": slugs}, ensure_ascii=False, separators=(",", ":"))


def render_whole_kit_guide(kit: Kit, paging: Mapping[str, TabPaging], page_map: str) -> str:
    """The Markdown source of the page for a kit too large for one page: each stage's
    resources counted tab by tab, linked to the tab filtered by that stage, then every tab.

    `page_map` is `whole_kit_map(paging)`: inline when small, else the page names its file."""
    tabs = [t for t in kit.binder.tabs if t.id in paging]
    per_stage: dict[str, dict[str, int]] = {stage: {} for stage in STAGES}
    for resource in kit.resources:
        for stage in resource.stages:
            counts = per_stage.setdefault(stage, {})
            counts[resource.tab] = counts.get(resource.tab, 0) + 1
    intro = _(GUIDE_INTRO).format(count=format_number(len(kit.resources)))
    lines = [*_front_matter(_(TITLE)), f'<p class="plnkit-intro">{esc(intro)}</p>', ""]
    stages = []
    for stage in STAGES:
        counts = per_stage.get(stage) or {}
        if not counts:
            continue
        links = "".join(
            f'<li><a href="../{esc(t.id)}/?stage={stage}">{esc(t.title)}</a>'
            f' <span class="plnkit-whole-kit__count">({esc(_count(counts[t.id]))})</span></li>'
            for t in tabs
            if counts.get(t.id)
        )
        stages.append(
            f'<section class="plnkit-whole-kit__stage" id="stage--{stage}"'
            f' aria-labelledby="stage--{stage}--title" data-stage="{stage}">'
            f'<h3 id="stage--{stage}--title">{esc(_(STAGE_NAMES[stage]))}'
            f' <span class="plnkit-whole-kit__count">({esc(_count(sum(counts.values())))})'
            f'</span></h3><ul class="plnkit-whole-kit__tabs">{links}</ul></section>'
        )
    if stages:
        lines += [f'<h2 id="whole-kit--stages">{esc(_("By stage"))}</h2>', "", *stages, ""]
    tab_links = "".join(
        f'<li><a href="../{esc(t.id)}/" data-keep-query>{esc(t.title)}</a>'
        f' <span class="plnkit-whole-kit__count">({esc(_count(paging[t.id].total))})</span></li>'
        for t in tabs
    )
    where = page_map_attributes(page_map, MAP_FILE)
    lines += [
        f'<h2 id="whole-kit--tabs">{esc(_("By tab"))}</h2>',
        "",
        f'<nav class="plnkit-pager plnkit-whole-kit" data-page-base="../"{where}'
        f' aria-label="{esc(_("By tab"))}"><ul class="plnkit-whole-kit__tabs">{tab_links}</ul>'
        "</nav>",
        "",
    ]
    return "\n".join(lines)


def whole_kit_pages(
    kit: Kit,
    state: SiteState,
    paging: Mapping[str, TabPaging],
    *,
    limit: int,
    posts_shown: int = 3,
    calendar_events: Collection[str] = (),
    contribute: Contribute | None = None,
) -> dict[str, str]:
    """The page by its path in the docs tree: every card when the kit fits on one page (at
    most `limit` resources, under PAGE_BYTES_MAX), else the guide and, for a large kit, the
    page map it names (`all-resources/pages.json`). `paging` is every tab's final pages."""
    if not whole_kit_is_split(kit, limit):
        page = render_whole_kit_page(
            kit,
            state,
            posts_shown=posts_shown,
            calendar_events=calendar_events,
            contribute=contribute,
        )
        if len(page.encode("utf-8")) <= PAGE_BYTES_MAX:
            return {WHOLE_KIT_URI: page}
    data = whole_kit_map(paging)
    out = {WHOLE_KIT_URI: render_whole_kit_guide(kit, paging, data)}
    if not map_is_inline(data):
        out[WHOLE_KIT_MAP] = data
    return out
