"""The printable handout (/print/): the whole kit on a few pages, names, short notes, URLs.

Made for a workshop table: every address is printed as text, closed services point to their
archived copy, and a QR code (when the binder names its site URL) leads back to the live kit.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

import nh3

from plnkit.kit.model import STAGES, Kit, Resource, Tab
from plnkit.render.cards import COST_LABELS, KIND_LABELS, STATUS_LABELS, label
from plnkit.render.i18n import _, format_number
from plnkit.render.paging import PAGE_BYTES_MAX
from plnkit.render.stages import STAGE_NAMES
from plnkit.render.start_here import STAGE_TEXT
from plnkit.render.text import esc, inline_markdown

PRINT_URI = "print/index.md"
# The tabs' lists stay under this many bytes, so the built page stays under 300 KB.
HANDOUT_BYTES_MAX = PAGE_BYTES_MAX - 20_000
SHORT_MAX = 150
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def plain_text(markdown_text: str) -> str:
    """A description's inline Markdown as plain text (no tags, entities decoded)."""
    return html.unescape(nh3.clean(inline_markdown(markdown_text), tags=set())).strip()


def short_description(markdown_text: str, limit: int = SHORT_MAX) -> str:
    """The first sentence when it fits, else the text cut at a word with an ellipsis.

    >>> short_description("One idea. Two ideas.")
    'One idea.'
    >>> short_description("word " * 50, limit=20)
    'word word word word…'
    """
    text = " ".join(plain_text(markdown_text).split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:—-")
    return cut + "…"


def site_root(url: str) -> str:
    """A site address with one trailing slash ("" stays "")."""
    return url.rstrip("/") + "/" if url else ""


def url_text(url: str) -> str:
    """A URL as a reader would type it: no scheme, no trailing slash.

    >>> url_text("https://www.example.org/a/")
    'www.example.org/a'
    """
    return re.sub(r"^https?://", "", url).rstrip("/")


def qr_svg(url: str) -> str:
    """An inline SVG QR code for `url`, labelled for screen readers in the site's language."""
    named = esc(_("QR code for {url}").format(url=url))
    return _qr_svg(url).replace("<svg ", f'<svg role="img" aria-label="{named}" ', 1)


@lru_cache(maxsize=8)
def _qr_svg(url: str) -> str:
    import segno  # only binders with a site URL print a QR code

    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#000", light="#fff")
    return svg


def _item(resource: Resource) -> str:
    meta = label(KIND_LABELS, resource.kind)
    if resource.cost:
        meta += f" · {label(COST_LABELS, resource.cost)}"
    address, archived = resource.url, ""
    if not resource.is_current:
        meta += f" · {label(STATUS_LABELS, resource.status)}"
        if resource.archive_url:
            address, archived = resource.archive_url, esc(_("Archived copy:")) + " "
    return (
        f'<li class="plnkit-handout__item"><span class="plnkit-handout__name">'
        f"{esc(resource.name)}</span>"
        f' <span class="plnkit-handout__meta">{esc(meta)}</span>'
        f'<span class="plnkit-handout__desc">{esc(short_description(resource.description))}</span>'
        f'<span class="plnkit-handout__url">{archived}<a href="{esc(address)}">'
        f"{esc(url_text(address))}</a></span></li>"
    )


def _rest_line(tab_id: str, title: str, more: int, site: str) -> str:
    """Where the rest of a tab too big to print is: its pages in the live kit."""
    address = f"{site}{tab_id}/" if site else f"../{tab_id}/"
    shown = url_text(address) if site else _("the {tab} tab").format(tab=title)
    words = esc(_("…and {more} more in {tab}:").format(more=format_number(more), tab=title))
    return f'<p class="plnkit-handout__more">{words} <a href="{esc(address)}">{esc(shown)}</a></p>'


def _printed(count: int, per_tab: int | None, cap: int | None) -> int:
    """How many of a tab's `count` resources the handout prints.

    >>> _printed(10, 200, None), _printed(900, 200, None), _printed(900, 200, 20)
    (10, 50, 20)
    """
    keep = count
    if per_tab and count > per_tab:
        keep = max(1, per_tab // 4)
    if cap is not None:
        keep = min(keep, max(1, cap))
    return keep


def _tab_section(tab: Tab, resources: tuple[Resource, ...], keep: int, site: str) -> str:
    """One tab's part of the handout: its first `keep` resources, current ones first."""
    rest = ""
    if keep < len(resources):
        ordered = [r for r in resources if r.is_current]
        ordered += [r for r in resources if not r.is_current]
        shown = {r.slug for r in ordered[:keep]}
        rest = _rest_line(tab.id, tab.title, len(resources) - keep, site_root(site))
        resources = tuple(r for r in resources if r.slug in shown)
    items = "".join(_item(r) for r in resources)
    return (
        f'<section class="plnkit-handout__tab" aria-labelledby="handout--{esc(tab.id)}">'
        f'<h2 id="handout--{esc(tab.id)}">{esc(tab.title)}</h2>'
        f'<ul class="plnkit-handout__list">{items}</ul>{rest}</section>'
    )


def render_print_page(kit: Kit, per_tab: int | None = None) -> str:
    """The Markdown source of the handout page (HTML blocks, hidden from search).

    A tab with more than `per_tab` resources (a tab the site splits into pages) prints only
    its first `per_tab // 4`, current ones first, and says where the others are: a handout of
    thousands of entries helps no one at a workshop table and would not load as one page.
    When the tabs together are still too long (many tabs), each prints fewer, alike."""
    binder = kit.binder
    stages = "".join(
        f"<li><strong>{esc(_(STAGE_NAMES[stage]))}</strong>: "
        f"{esc(_(STAGE_TEXT[stage][0]).lower())}</li>"
        for stage in STAGES
    )
    site = binder.site_url
    qr = (
        f'<figure class="plnkit-handout__qr">{qr_svg(site)}'
        f"<figcaption>{esc(_('Scan to open the live kit'))}</figcaption></figure>"
        if site
        else ""
    )
    site_line = (
        f'<p class="plnkit-handout__site">{esc(_("The live kit, checked and updated:"))} '
        f'<a href="{esc(site)}">{esc(url_text(site))}</a></p>'
        if site
        else ""
    )
    head = (
        f'<h1 id="handout--title">{esc(binder.title)}</h1>'
        '<div class="plnkit-handout__head"><div class="plnkit-handout__about">'
        + (f"<p>{esc(binder.description)}</p>" if binder.description else "")
        + f'<p class="plnkit-handout__stages-label">{esc(_("Four stages of a PLN:"))}</p>'
        f'<ol class="plnkit-handout__stages">{stages}</ol>{site_line}'
        '<p class="plnkit-handout__print" hidden><button type="button" '
        f'class="plnkit-button" data-plnkit-print>{esc(_("Print this handout"))}</button></p>'
        f"</div>{qr}</div>"
    )
    tabs = [(tab, kit.in_tab(tab.id)) for tab in binder.tabs]
    tabs = [(tab, resources) for tab, resources in tabs if resources]
    cap: int | None = None
    for _attempt in range(8):
        printed = [_printed(len(resources), per_tab, cap) for _tab, resources in tabs]
        sections = [
            _tab_section(tab, resources, keep, site)
            for (tab, resources), keep in zip(tabs, printed, strict=True)
        ]
        size = sum(len(section.encode("utf-8")) for section in sections)
        most = max(printed, default=0)
        if size <= HANDOUT_BYTES_MAX or most <= 1:
            break
        # Many tabs, or long entries: every tab prints fewer, so the handout stays one page.
        cap = max(1, min(most - 1, int(most * HANDOUT_BYTES_MAX * 0.95 / size)))
    front = [
        "---",
        "title: "
        + json.dumps(
            esc(_("Printable handout: {name}").format(name=binder.short_title or binder.title))
        ),
        "hide: [navigation, toc]",
        "search: {exclude: true}",
        "---",
        "",
    ]
    body = f'<div class="plnkit-handout">{head}{"".join(sections)}</div>'
    return "\n".join([*front, body, ""])
