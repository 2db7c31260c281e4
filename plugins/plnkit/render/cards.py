"""One resource as an HTML card: what it is, why it matters, whether it still works."""

from __future__ import annotations

from plnkit.model import Resource
from plnkit.render.text import esc, inline_markdown
from plnkit.site_state import FRESHNESS_LABELS, HEALTH_LABELS, FeedView, LinkView, SiteState

KIND_LABELS = {
    "community": "Community", "webinar": "Webinars", "blog": "Blog", "social": "Social account",
    "chat": "Chat", "platform": "Platform", "guide": "Guide", "event": "Event",
    "research": "Research", "organization": "Organization",
}  # fmt: skip
STATUS_LABELS = {"active": "Active", "archived": "Archived", "retired": "Retired"}
COST_LABELS = {"free": "Free", "freemium": "Free with paid extras", "paid": "Paid"}
HEALTH_ICONS = {
    "ok": "✓",
    "moved": "↪",
    "failing": "⚠",
    "dead": "✗",
    "blocked": "✓",
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
    return _badge(
        "health",
        view.health,
        HEALTH_ICONS.get(view.health, "?"),
        HEALTH_LABELS.get(view.health, view.health),
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
        '<div class="plnkit-card__posts"><p class="plnkit-card__label">Latest posts'
        f"{as_of}</p><ul>{''.join(rows)}</ul></div>"
    )


def render_card(resource: Resource, state: SiteState, *, posts_shown: int = 3) -> str:
    """The card's HTML: one block, no blank lines, safe for a Markdown page."""
    link = state.link(resource.slug)
    feed = state.feed(resource.slug, bool(resource.feed))
    data = (
        f' data-kind="{esc(resource.kind)}" data-stages="{esc(" ".join(resource.stages))}"'
        f' data-tags="{esc(" ".join(resource.tags))}" data-cost="{esc(resource.cost or "")}"'
        f' data-status="{esc(resource.status)}" data-health="{esc(link.health)}"'
    )
    parts = [
        f'<article class="plnkit-card" id="{esc(resource.slug)}"{data}>',
        f'<h2 class="plnkit-card__name"><a href="{esc(resource.url)}" rel="noopener">'
        f"{esc(resource.name)}</a></h2>",
        '<p class="plnkit-card__meta"><span class="plnkit-card__kind">'
        f"{esc(KIND_LABELS.get(resource.kind, resource.kind))}</span>",
    ]
    if resource.status != "active":
        parts.append(
            f' · <span class="plnkit-card__status">{esc(STATUS_LABELS[resource.status])}</span>'
        )
    if resource.cost:
        parts.append(f' · <span class="plnkit-card__cost">{esc(COST_LABELS[resource.cost])}</span>')
    parts.append("</p>")
    parts.append(f'<p class="plnkit-card__description">{inline_markdown(resource.description)}</p>')
    parts.append(f'<p class="plnkit-card__health">{health_badge(link)}')
    if resource.feed or feed.freshness not in ("no feed", "unknown"):
        parts.append(f" {freshness_badge(feed)}")
    parts.append("</p>")
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
    if resource.schedule:
        parts.append(f'<p class="plnkit-card__schedule">Meets: {esc(resource.schedule.text)}</p>')
    archive = resource.archive_url or link.archive_url
    if archive and (resource.status != "active" or link.health == "dead"):
        parts.append(
            f'<p class="plnkit-card__archive"><a href="{esc(archive)}" rel="noopener">'
            "Archived copy</a></p>"
        )
    parts.append(_posts(feed, posts_shown))
    parts.append("</article>")
    return "".join(parts)
