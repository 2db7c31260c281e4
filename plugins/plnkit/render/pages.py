"""The generated pages of a binder site: one per tab, as Markdown with HTML card blocks."""

from __future__ import annotations

import json
from dataclasses import dataclass

from plnkit.model import STAGES, Kit, Tab
from plnkit.render.cards import render_card
from plnkit.render.link_health_page import LINK_HEALTH_URI, render_link_health_page
from plnkit.render.river_page import river_pages, tab_feed_links
from plnkit.render.text import esc, inline_markdown
from plnkit.site_state import SiteState

STAGE_TEXT = {
    "consumption": (
        "Listen first",
        "Follow a few blogs and communities and simply read. Lurking is how "
        "almost everyone starts.",
    ),
    "connection": (
        "Join the conversation",
        "Comment on a post, ask a question in a webinar chat, reply to someone "
        "whose ideas helped you.",
    ),
    "creation": (
        "Make it your own",
        "Adapt what you found for your own library and students, and keep notes on what worked.",
    ),
    "contribution": (
        "Give back",
        "Share your lessons in a blog or a chat so the next librarian can start from your work.",
    ),
}


@dataclass(frozen=True)
class RenderOptions:
    posts_shown: int = 3


def tab_uri(tab: Tab) -> str:
    """Where a tab's page lives in the docs tree.

    >>> tab_uri(Tab(id="communities", title="Communities"))
    'communities/index.md'
    """
    return f"{tab.id}/index.md"


def _heading(text: str) -> str:
    # Markdown passes inline HTML through, so a title from a kit file is escaped first.
    return esc(text).replace("#", "&#35;").replace("*", "&#42;").replace("_", "&#95;")


def _stage_path(kit: Kit) -> str:
    blocks = ['<ol class="plnkit-stages">']
    tab_of = {t.id: t for t in kit.binder.tabs}
    for number, stage in enumerate(STAGES, start=1):
        title, advice = STAGE_TEXT[stage]
        serving = [r for r in kit.resources if stage in r.stages and r.is_current]
        links = "".join(
            f'<li><a href="../{esc(r.tab)}/#{esc(r.slug)}">{esc(r.name)}</a>'
            f' <span class="plnkit-stages__tab">({esc(tab_of[r.tab].title)})</span></li>'
            for r in serving[:8]
            if r.tab in tab_of
        )
        blocks.append(
            f'<li class="plnkit-stage-step" id="stage-{stage}">'
            f"<h2>{number}. {esc(stage.capitalize())}: {esc(title)}</h2>"
            f"<p>{esc(advice)}</p>"
            + (f'<ul class="plnkit-stages__resources">{links}</ul>' if links else "")
            + "</li>"
        )
    blocks.append("</ol>")
    return "".join(blocks)


def render_tab_page(
    kit: Kit, tab: Tab, state: SiteState, options: RenderOptions | None = None
) -> str:
    """The Markdown source of one tab's page."""
    options = options or RenderOptions()
    # Themes print page titles as HTML: the front matter carries the escaped title.
    lines = [
        "---",
        f"title: {json.dumps(esc(tab.title))}",
        "---",
        "",
        f"# {_heading(tab.title)}",
        "",
    ]
    if tab.intro:
        lines += [f'<p class="plnkit-intro">{inline_markdown(tab.intro)}</p>', ""]
    if tab.id == kit.binder.tabs[0].id:
        lines += [_stage_path(kit), ""]
    feed_links = tab_feed_links(kit, tab, state)  # river, Atom feed and this tab's OPML
    if feed_links:
        lines += [feed_links, ""]
    resources = kit.in_tab(tab.id)
    if resources:
        cards = "".join(render_card(r, state, posts_shown=options.posts_shown) for r in resources)
        lines += [f'<div class="plnkit-cards" data-tab="{esc(tab.id)}">{cards}</div>', ""]
    else:
        lines += ["<p>No resources in this tab yet.</p>", ""]
    return "\n".join(lines)


def site_pages(kit: Kit, state: SiteState, options: RenderOptions | None = None) -> dict[str, str]:
    """Every generated page, keyed by its path in the docs tree."""
    pages = {tab_uri(tab): render_tab_page(kit, tab, state, options) for tab in kit.binder.tabs}
    pages[LINK_HEALTH_URI] = render_link_health_page(kit, state)  # issue 4; linked from home
    pages.update(river_pages(kit, state))  # "Recent posts", once any feed has posts
    return pages


def nav(kit: Kit, home: str | None = "index.md") -> list[dict[str, str]]:
    """The site's navigation: home, then one top tab per binder tab, in binder order.

    MkDocs themes print navigation titles as HTML, so titles from binder.yml are escaped here.
    """
    entries = [{"Home": home}] if home else []
    return entries + [{esc(tab.title): tab_uri(tab)} for tab in kit.binder.tabs]
