"""One resource as an HTML card: what it is, why it matters, whether it still works."""

from __future__ import annotations

from plnkit.feeds.view import FeedView
from plnkit.kit.model import Resource
from plnkit.links.view import LinkView
from plnkit.render.follow import render_follow
from plnkit.render.state import FRESHNESS_LABELS, HEALTH_LABELS, SiteState
from plnkit.render.text import esc, inline_markdown, readable_date

KIND_LABELS = {
    "community": "Community", "webinar": "Webinars", "blog": "Blog", "social": "Social account",
    "chat": "Chat", "platform": "Platform", "guide": "Guide", "event": "Event",
    "research": "Research", "organization": "Organization", "podcast": "Podcast",
    "newsletter": "Newsletter", "list": "People to follow",
}  # fmt: skip
STATUS_LABELS = {"active": "Active", "archived": "Archived", "retired": "Retired"}
COST_LABELS = {"free": "Free", "freemium": "Free with paid extras", "paid": "Paid"}
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
    label = HEALTH_LABELS.get(view.health, view.health)
    if view.health == "verified" and view.verified_on:
        label = f"{label} on {readable_date(view.verified_on)}"
    return _badge("health", view.health, HEALTH_ICONS.get(view.health, "?"), label)


def changed_warning(view: LinkView) -> str:
    """A plain warning for a page that may no longer be the resource the curators chose."""
    if view.health != "changed":
        return ""
    return (
        '<p class="plnkit-card__changed" role="note"><strong>This address may have changed '
        f"hands</strong> ({esc(view.changed or 'the page is not what it was')}). The curators "
        "will take a look; until then, open it with care.</p>"
    )


def last_checked(view: LinkView) -> str:
    """"Last checked 3 December 2026", or "" for a link never checked."""
    if not view.checked_at:
        return ""
    return (
        f'<span class="plnkit-checked">Last checked <time datetime="{esc(view.checked_at)}">'
        f"{esc(readable_date(view.checked_at))}</time></span>"
    )


def freshness_badge(view: FeedView) -> str:
    label = FRESHNESS_LABELS.get(view.freshness, view.freshness)
    if view.last_post:
        label = f"{label} · last post {view.last_post[:10]}"
    return _badge("freshness", view.freshness, FRESHNESS_ICONS.get(view.freshness, "?"), label)


def _list(items: tuple[str, ...], css: str) -> str:
    return "".join(f'<li class="{css}">{esc(item)}</li>' for item in items)


def _posts(view: FeedView, shown: int) -> str:
    if not view.posts or shown <= 0:
        return ""
    rows = []
    for post in view.posts[:shown]:
        title = esc(post.title or "(untitled)")
        link = (
            f'<a href="{esc(post.url)}" rel="noopener nofollow">{title}</a>' if post.url else title
        )
        date = (
            f' <time datetime="{esc(post.published)}">{esc(post.published[:10])}</time>'
            if post.published
            else ""
        )
        rows.append(f"<li>{link}{date}</li>")
    as_of = ""
    if view.refreshed_at:  # offline builds show stored posts: say how old they are
        as_of = f' <span class="plnkit-card__asof">(as of {esc(view.refreshed_at[:10])})</span>'
    return (
        '<div class="plnkit-card__posts" data-search-exclude>'
        f'<p class="plnkit-card__label">Latest posts{as_of}</p>'
        f"<ul>{''.join(rows)}</ul></div>"
    )


def _is_web_url(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("https://", "http://"))


def _preview(resource: Resource, link: LinkView) -> str:
    """An empty holder the binder script fills with a sandboxed iframe when the tab opens.

    Only pages the link checker found frameable get one; nothing loads until it is selected.
    """
    if link.embeddable is not True or not resource.is_current or link.health in ("dead", "changed"):
        return ""
    src = link.final_url if _is_web_url(link.final_url) else resource.url
    return (
        f'<div class="plnkit-preview" data-preview-src="{esc(src)}"'
        f' data-preview-title="Live preview of {esc(resource.name)}" data-search-exclude hidden>'
        '<p class="plnkit-preview__note">Live preview. If it stays blank, use the'
        " Open link below.</p></div>"
    )


def _schedule(resource: Resource, calendar_href: str | None) -> str:
    schedule = resource.schedule
    if not schedule:
        return ""
    calendar = ""
    if calendar_href and (schedule.rrule or schedule.time):
        calendar = (
            f' <a class="plnkit-card__calendar" href="{esc(calendar_href)}"'
            ' type="text/calendar">Add to calendar<span class="plnkit-sr">:'
            f" {esc(resource.name)}</span></a>"
        )
    return (
        '<p class="plnkit-card__schedule"><strong>Meets:</strong> '
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
        '<p class="plnkit-card__label">Sources</p>'
        f'<ul aria-label="Sources for {esc(resource.name)}">{"".join(links)}</ul></div>'
    )


def _actions(resource: Resource, link: LinkView) -> str:
    """The "Open" link: to the archived copy when the service is gone, to the new address when
    the page moved, else to the resource; the original address stays one click away."""
    archive = resource.archive_url or link.archive_url
    gone = resource.status != "active" or link.health == "dead"
    moved = link.health == "moved" and _is_web_url(link.final_url)
    name = f'<span class="plnkit-sr"> {esc(resource.name)}</span>'
    if archive and gone:
        return (
            '<p class="plnkit-card__actions">'
            f'<a class="plnkit-open" href="{esc(archive)}" rel="noopener">Archived copy'
            f'<span class="plnkit-sr"> of {esc(resource.name)}</span></a>'
            f'<a class="plnkit-card__archive" href="{esc(resource.url)}" rel="noopener">'
            f"Original address{name}</a></p>"
        )
    target = link.final_url if moved else resource.url
    label = "Open" + name + (" (new address)" if moved else "")
    return (
        f'<p class="plnkit-card__actions"><a class="plnkit-open" href="{esc(target)}"'
        f' rel="noopener">{label}</a></p>'
    )


def render_card(
    resource: Resource,
    state: SiteState,
    *,
    posts_shown: int = 3,
    heading_level: int = 2,
    calendar_href: str | None = None,
) -> str:
    """The card's HTML: one block, no blank lines, safe for a Markdown page.

    `heading_level` fits the card into the page's outline; `calendar_href` is the relative link
    to the site's calendar file, given only when the build writes one (else no "Add to
    calendar" link points at a missing file).
    """
    link = state.link(resource.slug)
    feed = state.feed(resource.slug, bool(resource.feed))
    kind_label = KIND_LABELS.get(resource.kind, resource.kind)
    h = f"h{min(max(heading_level, 2), 4)}"
    data = (
        f' data-kind="{esc(resource.kind)}" data-stages="{esc(" ".join(resource.stages))}"'
        f' data-tags="{esc(" ".join(resource.tags))}" data-cost="{esc(resource.cost or "")}"'
        f' data-status="{esc(resource.status)}" data-health="{esc(link.health)}"'
        f' data-label="{esc(kind_label)}"'
    )
    parts = [
        f'<article class="plnkit-card" id="{esc(resource.slug)}"{data}>',
        f'<{h} class="plnkit-card__name" id="{esc(resource.slug)}--name">'
        f'<a href="{esc(resource.url)}" rel="noopener">{esc(resource.name)}</a></{h}>',
        f'<p class="plnkit-card__meta"><span class="plnkit-card__kind">{esc(kind_label)}</span>',
    ]
    if resource.status != "active":
        parts.append(
            f' · <span class="plnkit-card__status">{esc(STATUS_LABELS[resource.status])}</span>'
        )
    if resource.cost:
        parts.append(f' · <span class="plnkit-card__cost">{esc(COST_LABELS[resource.cost])}</span>')
    if resource.audience:
        parts.append(
            f' · <span class="plnkit-card__audience">For {esc(", ".join(resource.audience))}</span>'
        )
    parts.append("</p>")
    parts.append(f'<p class="plnkit-card__health">{health_badge(link)}')
    if resource.feed or feed.freshness not in ("no feed", "unknown"):
        parts.append(f" {freshness_badge(feed)}")
    parts.append(f" {last_checked(link)}</p>" if link.checked_at else "</p>")
    parts.append(_preview(resource, link))
    parts.append(changed_warning(link))
    parts.append(f'<p class="plnkit-card__description">{inline_markdown(resource.description)}</p>')
    if link.health == "moved" and _is_web_url(link.final_url):
        parts.append(
            f'<p class="plnkit-card__moved">Now at <a href="{esc(link.final_url)}"'
            f' rel="noopener">{esc(link.final_url)}</a></p>'
        )
    if resource.stages:
        parts.append(
            '<ul class="plnkit-card__stages" aria-label="PLN stages">'
            f"{_list(resource.stages, 'plnkit-stage')}</ul>"
        )
    if resource.tags:
        parts.append(
            '<ul class="plnkit-card__tags" aria-label="Tags">'
            f"{_list(resource.tags, 'plnkit-tag')}</ul>"
        )
    if resource.hashtag:
        parts.append(f'<p class="plnkit-card__hashtag">Hashtag: {esc(resource.hashtag)}</p>')
    parts.append(_schedule(resource, calendar_href))
    parts.append(render_follow(resource.handles, resource.name))
    parts.append(_posts(feed, posts_shown))
    parts.append(_sources(resource))
    parts.append(_actions(resource, link))
    parts.append("</article>")
    return "".join(parts)
