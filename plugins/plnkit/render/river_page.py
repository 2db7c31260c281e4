"""The "Recent posts" river: every feed's newest posts on paged Markdown pages.

Titles are escaped, summaries sanitized again on the way out (the store is a file anyone with
access could edit), and each post links back to its resource's card.
"""

from __future__ import annotations

import json

from plnkit.feeds.content import html_to_text
from plnkit.feeds.river import paginate
from plnkit.feeds.view import Post
from plnkit.kit.model import Kit, Resource, Tab
from plnkit.render.i18n import N_, _, format_date, ngettext
from plnkit.render.state import SiteState
from plnkit.render.text import esc, sanitize

RIVER_DIR = "recent"
RIVER_TITLE = N_("Recent posts")
POSTS_PER_PAGE = 20


def river_uri(page: int) -> str:
    """Every page is an index.md, so relative links work with or without directory URLs.

    >>> river_uri(1), river_uri(3)
    ('recent/index.md', 'recent/3/index.md')
    """
    return f"{RIVER_DIR}/index.md" if page == 1 else f"{RIVER_DIR}/{page}/index.md"


def _post(post: Post, resources: dict[str, Resource], up: str) -> str:
    title = esc(post.title or _("(untitled)"))
    heading = title
    if post.url:
        heading = f'<a href="{esc(post.url)}" rel="noopener nofollow">{title}</a>'
    resource = resources.get(post.slug)
    source = esc(post.source)
    if resource is not None:
        source = f'<a href="{up}{esc(resource.tab)}/#{esc(resource.slug)}">{source}</a>'
    date = (
        f'<time datetime="{esc(post.published)}">{esc(format_date(post.published))}</time>'
        if post.published
        else ""
    )
    summary = " ".join(sanitize(post.summary_html, block=True).split()) if post.summary_html else ""
    if summary and _repeats_title(post.title, summary):
        summary = ""  # a post without a title got its text as title: say it once
    return (
        '<article class="plnkit-post">'
        f'<h2 class="plnkit-post__title">{heading}</h2>'
        f'<p class="plnkit-post__meta">{source} · {date}</p>'
        + (f'<div class="plnkit-post__summary">{summary}</div>' if summary else "")
        + "</article>"
    )


def _repeats_title(title: str, summary_html: str) -> bool:
    start = title.rstrip("…").strip()
    return bool(start) and html_to_text(summary_html, limit=10_000).startswith(start)


def _refreshed(state: SiteState) -> str | None:
    return max((v.refreshed_at for v in state.feeds.values() if v.refreshed_at), default=None)


def river_page(kit: Kit, state: SiteState, page: int, pages: list[tuple[Post, ...]]) -> str:
    """The Markdown source of one page of the river."""
    up = "../" if page == 1 else "../../"
    refreshed = _refreshed(state)
    feeds = sum(1 for v in state.feeds.values() if v.posts)
    newest = ngettext(
        "The newest posts from {feeds} blog or account in this kit, newest first.",
        "The newest posts from {feeds} blogs and accounts in this kit, newest first.",
        feeds,
    ).format(feeds=feeds)
    atom = f'<a href="{up}feed.xml">{esc(_("Atom feed"))}</a>'
    opml = f'<a href="{up}kit.opml">{esc(_("OPML file"))}</a>'
    subscribe = esc(
        _(
            "Subscribe to all of them at once with the {atom}, or take the list into your own "
            "reader with the {opml}."
        )
    ).format(atom=atom, opml=opml)
    intro = f"{esc(newest)} {subscribe}"
    when = esc(_("No posts have been fetched yet."))
    if refreshed:
        moment = f"{format_date(refreshed)} {refreshed[11:16]} UTC".strip()
        shown = f'<time datetime="{esc(refreshed)}">{esc(moment)}</time>'
        when = esc(_("Posts last refreshed {moment}.")).format(moment=shown)

    title = _(RIVER_TITLE) if page == 1 else _("Recent posts (page {page})").format(page=page)
    lines = [
        "---",
        f"title: {json.dumps(title)}",
        "---",
        "",
        f"# {title}",
        "",
        f'<p class="plnkit-intro">{intro}</p>',
        "",
        f'<p class="plnkit-river__refreshed">{when}</p>',
        "",
    ]
    posts = pages[page - 1]
    if posts:
        by_slug = kit.by_slug()
        body = "".join(_post(p, by_slug, up) for p in posts)
        lines += [f'<div class="plnkit-river">{body}</div>', ""]
    else:
        lines += [f"<p>{esc(_('No posts yet.'))}</p>", ""]
    links = []
    if page > 1:
        newer = "../index.md" if page == 2 else f"../{page - 1}/index.md"
        links.append(f"[← {esc(_('Newer posts'))}]({newer})")
    if page < len(pages):
        older = f"{page + 1}/index.md" if page == 1 else f"../{page + 1}/index.md"
        links.append(f"[{esc(_('Older posts'))} →]({older})")
    if links:
        lines += [" · ".join(links), ""]
    return "\n".join(lines)


def river_pages(kit: Kit, state: SiteState, per_page: int = POSTS_PER_PAGE) -> dict[str, str]:
    """Every page of the river, keyed by its path in the docs tree; none when there are no
    posts yet (a page that only says "nothing here" helps no reader)."""
    if not state.river:
        return {}
    pages = paginate(state.river, per_page)
    return {river_uri(n): river_page(kit, state, n, pages) for n in range(1, len(pages) + 1)}


def tab_feed_links(kit: Kit, tab: Tab, state: SiteState) -> str:
    """A line under a tab's intro: the river and feeds to subscribe to. On the first tab, and
    on any tab whose resources have posts; empty before any feed was fetched."""
    if not state.river:
        return ""
    with_posts = any(
        state.feeds.get(r.slug) and state.feeds[r.slug].posts for r in kit.in_tab(tab.id)
    )
    if not with_posts and tab.id != kit.binder.tabs[0].id:
        return ""
    parts = [
        f"[{esc(_('Recent posts from every feed in this kit'))}](../{river_uri(1)})",
        f'<a href="../feed.xml">{esc(_("Atom feed"))}</a>',
    ]
    if with_posts:
        parts.append(f'<a href="../opml/{esc(tab.id)}.opml">{esc(_("OPML of this tab"))}</a>')
    return f'<span class="plnkit-feed-links">{esc(_("News:"))}</span> ' + " · ".join(parts)
