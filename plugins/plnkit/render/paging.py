"""Large tabs split into pages: which resources each page of a tab holds, and where it lives.

A tab with at most `max_resources_per_page` resources is one page, as it always was
(`TAB/index.md`). A larger tab is cut, in binder order (by name), into alphabetical pages:
whole first letters are packed together while they fit ("A–F", "G–M"), and a letter too big
for one page is cut into runs named by where they start and end ("Curious A–Curious L"). The
first page stays at `TAB/`, so links to a tab keep working; the others live at `TAB/KEY/`.

A deep link `TAB/#slug` to a resource on another page is sent on by the binder script, from the
page map every page of a split tab carries (`page_map`). Pure: no I/O.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from plnkit.kit.model import Kit, Resource, Tab

__all__ = [
    "DEFAULT_MAX_RESOURCES",
    "INLINE_MAP_MAX",
    "MAP_FILE",
    "PAGE_BYTES_MAX",
    "TabPage",
    "TabPaging",
    "kit_paging",
    "page_map",
    "paginate",
    "paginate_to_fit",
    "resource_href",
]

DEFAULT_MAX_RESOURCES = 200
# A page map this small rides inside each page (works from file:// too); a bigger one is a
# JSON file beside the tab's first page, fetched only when a link names a card not on the page.
INLINE_MAP_MAX = 48_000
MAP_FILE = "pages.json"
# A page's Markdown source stays under this many bytes, so the built page (the theme adds
# some 15 KB) stays under 300 KB.
PAGE_BYTES_MAX = 280_000
_PREFIX_MAX = 24


@dataclass(frozen=True)
class TabPage:
    """One page of a tab: its place in the tab, its label and its resources."""

    tab: Tab
    index: int  # 0 for the tab's first page
    key: str  # "" for the first page, else the folder under the tab ("g-m")
    label: str  # "A–F"; "" when the tab is one page
    resources: tuple[Resource, ...]

    @property
    def uri(self) -> str:
        """The page's path in the docs tree."""
        return f"{self.tab.id}/{self.key}/index.md" if self.key else f"{self.tab.id}/index.md"

    @property
    def path(self) -> str:
        """The page's folder, relative to the tab's first page ("" or "g-m/")."""
        return f"{self.key}/" if self.key else ""

    @property
    def site_root(self) -> str:
        """From this page to the site's root (a tab id may hold a "/": "all-resources/creation").

        >>> TabPage(Tab("t", "T"), 1, "g-m", "G–M", ()).site_root
        '../../'
        >>> TabPage(Tab("all-resources/creation", "C"), 0, "", "", ()).site_root
        '../../'
        """
        return "../" * (self.tab.id.count("/") + (2 if self.key else 1))


@dataclass(frozen=True)
class TabPaging:
    """A tab's pages, in order; one page (unlabelled) when the tab is small."""

    tab: Tab
    pages: tuple[TabPage, ...]
    total: int

    @property
    def split(self) -> bool:
        return len(self.pages) > 1

    @cached_property
    def _page_by_slug(self) -> dict[str, TabPage]:
        return {r.slug: page for page in self.pages for r in page.resources}

    def page_of(self, slug: str) -> TabPage:
        """The page holding `slug` (the first page when the tab has no such resource)."""
        return self._page_by_slug.get(slug, self.pages[0])


def _letter(name: str) -> str:
    """The letter a name files under: its first letter without accents, or "#".

    >>> _letter("Élan"), _letter("zine"), _letter("4th grade")
    ('E', 'Z', '#')
    """
    first = unicodedata.normalize("NFKD", name.strip()[:1] or "#")[:1].upper()
    return first if first.isalpha() else "#"


def _runs(resources: Sequence[Resource]) -> list[tuple[str, list[Resource]]]:
    """Consecutive resources grouped by the letter their name files under."""
    runs: list[tuple[str, list[Resource]]] = []
    for resource in resources:
        letter = _letter(resource.name)
        if runs and runs[-1][0] == letter:
            runs[-1][1].append(resource)
        else:
            runs.append((letter, [resource]))
    return runs


def _span_label(first: str, last: str) -> str:
    """A run of one letter, named by the shortest prefixes of its ends that differ."""
    a, b = " ".join(first.split()), " ".join(last.split())
    for length in range(2, _PREFIX_MAX + 1):
        if a[:length].casefold() != b[:length].casefold():
            return f"{a[:length].rstrip()}–{b[:length].rstrip()}"
    return f"{a[:_PREFIX_MAX].rstrip()}…"


def _chunks(items: list[Resource], limit: int) -> Iterable[list[Resource]]:
    """`items` cut into the fewest runs of at most `limit`, as even as can be."""
    count = -(-len(items) // limit)
    size, extra = divmod(len(items), count)
    start = 0
    for number in range(count):
        end = start + size + (1 if number < extra else 0)
        yield items[start:end]
        start = end


def _groups(resources: Sequence[Resource], limit: int) -> list[tuple[str, list[Resource]]]:
    """(label, resources) of each page: whole letters packed while they fit."""
    groups: list[tuple[list[str], list[Resource]]] = []
    for letter, run in _runs(resources):
        if len(run) > limit:
            for piece in _chunks(run, limit):
                groups.append(([_span_label(piece[0].name, piece[-1].name)], piece))
            groups.append(([], []))  # the next letter starts a page of its own
        elif groups and groups[-1][0] and len(groups[-1][1]) + len(run) <= limit:
            groups[-1][0].append(letter)
            groups[-1][1].extend(run)
        else:
            groups.append(([letter], list(run)))
    out = []
    for letters, members in groups:
        if not members:
            continue
        label = letters[0] if len(letters) == 1 else f"{letters[0]}–{letters[-1]}"
        out.append((label, members))
    return out


def _key(label: str, taken: set[str]) -> str:
    """A folder name for a page label, unique in its tab.

    >>> _key("A–F", set()), _key("#–C", set()), _key("Curious A–Curious L", {"x"})
    ('a-f', '0-c', 'curious-a-curious-l')
    """
    plain = label.replace("#", "0").replace("–", "-")
    text = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore")
    base = re.sub(r"[^a-z0-9]+", "-", text.decode("ascii").lower()).strip("-") or "page"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    taken.add(key)
    return key


def paginate(tab: Tab, resources: Sequence[Resource], limit: int) -> TabPaging:
    """The pages of one tab whose resources (in binder order) are `resources`."""
    resources = tuple(resources)
    if limit < 1 or len(resources) <= limit:
        return TabPaging(tab, (TabPage(tab, 0, "", "", resources),), len(resources))
    taken: set[str] = set()
    pages = []
    for index, (label, members) in enumerate(_groups(resources, limit)):
        key = "" if index == 0 else _key(label, taken)
        pages.append(TabPage(tab, index, key, label, tuple(members)))
    return TabPaging(tab, tuple(pages), len(resources))


def paginate_to_fit(
    tab: Tab,
    resources: Sequence[Resource],
    limit: int,
    render_page: Callable[[TabPaging, TabPage], str],
    max_bytes: int = PAGE_BYTES_MAX,
) -> tuple[TabPaging, list[str]]:
    """A tab's pages and each one's source (`render_page`), cut further until each fits.

    The tab is first cut by `limit` resources a page. Pages are rendered in order; the first
    one over `max_bytes` (cards with posts and previews are bigger) has the tab cut again, to
    fewer resources a page in proportion, and rendering starts over, at most a few times."""
    resources = tuple(resources)
    for _attempt in range(8):
        paging = paginate(tab, resources, limit)
        texts: list[str] = []
        for page in paging.pages:
            text = render_page(paging, page)
            size, count = len(text.encode("utf-8")), len(page.resources)
            if size > max_bytes and count > 1:
                limit = max(1, min(count - 1, int(count * max_bytes * 0.95 / size)))
                break
            texts.append(text)
        else:
            return paging, texts
    return paging, [render_page(paging, page) for page in paging.pages]


def kit_paging(kit: Kit, limit: int = DEFAULT_MAX_RESOURCES) -> dict[str, TabPaging]:
    """Every binder tab's pages, by tab id."""
    by_tab: dict[str, list[Resource]] = {tab.id: [] for tab in kit.binder.tabs}
    for resource in kit.resources:
        if resource.tab in by_tab:
            by_tab[resource.tab].append(resource)
    return {tab.id: paginate(tab, by_tab[tab.id], limit) for tab in kit.binder.tabs}


def resource_href(
    paging: Mapping[str, TabPaging], resource: Resource, site_root: str = "../"
) -> str:
    """The link from a page `site_root` below the site's root to a resource's card."""
    tab = paging.get(resource.tab)
    path = tab.page_of(resource.slug).path if tab else ""
    return f"{site_root}{resource.tab}/{path}#{resource.slug}"


def page_map(paging: TabPaging) -> str:
    """The tab's page map as compact JSON: each page's folder, and each slug's page number.

    >>> from pathlib import Path
    >>> def r(slug, name):
    ...     return Resource(slug, "t", Path(slug), name, "https://e.org/", "blog", "x" * 20)
    >>> tab = Tab("t", "T")
    >>> page_map(paginate(tab, [r("a", "Apple"), r("b", "Berry"), r("c", "Cherry")], 2))
    '{"pages":["","c/"],"slugs":{"a":0,"b":0,"c":1}}'
    """
    data = {
        "pages": [page.path for page in paging.pages],
        "slugs": {r.slug: page.index for page in paging.pages for r in page.resources},
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
