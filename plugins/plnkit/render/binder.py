"""A tab's binder: the filter bar and every resource card, server-rendered.

Without JavaScript this is a plain grid of cards, every one visible and linked. The binder
script (assets/plnkit-binder.js) reads the same markup and turns it into an ARIA tabs widget:
one sub-tab per card, the selected card as the tab panel, a live preview where allowed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from plnkit.kit.model import Resource, Tab
from plnkit.render.cards import render_card
from plnkit.render.contribute import Contribute
from plnkit.render.filters import render_filters
from plnkit.render.i18n import _, ngettext
from plnkit.render.state import SiteState
from plnkit.render.text import esc


def render_binder(
    tab: Tab,
    resources: Sequence[Resource],
    state: SiteState,
    *,
    posts_shown: int = 3,
    heading_level: int = 2,
    site_root: str = "../",
    calendar_events: Collection[str] = (),
    contribute: Contribute | None = None,
    filters: str | None = None,
) -> str:
    """One HTML block (no blank lines) holding the tab's filters and cards.

    `site_root` leads from the page to the site's root; `calendar_events` are the slugs whose
    event the site's calendar.ics (at that root) holds: only those get "Add to calendar".
    `contribute` gives each card its "Edit this file on GitHub" link. `filters` is the filter
    form when it is not this page's own: one page of a split tab offers the whole tab's
    choices, so a filter carried from another page is kept even where nothing matches it.
    """
    calendar_href = f"{site_root}calendar.ics"
    if not resources:
        return f'<p class="plnkit-binder__none">{esc(_("No resources in this tab yet."))}</p>'
    cards = "".join(
        render_card(
            r,
            state,
            posts_shown=posts_shown,
            heading_level=heading_level,
            calendar_href=calendar_href if r.slug in calendar_events else None,
            contribute=contribute,
        )
        for r in resources
    )
    count = len(resources)
    total = ngettext("{count} resource", "{count} resources", count).format(count=count)
    # The binder script words its filter count from these, in the page's language.
    counts = (
        f' data-count-all="{esc(_("Showing all {total} resources"))}"'
        f' data-count-some="{esc(_("Showing {shown} of {total}"))}"'
    )
    return (
        f'<div class="plnkit-binder" data-tab="{esc(tab.id)}"'
        f' data-label="{esc(_("{tab}: resources").format(tab=tab.title))}"{counts}>'
        f'<div class="plnkit-binder__bar" data-search-exclude>'
        f'<p class="plnkit-binder__total">{esc(total)}</p>'
        f'<p class="plnkit-binder__print"><a href="{esc(site_root)}print/">'
        f"{esc(_('Printable handout of the whole kit'))}</a></p></div>"
        f"{render_filters(resources, tab.id) if filters is None else filters}"
        f'<p class="plnkit-binder__empty" hidden>{esc(_("No resources match these filters."))}'
        ' <button type="button" class="plnkit-button plnkit-binder__reset">'
        f"{esc(_('Show all'))}</button></p>"
        f'<div class="plnkit-binder__body"><div class="plnkit-cards" data-tab="{esc(tab.id)}">'
        f"{cards}</div></div></div>"
    )
