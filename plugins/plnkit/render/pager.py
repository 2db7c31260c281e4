"""The pager of a page split in parts: a split tab's letter pages, or a numbered list's pages.

Two kinds, both plain links a reader without JavaScript can follow:

- `render_pager`: every page of a split tab by its letters ("A–F", "G–M"), the current one
  marked, with the tab's page map, so the binder script can send a link to a card on
  another page on to that page (plnkit.render.paging).
- `render_numbered_pager`: "Previous · Page 2 of 5 · Next", with the first and last page, for
  long lists whose order is not by name (the Link health page's sections).

Every word comes from the catalogue (`make messages`).
"""

from __future__ import annotations

from collections.abc import Callable

from plnkit.render.i18n import _, ngettext
from plnkit.render.paging import INLINE_MAP_MAX, MAP_FILE, TabPage, TabPaging, page_map
from plnkit.render.text import esc


def map_is_inline(data: str) -> bool:
    """Whether a page map rides inside each page (else it is a file beside the first page)."""
    return len(data) <= INLINE_MAP_MAX


def page_map_attributes(data: str, map_file: str) -> str:
    """A page map as the binder script reads it: inline when small, else named by its file."""
    if map_is_inline(data):
        return f' data-page-map="{esc(data)}"'
    return f' data-page-map-src="{esc(map_file)}"'


def render_pager(paging: TabPaging, page: TabPage) -> str:
    """The pages of a split tab, as links (the current one marked), and its page map.

    The map tells the binder script where a card named by a link's `#slug` lives, when it is
    not on this page; a small map rides in the page, a large one is the tab's pages.json."""
    up = "../" if page.key else ""
    items = "".join(
        f'<li><a href="{up}{other.path or "./"}" data-keep-query'
        + (' aria-current="page"' if other.index == page.index else "")
        + f">{esc(other.label)}</a>"
        f' <span class="plnkit-pager__count">({len(other.resources)})</span></li>'
        for other in paging.pages
    )
    total = ngettext(
        "{count} resource on {pages} pages, by name:",
        "{count} resources on {pages} pages, by name:",
        paging.total,
    ).format(count=paging.total, pages=len(paging.pages))
    label = _("Pages of {tab}").format(tab=paging.tab.title)
    where = page_map_attributes(page_map(paging), f"{up}{MAP_FILE}")
    return (
        f'<nav class="plnkit-pager" data-search-exclude data-page-base="{up or "./"}"{where}'
        f' aria-label="{esc(label)}">'
        f'<p class="plnkit-pager__total">{esc(total)}</p>'
        f'<ul class="plnkit-pager__pages">{items}</ul></nav>'
    )


def render_numbered_pager(number: int, count: int, href: Callable[[int], str], label: str) -> str:
    """Links between numbered pages, on page `number` of `count`; `href(n)` leads to page n.

    Only the neighbours and both ends are linked, so a list of hundreds of pages still fits on
    a phone's screen. `label` names the list for screen readers.

    >>> print(render_numbered_pager(2, 5, lambda n: f"p{n}/", "Dead links"))  # doctest: +ELLIPSIS
    <nav class="plnkit-pager plnkit-pager--numbered" ... aria-label="Pages of Dead links">...
    """
    links = []
    if number > 1:
        if number > 2:
            links.append(f'<a href="{esc(href(1))}">« {esc(_("First page"))}</a>')
        links.append(f'<a href="{esc(href(number - 1))}" rel="prev">‹ {esc(_("Previous"))}</a>')
    where = _("Page {number} of {count}").format(number=number, count=count)
    links.append(f'<span aria-current="page">{esc(where)}</span>')
    if number < count:
        links.append(f'<a href="{esc(href(number + 1))}" rel="next">{esc(_("Next"))} ›</a>')
        if number < count - 1:
            links.append(f'<a href="{esc(href(count))}">{esc(_("Last page"))} »</a>')
    named = _("Pages of {tab}").format(tab=label)
    return (
        f'<nav class="plnkit-pager plnkit-pager--numbered" data-search-exclude'
        f' aria-label="{esc(named)}"><p class="plnkit-pager__links">'
        + " · ".join(links)
        + "</p></nav>"
    )
