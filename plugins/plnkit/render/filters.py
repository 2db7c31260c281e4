"""The filter bar of a tab page: stage, kind, tag and cost, offered only where they vary.

The form is rendered `hidden`; the binder script shows it and applies the choices, so a reader
without JavaScript sees every resource and no controls that would do nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from plnkit.kit.model import COSTS, KINDS, STAGES, Resource
from plnkit.render.i18n import N_, _
from plnkit.render.stages import STAGE_NAMES
from plnkit.render.text import esc

KIND_PLURALS = {
    "community": N_("Communities"), "webinar": N_("Webinars"), "blog": N_("Blogs"),
    "social": N_("Social accounts"), "chat": N_("Chats"), "platform": N_("Platforms"),
    "guide": N_("Guides"), "event": N_("Events"), "research": N_("Research"),
    "organization": N_("Organizations"), "podcast": N_("Podcasts"),
    "newsletter": N_("Newsletters"), "list": N_("People to follow"),
}  # fmt: skip
COST_NAMES = {"free": N_("Free"), "freemium": N_("Free with paid extras"), "paid": N_("Paid")}


@dataclass(frozen=True)
class Filter:
    key: str  # the query parameter: stage, kind, tag, cost
    label: str
    any_label: str
    options: tuple[tuple[str, str], ...]  # (value, label)


def filters_for(resources: Sequence[Resource]) -> list[Filter]:
    """The filters worth offering for these resources, each with the values present.

    A filter with no values (no resource has a cost, say) is left out.
    """
    stages = {s for r in resources for s in r.stages}
    kinds = {r.kind for r in resources}
    tags = sorted({t for r in resources for t in r.tags})
    costs = {r.cost for r in resources if r.cost}
    found = [
        Filter(
            "stage",
            _("PLN stage"),
            _("Any stage"),
            tuple((s, _(STAGE_NAMES[s])) for s in STAGES if s in stages),
        ),
        Filter(
            "kind",
            _("Kind"),
            _("Any kind"),
            tuple((k, _(KIND_PLURALS[k])) for k in KINDS if k in kinds),
        ),
        Filter("tag", _("Tag"), _("Any tag"), tuple((t, t) for t in tags)),
        Filter(
            "cost",
            _("Cost"),
            _("Any cost"),
            tuple((c, _(COST_NAMES[c])) for c in COSTS if c in costs),
        ),
    ]
    return [f for f in found if f.options]


def render_filters(resources: Sequence[Resource], scope: str) -> str:
    """The filter form for one binder; `scope` (the tab id) keeps control ids unique."""
    found = filters_for(resources)
    if not found or len(resources) < 2:
        return ""
    fields = []
    for f in found:
        control = f"filter--{esc(scope)}--{f.key}"
        options = "".join(
            f'<option value="{esc(value)}">{esc(label)}</option>' for value, label in f.options
        )
        fields.append(
            f'<div class="plnkit-filters__field"><label for="{control}">{esc(f.label)}</label>'
            f'<select id="{control}" name="{f.key}" data-filter="{f.key}">'
            f'<option value="">{esc(f.any_label)}</option>{options}</select></div>'
        )
    return (
        f'<form class="plnkit-filters" aria-label="{esc(_("Filter resources"))}"'
        " data-search-exclude hidden>"
        '<details class="plnkit-filters__details">'
        f"<summary>{esc(_('Filter by stage, kind, tag or cost'))}</summary>"
        f'<div class="plnkit-filters__fields">{"".join(fields)}'
        '<div class="plnkit-filters__field plnkit-filters__actions">'
        '<button type="reset" class="plnkit-button plnkit-filters__clear">'
        f"{esc(_('Clear filters'))}</button>"
        "</div></div></details>"
        '<p class="plnkit-filters__count" role="status" aria-live="polite"></p>'
        "</form>"
    )
