"""The "Link health" page: every resource whose link needs a second look, in plain words."""

from __future__ import annotations

import json

from plnkit.kit.model import Kit, Resource
from plnkit.links.view import LinkView
from plnkit.render.cards import health_badge, last_checked
from plnkit.render.i18n import N_, _, ngettext
from plnkit.render.state import HEALTH_LABELS, SiteState
from plnkit.render.text import esc, readable_date

LINK_HEALTH_URI = "link-health/index.md"
TITLE = N_("Link health")

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


def _item(resource: Resource, view: LinkView, *, badge: bool = True) -> str:
    parts = [
        f'<li class="plnkit-health-item" data-health="{esc(view.health)}">',
        f'<a href="../{esc(resource.tab)}/#{esc(resource.slug)}">{esc(resource.name)}</a> ',
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


def render_link_health_page(kit: Kit, state: SiteState) -> str:
    """The page's Markdown source: a summary, then one list per kind of trouble."""
    views = [(r, state.link(r.slug)) for r in kit.resources]
    current = [(r, v) for r, v in views if r.is_current]
    lines = [
        "---",
        f"title: {json.dumps(esc(_(TITLE)))}",
        "---",
        "",
        f"# {esc(_(TITLE))}",
        "",
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
    ]
    counts = "".join(
        f"<li>{esc(_(HEALTH_LABELS[key]))}: {sum(v.health == key for _r, v in current)}</li>"
        for key in HEALTH_LABELS
    )
    lines += [f'<ul class="plnkit-health-summary">{counts}</ul>', ""]
    anything = False
    for key, title, advice in SECTIONS:
        found = [_item(r, v) for r, v in current if v.health == key]
        if not found:
            continue
        anything = True
        lines += [
            f"## {esc(_(title))}",
            "",
            f"<p>{esc(_(advice))}</p>",
            f'<ul class="plnkit-health-list" data-health="{key}">{"".join(found)}</ul>',
            "",
        ]
    unchecked = [r for r, v in current if v.health == "unchecked"]
    if not anything and len(unchecked) < len(current):
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
                    len(unchecked),
                ).format(count=len(unchecked))
            )
            + "</p>",
            "",
        ]
    history = [_item(r, v, badge=False) for r, v in views if not r.is_current]
    if history:
        lines += [
            f"## {esc(_('Kept for history'))}",
            "",
            "<p>"
            + esc(
                _(
                    "The curators keep these closed or archived resources so older guides that "
                    "mention them still make sense; they are not checked."
                )
            )
            + "</p>",
            f'<ul class="plnkit-health-list" data-health="history">{"".join(history)}</ul>',
            "",
        ]
    return "\n".join(lines)
