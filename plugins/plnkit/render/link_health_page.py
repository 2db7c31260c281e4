"""The "Link health" page: every resource whose link needs a second look, in plain words.

Problems come first, one section each; links that work are only counted. On a large kit a
section too long for the page moves to numbered pages of its own (`link-health/dead/`,
`link-health/dead/2/`, …) and the page keeps its heading, its advice, its count and a link to
the list, so every page stays small enough for a phone (plnkit.render.list_pages).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from plnkit.kit.model import Kit, Resource
from plnkit.links.view import LinkView
from plnkit.render.cards import health_badge, last_checked
from plnkit.render.i18n import N_, _, format_number, ngettext
from plnkit.render.list_pages import list_pages
from plnkit.render.pager import render_numbered_pager
from plnkit.render.paging import DEFAULT_MAX_RESOURCES, PAGE_BYTES_MAX, TabPaging, resource_href
from plnkit.render.state import HEALTH_LABELS, SiteState
from plnkit.render.text import esc, readable_date

LINK_HEALTH_DIR = "link-health"
LINK_HEALTH_URI = f"{LINK_HEALTH_DIR}/index.md"
TITLE = N_("Link health")
HISTORY = (
    "history",
    N_("Kept for history"),
    N_("The curators keep these closed or archived resources so older guides that mention "
       "them still make sense; they are not checked."),
)  # fmt: skip

SECTIONS = (
    ("changed", N_("May have changed hands"),
     N_("These addresses still answer, but the page is no longer what the curators chose: a "
        "parking or for-sale page, another site, or a different title. A curator should open "
        "each one: if it is still the resource, run `plnkit verify SLUG --by NAME`; if not, mark "
        "the resource retired with an archived copy.")),
    ("dead", N_("Dead links"),
     N_("These failed on several checks over at least a week. An archived copy is linked.")),
    ("failing", N_("Failing links"),
     N_("These failed recently. Often it is temporary; they are marked dead only if it lasts.")),
    ("moved", N_("Moved"),
     N_("These pages now live at a new address; the kit will be updated.")),
    ("blocked", N_("Sites that turn away checkers"),
     N_("These sites refuse automated link checkers, and no person has opened them lately. They "
        "usually work fine in a browser: a curator who opens one and finds it as described "
        "records that with `plnkit verify SLUG --by NAME`.")),
    ("verified", N_("Checked by a person"),
     N_("These sites turn away link checkers, so a curator opened each one in a browser.")),
)  # fmt: skip


def _date(text: str | None) -> str:
    return f'<time datetime="{esc(text)}">{esc(readable_date(text))}</time>' if text else ""


def _item(resource: Resource, view: LinkView, href: str, *, badge: bool = True) -> str:
    parts = [
        f'<li class="plnkit-health-item" data-health="{esc(view.health)}">',
        f'<a href="{esc(href)}">{esc(resource.name)}</a> ',
        health_badge(view) if badge else "",
        f' <code class="plnkit-health-item__url">{esc(resource.url)}</code>',
    ]
    if view.health == "moved" and view.final_url:
        parts.append(
            f' → {esc(_("new address:"))} <a href="{esc(view.final_url)}" rel="noopener nofollow">'
            f"{esc(view.final_url)}</a>"
        )
    if view.error:
        parts.append(f' <span class="plnkit-health-item__error">({esc(view.error)})</span>')
    if view.changed:
        parts.append(f' <span class="plnkit-health-item__error">({esc(view.changed)})</span>')
    if view.health == "blocked" and view.verified_on:
        parts.append(
            " "
            + esc(_("the last person's check, on {date}, is too old: please look again")).format(
                date=_date(view.verified_on)
            )
        )
    elif view.health == "blocked":
        verify = f"plnkit verify {esc(resource.slug)} --by NAME"
        ask = esc(_("please open it and record what you find ({command})"))
        parts.append(" " + ask.format(command=f"<code>{verify}</code>"))
    if view.health == "verified" and view.verified_by:
        parts.append(" " + esc(_("by {name}").format(name=view.verified_by)))
    if view.since and view.health in ("failing", "dead"):
        parts.append(" " + esc(_("failing since {date}")).format(date=_date(view.since)))
    if view.archive_url:
        parts.append(
            f' <a class="plnkit-health-item__archive" href="{esc(view.archive_url)}" '
            f'rel="noopener nofollow">{esc(_("Archived copy"))}</a>'
        )
    if view.checked_at:
        parts.append(f" {last_checked(view)}")
    parts.append("</li>")
    return "".join(parts)


@dataclass(frozen=True)
class Section:
    """One kind of trouble (or the history list) and the resources in it."""

    key: str  # the section's folder when it has pages of its own: link-health/KEY/
    title: str
    advice: str
    entries: tuple[tuple[Resource, LinkView], ...]
    badge: bool = True

    def items(self, site_root: str, paging: Mapping[str, TabPaging], count: int = -1) -> list[str]:
        """The section's list items (the first `count`, or all), as linked from a page
        `site_root` below the site's root."""
        entries = self.entries if count < 0 else self.entries[:count]
        return [
            _item(r, v, resource_href(paging, r, site_root), badge=self.badge) for r, v in entries
        ]


def _sections(kit: Kit, state: SiteState) -> tuple[list[tuple[Resource, LinkView]], list[Section]]:
    """The current resources with their views, and every section that has resources."""
    views = [(r, state.link(r.slug)) for r in kit.resources]
    current = [(r, v) for r, v in views if r.is_current]
    sections = [
        Section(key, title, advice, tuple((r, v) for r, v in current if v.health == key))
        for key, title, advice in SECTIONS
    ]
    key, title, advice = HISTORY
    history = tuple((r, v) for r, v in views if not r.is_current)
    sections.append(Section(key, title, advice, history, badge=False))
    return current, [s for s in sections if s.entries]


def _list(section: Section, items: list[str]) -> str:
    return f'<ul class="plnkit-health-list" data-health="{section.key}">{"".join(items)}</ul>'


def _intro(current: list[tuple[Resource, LinkView]]) -> list[str]:
    counts = "".join(
        f"<li>{esc(_(HEALTH_LABELS[key]))}: "
        f"{esc(format_number(sum(v.health == key for _r, v in current)))}</li>"
        for key in HEALTH_LABELS
    )
    return [
        '<p class="plnkit-intro">'
        + esc(
            _(
                "Every link in this kit is checked regularly. A link is called dead only after "
                "it has failed on at least three checks spread over a week, so a short outage "
                "never hides a good resource."
            )
        )
        + "</p>",
        "",
        f'<ul class="plnkit-health-summary">{counts}</ul>',
        "",
    ]


def _unchecked(current: list[tuple[Resource, LinkView]], anything: bool) -> list[str]:
    unchecked = sum(v.health == "unchecked" for _r, v in current)
    lines = []
    if not anything and unchecked < len(current):
        lines += [f"<p>{esc(_('Every checked link works. Nothing needs attention.'))}</p>", ""]
    if unchecked:
        lines += [
            "<p>"
            + esc(
                ngettext(
                    "{count} link has not been checked yet; it is checked on the next build "
                    "with a network connection.",
                    "{count} links have not been checked yet; they are checked on the next "
                    "build with a network connection.",
                    unchecked,
                ).format(count=format_number(unchecked))
            )
            + "</p>",
            "",
        ]
    return lines


def _section_uri(section: Section, number: int) -> str:
    """A section's numbered page in the docs tree.

    >>> s = Section("dead", "Dead links", "", ())
    >>> _section_uri(s, 1), _section_uri(s, 3)
    ('link-health/dead/index.md', 'link-health/dead/3/index.md')
    """
    page = "" if number == 1 else f"{number}/"
    return f"{LINK_HEALTH_DIR}/{section.key}/{page}index.md"


def _section_page(section: Section, items: list[str], number: int, count: int) -> str:
    """One numbered page of a section with pages of its own."""
    up = "" if number == 1 else "../"  # to link-health/KEY/

    def href(n: int) -> str:
        return f"{up}{n}/" if n > 1 else (up or "./")

    title = _(section.title)
    if count > 1:
        where = _("Page {number} of {count}").format(number=number, count=count)
        title = _("{title} ({where})").format(title=title, where=where)
    pager = render_numbered_pager(number, count, href, _(section.title)) if count > 1 else ""
    return "\n".join(
        [
            "---",
            f"title: {json.dumps(esc(title))}",
            "---",
            "",
            f"# {esc(title)}",
            "",
            f'<p class="plnkit-health-back"><a href="{up}../">← {esc(_(TITLE))}</a></p>',
            "",
            f"<p>{esc(_(section.advice))}</p>",
            "",
            pager,
            "",
            _list(section, items),
            "",
            pager,
            "",
        ]
    )


def link_health_pages(
    kit: Kit,
    state: SiteState,
    paging: Mapping[str, TabPaging] | None = None,
    *,
    per_page: int = DEFAULT_MAX_RESOURCES,
    max_bytes: int = PAGE_BYTES_MAX,
) -> dict[str, str]:
    """The Link health page and each long section's numbered pages, by path in the docs tree.

    Sections stay on the page, in order, while together they hold at most `per_page` links
    and `max_bytes` of list; a section that does not fit gets pages of its own, each with at
    most `per_page` links and `max_bytes` of list. `paging` (every tab's pages) makes each
    link lead straight to the page of its tab that holds the card."""
    paging = paging or {}
    current, sections = _sections(kit, state)
    lines = [
        "---",
        f"title: {json.dumps(esc(_(TITLE)))}",
        "---",
        "",
        f"# {esc(_(TITLE))}",
        "",
        *_intro(current),
    ]
    pages: dict[str, str] = {}
    room, bytes_left = per_page, max_bytes
    anything = any(s.key != HISTORY[0] for s in sections)
    history_lines: list[str] = []
    for section in sections:
        out = lines if section.key != HISTORY[0] else history_lines
        out += [f"## {esc(_(section.title))}", ""]
        items = section.items("../", paging)
        size = sum(len(item.encode("utf-8")) for item in items)
        if len(items) <= room and size <= bytes_left:
            room, bytes_left = room - len(items), bytes_left - size
            out += [f"<p>{esc(_(section.advice))}</p>", _list(section, items), ""]
            continue
        # Cut as linked from the deepest page (link-health/KEY/N/), so every page fits.
        deepest = section.items("../../../", paging)
        chunks = list_pages(deepest, per_page, max_bytes)
        for number, chunk in enumerate(chunks, start=1):
            shown = chunk if number > 1 else section.items("../../", paging, len(chunk))
            pages[_section_uri(section, number)] = _section_page(
                section, shown, number, len(chunks)
            )
        count = ngettext("{count} link", "{count} links", len(items)).format(
            count=format_number(len(items))
        )
        out += [
            f"<p>{esc(_(section.advice))}</p>",
            f'<p class="plnkit-health-more">{esc(count)}: '
            f'<a href="{section.key}/">{esc(_("see the list"))}</a></p>',
            "",
        ]
    lines = [*lines, *_unchecked(current, anything), *history_lines]
    return {LINK_HEALTH_URI: "\n".join(lines), **pages}


def render_link_health_page(kit: Kit, state: SiteState) -> str:
    """The page's Markdown source for a kit whose sections all fit on it (tests, small kits)."""
    return link_health_pages(kit, state, per_page=len(kit.resources) + 1, max_bytes=2**62)[
        LINK_HEALTH_URI
    ]
