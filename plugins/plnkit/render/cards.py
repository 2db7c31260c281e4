"""One resource as an HTML card: what it is, why it matters, whether it still works."""

from __future__ import annotations

from plnkit.feeds.view import FeedView
from plnkit.kit.model import Resource
from plnkit.links.view import LinkView
from plnkit.render.contribute import Contribute, edit_link
from plnkit.render.follow import render_follow
from plnkit.render.i18n import N_, _, format_date
from plnkit.render.stages import STAGE_NAMES
from plnkit.render.state import FRESHNESS_LABELS, HEALTH_LABELS, SiteState
from plnkit.render.text import esc, inline_markdown, readable_date

# English messages; `_` gives them in the site's language where they are shown.
KIND_LABELS = {
    "community": N_("Community"), "webinar": N_("Webinars"), "blog": N_("Blog"),
    "social": N_("Social account"), "chat": N_("Chat"), "platform": N_("Platform"),
    "guide": N_("Guide"), "event": N_("Event"), "research": N_("Research"),
    "organization": N_("Organization"), "podcast": N_("Podcast"),
    "newsletter": N_("Newsletter"), "list": N_("People to follow"),
}  # fmt: skip
STATUS_LABELS = {"active": N_("Active"), "archived": N_("Archived"), "retired": N_("Retired")}
COST_LABELS = {"free": N_("Free"), "freemium": N_("Free with paid extras"), "paid": N_("Paid")}
AUDIENCE_LABELS = {
    "elementary": N_("elementary"), "middle": N_("middle"), "secondary": N_("secondary"),
    "all": N_("all"),
}  # fmt: skip


def label(labels: dict[str, str], key: str) -> str:
    """The shown word for `key` in the site's language; an unknown key as it is."""
    return _(labels[key]) if key in labels else key


HEALTH_ICONS = {
    "ok": "✓",
    "moved": "↪",
    "failing": "⚠",
    "dead": "✗",
    "blocked": "✓",
    "verified": "✓",
    "changed": "⚠",
    "unchecked": "…",
}
FRESHNESS_ICONS = {
    "active": "●",
    "quiet": "◐",
    "dormant": "○",
    "gone": "✗",
    "no feed": "–",
    "unknown": "…",
    "undated": "◌",
    "unreadable": "⚠",
}


def _badge(kind: str, value: str, icon: str, label: str) -> str:
    return (
        f'<span class="plnkit-badge plnkit-badge--{esc(kind)}-{esc(value.replace(" ", "-"))}">'
        f'<span aria-hidden="true">{icon}</span> {esc(label)}</span>'
    )


def health_badge(view: LinkView) -> str:
    text = label(HEALTH_LABELS, view.health)
    if view.health == "verified" and view.verified_on:
        text = _("{label} on {date}").format(label=text, date=readable_date(view.verified_on))
    return _badge("health", view.health, HEALTH_ICONS.get(view.health, "?"), text)


def changed_warning(view: LinkView) -> str:
    """A plain warning for a page that may no longer be the resource the curators chose."""
    if view.health != "changed":
        return ""
    why = view.changed or _("the page is not what it was")
    return (
        '<p class="plnkit-card__changed" role="note"><strong>'
        f"{esc(_('This address may have changed hands'))}</strong> ({esc(why)}). "
        f"{esc(_('The curators will take a look; until then, open it with care.'))}</p>"
    )


def last_checked(view: LinkView) -> str:
    """ "Last checked 3 December 2026", or "" for a link never checked."""
    if not view.checked_at:
        return ""
    when = esc(readable_date(view.checked_at))
    moment = f'<time datetime="{esc(view.checked_at)}">{when}</time>'
    words = esc(_("Last checked {date}")).format(date=moment)
    return f'<span class="plnkit-checked">{words}</span>'


def freshness_badge(view: FeedView) -> str:
    text = label(FRESHNESS_LABELS, view.freshness)
    if view.last_post:
        text = _("{freshness} · last post {date}").format(
            freshness=text, date=format_date(view.last_post)
        )
    return _badge("freshness", view.freshness, FRESHNESS_ICONS.get(view.freshness, "?"), text)


def _list(items: tuple[str, ...], css: str, names: dict[str, str] | None = None) -> str:
    return "".join(
        # Chips read as words in a sentence: lowercase, as the kit files spell them.
        f'<li class="{css}">{esc(label(names, item).lower() if names else item)}</li>'
        for item in items
    )


def _posts(view: FeedView, shown: int) -> str:
    if not view.posts or shown <= 0:
        return ""
    rows = []
    for post in view.posts[:shown]:
        title = esc(post.title or _("(untitled)"))
        link = (
            f'<a href="{esc(post.url)}" rel="noopener nofollow">{title}</a>' if post.url else title
        )
        date = (
            f' <time datetime="{esc(post.published)}">{esc(format_date(post.published))}</time>'
            if post.published
            else ""
        )
        rows.append(f"<li>{link}{date}</li>")
    as_of = ""
    if view.refreshed_at:  # offline builds show stored posts: say how old they are
        as_of = _("(as of {date})").format(date=format_date(view.refreshed_at))
        as_of = f' <span class="plnkit-card__asof">{esc(as_of)}</span>'
    return (
        '<div class="plnkit-card__posts" data-search-exclude>'
        f'<p class="plnkit-card__label">{esc(_("Latest posts"))}{as_of}</p>'
        f"<ul>{''.join(rows)}</ul></div>"
    )


def _is_web_url(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("https://", "http://"))


# Why a card has no live preview, in one line each (user-facing words, kept together).
NO_PREVIEW = {
    "gone": N_("No live preview: this resource is no longer active."),
    "dead": N_("No live preview: the link is not working."),
    "changed": N_("No live preview: this address may now belong to someone else."),
    "refused": N_("No live preview: this site does not allow being shown inside another page."),
    "unchecked": N_("No live preview: the link has not been checked yet."),
}
PREVIEW_NOTE = N_("Live preview. If it stays blank, use the Open link below.")
PREVIEW_BUTTON = N_("Show preview")
PREVIEW_TITLE = N_("Live preview of {name}")


def no_preview_reason(resource: Resource, link: LinkView) -> str | None:
    """Which NO_PREVIEW line fits, or None when the page may be framed."""
    if not resource.is_current:
        return "gone"
    if link.health == "dead":
        return "dead"
    if link.health == "changed":
        return "changed"
    if link.embeddable is False:
        return "refused"
    if link.embeddable is not True:
        return "unchecked"
    return None


def _preview(resource: Resource, link: LinkView) -> str:
    """An empty holder the binder script fills with a sandboxed iframe when the tab opens, or
    one line saying why there is none.

    Only pages the link checker found frameable get one; nothing loads until it is selected,
    and on phones or when the reader saves data, not before they press "Show preview".
    """
    reason = no_preview_reason(resource, link)
    if reason:
        line = esc(_(NO_PREVIEW[reason]))
        return f'<p class="plnkit-card__nopreview" data-search-exclude>{line}</p>'
    src = link.final_url if _is_web_url(link.final_url) else resource.url
    title = _(PREVIEW_TITLE).format(name=resource.name)
    return (
        f'<div class="plnkit-preview" data-preview-src="{esc(src)}"'
        f' data-preview-title="{esc(title)}" data-search-exclude hidden>'
        f'<p class="plnkit-preview__note">{esc(_(PREVIEW_NOTE))}</p>'
        '<button type="button" class="plnkit-button plnkit-preview__show" hidden>'
        f'{esc(_(PREVIEW_BUTTON))}<span class="plnkit-sr">: {esc(resource.name)}</span></button>'
        "</div>"
    )


def _schedule(resource: Resource, calendar_href: str | None) -> str:
    schedule = resource.schedule
    if not schedule:
        return ""
    calendar = ""
    if calendar_href:  # given only when calendar.ics holds this resource's event
        calendar = (
            f' <a class="plnkit-card__calendar" href="{esc(calendar_href)}"'
            f' type="text/calendar">{esc(_("Add to calendar"))}<span class="plnkit-sr">:'
            f" {esc(resource.name)}</span></a>"
        )
    return (
        f'<p class="plnkit-card__schedule"><strong>{esc(_("Meets:"))}</strong> '
        f"{esc(schedule.text)}{calendar}</p>"
    )


def _sources(resource: Resource) -> str:
    """The addresses that back the card's facts, in small type (only web addresses link)."""
    links = [
        f'<li><a href="{esc(url)}" rel="noopener nofollow">{esc(url)}</a></li>'
        for url in resource.sources
        if _is_web_url(url)
    ]
    if not links:
        return ""
    return (
        '<div class="plnkit-card__sources" data-search-exclude>'
        f'<p class="plnkit-card__label">{esc(_("Sources"))}</p>'
        f'<ul aria-label="{esc(_("Sources for {name}").format(name=resource.name))}">'
        f"{''.join(links)}</ul></div>"
    )


def _actions(resource: Resource, link: LinkView, edit: str = "") -> str:
    """The "Open" link: to the archived copy when the service is gone, to the new address when
    the page moved, else to the resource; the original address stays one click away."""
    archive = resource.archive_url or link.archive_url
    gone = resource.status != "active" or link.health == "dead"
    moved = link.health == "moved" and _is_web_url(link.final_url)
    name = f'<span class="plnkit-sr"> {esc(resource.name)}</span>'
    if archive and gone:
        return (
            '<p class="plnkit-card__actions">'
            f'<a class="plnkit-open" href="{esc(archive)}" rel="noopener">'
            f'{esc(_("Archived copy"))}<span class="plnkit-sr"> '
            f"{esc(_('of {name}').format(name=resource.name))}</span></a>"
            f'<a class="plnkit-card__archive" href="{esc(resource.url)}" rel="noopener">'
            f"{esc(_('Original address'))}{name}</a>{edit}</p>"
        )
    target = link.final_url if moved else resource.url
    text = esc(_("Open")) + name + (" " + esc(_("(new address)")) if moved else "")
    return (
        f'<p class="plnkit-card__actions"><a class="plnkit-open" href="{esc(target)}"'
        f' rel="noopener">{text}</a>{edit}</p>'
    )


def render_card(
    resource: Resource,
    state: SiteState,
    *,
    posts_shown: int = 3,
    heading_level: int = 2,
    calendar_href: str | None = None,
    contribute: Contribute | None = None,
) -> str:
    """The card's HTML: one block, no blank lines, safe for a Markdown page.

    `heading_level` fits the card into the page's outline; `calendar_href` is the relative link
    to the site's calendar file, given only when that file holds this resource's event (else
    no "Add to calendar" link promises what the calendar does not have); `contribute` gives
    the "Edit this file on GitHub" link.
    """
    link = state.link(resource.slug)
    feed = state.feed(resource.slug, bool(resource.feed))
    kind_label = label(KIND_LABELS, resource.kind)
    h = f"h{min(max(heading_level, 2), 4)}"
    data = (
        f' data-kind="{esc(resource.kind)}" data-stages="{esc(" ".join(resource.stages))}"'
        f' data-tags="{esc(" ".join(resource.tags))}" data-cost="{esc(resource.cost or "")}"'
        f' data-status="{esc(resource.status)}" data-health="{esc(link.health)}"'
        f' data-label="{esc(kind_label)}"'
        f' data-status-label="{esc(label(STATUS_LABELS, resource.status))}"'
    )
    parts = [
        f'<article class="plnkit-card" id="{esc(resource.slug)}"{data}>',
        f'<{h} class="plnkit-card__name" id="{esc(resource.slug)}--name">'
        f'<a href="{esc(resource.url)}" rel="noopener">{esc(resource.name)}</a></{h}>',
        f'<p class="plnkit-card__meta"><span class="plnkit-card__kind">{esc(kind_label)}</span>',
    ]
    if resource.status != "active":
        parts.append(
            f' · <span class="plnkit-card__status">{esc(label(STATUS_LABELS, resource.status))}'
            "</span>"
        )
    if resource.cost:
        cost = esc(label(COST_LABELS, resource.cost))
        parts.append(f' · <span class="plnkit-card__cost">{cost}</span>')
    if resource.audience:
        shown = ", ".join(label(AUDIENCE_LABELS, a) for a in resource.audience)
        audience = _("For {audience}").format(audience=shown)
        parts.append(f' · <span class="plnkit-card__audience">{esc(audience)}</span>')
    parts.append("</p>")
    parts.append(f'<p class="plnkit-card__health">{health_badge(link)}')
    if resource.feed or feed.freshness not in ("no feed", "unknown"):
        parts.append(f" {freshness_badge(feed)}")
    parts.append(f" {last_checked(link)}</p>" if link.checked_at else "</p>")
    parts.append(changed_warning(link))
    parts.append(f'<p class="plnkit-card__description">{inline_markdown(resource.description)}</p>')
    parts.append(_preview(resource, link))  # below the description: read first, then look
    if link.health == "moved" and _is_web_url(link.final_url):
        parts.append(
            f'<p class="plnkit-card__moved">{esc(_("Now at"))} <a href="{esc(link.final_url)}"'
            f' rel="noopener">{esc(link.final_url)}</a></p>'
        )
    if resource.stages:
        parts.append(
            f'<ul class="plnkit-card__stages" aria-label="{esc(_("PLN stages"))}">'
            f"{_list(resource.stages, 'plnkit-stage', STAGE_NAMES)}</ul>"
        )
    if resource.tags:
        parts.append(
            f'<ul class="plnkit-card__tags" aria-label="{esc(_("Tags"))}">'
            f"{_list(resource.tags, 'plnkit-tag')}</ul>"
        )
    if resource.hashtag:
        hashtag = _("Hashtag: {hashtag}").format(hashtag=resource.hashtag)
        parts.append(f'<p class="plnkit-card__hashtag">{esc(hashtag)}</p>')
    parts.append(_schedule(resource, calendar_href))
    parts.append(render_follow(resource.handles, resource.name))
    parts.append(_posts(feed, posts_shown))
    parts.append(_sources(resource))
    edit = edit_link(contribute, resource.path, resource.name) if contribute else ""
    parts.append(_actions(resource, link, edit))
    parts.append("</article>")
    return "".join(parts)
