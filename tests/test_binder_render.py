"""The binder's HTML, rendered without a build: cards, follow links, filters, start here, print."""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

import pytest
from markupsafe import escape

from plnkit.kit.model import Binder, Kit, Resource, Schedule, Tab
from plnkit.links.view import LinkView
from plnkit.render.binder import render_binder
from plnkit.render.cards import render_card
from plnkit.render.filters import filters_for, render_filters
from plnkit.render.follow import follow_link
from plnkit.render.pages import site_pages
from plnkit.render.print_page import render_print_page, short_description
from plnkit.render.start_here import JOURNEYS, render_journeys, render_stage_path
from plnkit.render.state import HEALTH_LABELS, SiteState
from tests.conftest import ROOT


def resource(slug: str = "alpha", tab: str = "communities", **fields: object) -> Resource:
    data: dict[str, object] = {
        "name": "Alpha Ning",
        "url": "https://alpha.example.org/",
        "kind": "community",
        "description": "A community where school librarians trade *lesson ideas* daily.",
    }
    data.update(fields)
    return Resource(slug=slug, tab=tab, path=Path(f"kit/{tab}/{slug}.yml"), **data)  # type: ignore[arg-type]


def state(**links: LinkView) -> SiteState:
    return SiteState(links=MappingProxyType(links))


@pytest.mark.parametrize(
    ("network", "handle", "url"),
    [
        ("twitter", "aasl", "https://x.com/aasl"),
        ("twitter", "@aasl", "https://x.com/aasl"),
        ("mastodon", "@anna@mastodon.social", "https://mastodon.social/@anna"),
        ("mastodon", "anna@Example.ORG", "https://example.org/@anna"),
        ("bluesky", "aaslala.bsky.social", "https://bsky.app/profile/aaslala.bsky.social"),
        ("bluesky", "@name.example.com", "https://bsky.app/profile/name.example.com"),
        ("youtube", "@AASLvideos", "https://www.youtube.com/@AASLvideos"),
        ("youtube", "UC" + "a" * 22, "https://www.youtube.com/channel/UC" + "a" * 22),
        ("facebook", "AASL.ALA", "https://www.facebook.com/AASL.ALA"),
        ("instagram", "aasl_ala", "https://www.instagram.com/aasl_ala/"),
        ("twitter", "evil/../x", None),
        ("mastodon", "@anna@host/evil", None),
        ("youtube", "javascript:alert(1)", None),
        ("facebook", '"><script>', None),
        ("myspace", "tom", None),
    ],
)
def test_follow_links(network: str, handle: str, url: str | None) -> None:
    found = follow_link(network, handle)
    assert (found.url if found else None) == url


def test_card_shows_kind_stages_tags_cost_and_follow_links() -> None:
    card = render_card(
        resource(
            stages=("consumption", "connection"),
            tags=("ning", "school-libraries"),
            cost="freemium",
            audience=("all",),
            handles=MappingProxyType({"mastodon": "@tl@example.social", "twitter": "tl"}),
        ),
        SiteState(),
    )
    assert 'id="alpha"' in card and 'id="alpha--name"' in card
    assert "Community" in card and "Free with paid extras" in card and "For all" in card
    assert 'plnkit-stage">consumption</li><li class="plnkit-stage">connection</li>' in card
    assert 'plnkit-tag">ning</li>' in card
    assert 'href="https://x.com/tl"' in card and 'href="https://example.social/@tl"' in card
    assert card.index("x.com") < card.index("example.social")  # stable network order
    assert '<a class="plnkit-open" href="https://alpha.example.org/"' in card


def test_card_schedule_links_the_calendar_only_when_it_holds_the_event() -> None:
    timed = Schedule(text="Wednesdays, 8 pm Eastern", time="20:00", timezone="America/New_York")
    chat = resource(kind="chat", schedule=timed)
    card = render_card(chat, SiteState(), calendar_href="../calendar.ics")
    assert "Meets:</strong> Wednesdays, 8 pm Eastern" in card
    assert 'href="../calendar.ics"' in card and "Add to calendar" in card
    # No calendar file in this build: no link to a missing file.
    assert "Add to calendar" not in render_card(chat, SiteState())
    tab = Tab(id="social", title="Social")
    held = render_binder(tab, [chat], SiteState(), calendar_events={"alpha"})
    assert 'href="../calendar.ics"' in held
    # A schedule the calendar does not hold (a time, no repeat rule) gets no link.
    assert "calendar.ics" not in render_binder(tab, [chat], SiteState(), calendar_events=set())
    assert "calendar.ics" not in render_binder(tab, [chat], SiteState())


def test_add_to_calendar_follows_what_calendar_ics_holds() -> None:
    """The site build asks the calendar export which resources it holds (never the card)."""
    import datetime as dt

    from plnkit.exports.ics import calendar_slugs, schedule_calendar
    ruled = resource(
        slug="ruled", kind="chat",
        schedule=Schedule(text="Mondays", rrule="FREQ=WEEKLY;BYDAY=MO", time="20:00",
                          timezone="America/New_York"),
    )  # fmt: skip
    timed = resource(slug="timed", kind="chat", schedule=Schedule(text="Weds", time="20:00"))
    words = resource(slug="words", kind="chat", schedule=Schedule(text="Every June"))
    kit = Kit(
        root=Path("kit"),
        binder=Binder(title="T", tabs=(Tab(id="communities", title="C"),)),
        resources=(ruled, timed, words),
    )
    now = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    held = calendar_slugs(kit, now)
    assert held == {"ruled"}
    calendar = schedule_calendar(kit, now).decode()
    assert "UID:ruled@" in calendar and "UID:timed@" not in calendar


@pytest.mark.parametrize("health", sorted(HEALTH_LABELS))
def test_health_is_text_and_icon_not_colour_alone(health: str) -> None:
    card = render_card(resource(), state(alpha=LinkView(health=health)))
    badge = re.search(
        r'<span class="plnkit-badge plnkit-badge--health-[^"]+">(.*?)</span> ?'
        r"([^<]+)</span>",
        card,
    )
    assert badge, card
    assert badge.group(1).startswith('<span aria-hidden="true">')
    assert badge.group(2).strip() == HEALTH_LABELS[health]


def test_freshness_and_latest_posts_come_from_the_feed_state() -> None:
    from plnkit.feeds.view import FeedView, Post

    feed = FeedView(
        freshness="quiet",
        last_post="2026-10-01T00:00:00Z",
        posts=(Post(title="<b>New</b> post", url="https://alpha.example.org/p", published=None),),
    )
    card = render_card(
        resource(feed="https://alpha.example.org/feed"),
        SiteState(feeds=MappingProxyType({"alpha": feed})),
    )
    assert "Quiet · last post 1 October 2026" in card  # dates as the language writes them
    assert "&lt;b&gt;New&lt;/b&gt; post" in card
    assert '<div class="plnkit-card__posts" data-search-exclude>' in card


@pytest.mark.parametrize(
    ("view", "fields", "expected"),
    [
        (LinkView(health="ok", embeddable=True), {}, "https://alpha.example.org/"),
        (
            LinkView(health="moved", embeddable=True, final_url="https://new.example.org/"),
            {},
            "https://new.example.org/",
        ),
        (LinkView(health="ok", embeddable=False), {}, None),
        (LinkView(health="ok", embeddable=None), {}, None),
        (LinkView(health="dead", embeddable=True), {}, None),
        (LinkView(health="ok", embeddable=True), {"status": "retired"}, None),
    ],
)
def test_preview_holder_only_for_frameable_live_pages(
    view: LinkView, fields: dict[str, object], expected: str | None
) -> None:
    card = render_card(resource(**fields), state(alpha=view))
    found = re.search(r'data-preview-src="([^"]+)"', card)
    assert (found.group(1) if found else None) == expected
    assert "<iframe" not in card  # the script creates it when the sub-tab is selected


def test_moved_and_dead_links_lead_somewhere_useful() -> None:
    moved = render_card(
        resource(), state(alpha=LinkView(health="moved", final_url="https://new.example.org/"))
    )
    assert '<a class="plnkit-open" href="https://new.example.org/"' in moved
    assert "(new address)" in moved
    dead = render_card(
        resource(), state(alpha=LinkView(health="dead", archive_url="https://web.archive.org/x"))
    )
    assert '<a class="plnkit-open" href="https://web.archive.org/x"' in dead
    assert "Archived copy" in dead
    assert 'href="https://alpha.example.org/" rel="noopener">Original address' in dead
    sneaky = render_card(
        resource(), state(alpha=LinkView(health="moved", final_url="javascript:alert(1)"))
    )
    assert "javascript:" not in sneaky


def test_filters_offer_only_values_present() -> None:
    resources = [
        resource("a", stages=("connection",), tags=("ning",), cost="free"),
        resource("b", kind="blog", stages=("consumption",), tags=("rss", "ning")),
    ]
    found = {f.key: [v for v, _ in f.options] for f in filters_for(resources)}
    assert found == {
        "stage": ["consumption", "connection"],
        "kind": ["community", "blog"],
        "tag": ["ning", "rss"],
        "cost": ["free"],
    }
    form = render_filters(resources, "communities")
    assert form.startswith('<form class="plnkit-filters" aria-label="Filter resources"')
    assert " hidden>" in form.split(">", 1)[0] + ">"  # shown by the script only
    for key in ("stage", "kind", "tag", "cost"):
        assert f'<label for="filter--communities--{key}">' in form
        assert f'<select id="filter--communities--{key}" name="{key}"' in form
    assert render_filters(resources[:1], "x") == ""  # nothing to filter in a one-card tab


def test_binder_without_script_lists_every_card_with_its_open_link() -> None:
    tab = Tab(id="communities", title="Communities")
    resources = [resource(f"r{i}", name=f"Resource {i}") for i in range(5)]
    html = render_binder(tab, resources, SiteState())
    assert "\n" not in html  # one raw HTML block for Markdown
    assert html.count('<article class="plnkit-card"') == 5
    assert html.count('class="plnkit-open"') == 5
    assert " hidden" not in re.sub(r"<(form|p class=\"plnkit-binder__empty\")[^>]*>", "", html)
    assert 'href="../print/"' in html
    assert "No resources in this tab yet" in render_binder(tab, [], SiteState())


def _kit(site_url: str = "https://kit.example.org/") -> Kit:
    tabs = (Tab("start-here", "Start here"), Tab("communities", "Communities"))
    return Kit(
        root=Path("kit"),
        binder=Binder(title="Test Kit", tabs=tabs, description="A kit.", site_url=site_url),
        resources=(
            resource("guide", "start-here", name="Guide", stages=("consumption",)),
            resource("alpha", stages=("consumption", "connection")),
            resource(
                "gone",
                name="Gone Ning",
                url="https://gone.example.org/",
                status="retired",
                archive_url="https://web.archive.org/web/2013/https://gone.example.org/",
                stages=("connection",),
            ),
        ),
    )


def test_stage_path_lists_current_resources_per_stage() -> None:
    html = render_stage_path(_kit())
    for stage in ("Consumption", "Connection", "Creation", "Contribution"):
        assert f"{stage}:" in html
    assert html.count("First step:") == 4
    assert 'href="../communities/#alpha"' in html and 'href="../start-here/#guide"' in html
    assert "Gone Ning" not in html  # retired resources are not a first step


def test_journeys_tell_two_stories_through_the_stages() -> None:
    html = render_journeys()
    assert [j.key for j in JOURNEYS] == ["tiff", "jennifer"]
    assert "Tiff" in html and "Jennifer" in html
    for journey in JOURNEYS:
        assert {stage for stage, _ in journey.steps} >= {"consumption", "contribution"}


def test_start_here_page_carries_path_journeys_and_binder() -> None:
    pages = site_pages(_kit(), SiteState())
    start = pages["start-here/index.md"]
    assert start.index("Four stages") < start.index("Two librarians") < start.index("plnkit-binder")
    assert '<h3 class="plnkit-card__name"' in start  # one level under "Start with these"
    assert '<h2 class="plnkit-card__name"' in pages["communities/index.md"]
    assert "hide: [navigation, toc]" in pages["communities/index.md"]


def test_print_page_lists_every_resource_with_its_address() -> None:
    page = render_print_page(_kit())
    assert "search: {exclude: true}" in page
    assert "Guide" in page and "Alpha Ning" in page and "Gone Ning" in page
    assert ">alpha.example.org</a>" in page
    assert (
        'Archived copy: <a href="https://web.archive.org/web/2013/https://gone.example.org/"'
        in page
    )
    assert '<svg role="img" aria-label="QR code for https://kit.example.org/"' in page
    assert "<svg" not in render_print_page(_kit(site_url=""))


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("One idea. Two ideas.", "One idea."),
        ("A *bold* [link](https://x.example/) here.", "A bold link here."),
        ("Tom &amp; Jerry <script>x</script> run.", "Tom & Jerry run."),
        ("word " * 60, ("word " * 30).strip() + "…"),
    ],
)
def test_short_descriptions_for_print(text: str, short: str) -> None:
    assert short_description(text) == short


def test_a_large_kit_is_a_few_light_pages_per_tab() -> None:
    """Thousands of resources: a tab of a few pages (issue 17), each card a small, fixed cost
    in bytes, never a page per resource."""
    many = tuple(
        resource(f"r-{i}", name=f"Resource number {i}", tags=(f"tag-{i % 40}",), cost="free")
        for i in range(2000)
    )
    kit = Kit(
        root=Path("kit"),
        binder=Binder(title="Big", tabs=(Tab("communities", "Communities"),)),
        resources=many,
    )
    pages = site_pages(kit, SiteState())
    tab = {uri: text for uri, text in pages.items() if uri.startswith("communities/")}
    assert "communities/index.md" in tab and len(tab) <= 12  # 200 a page at most
    cards = sum(text.count('<article class="plnkit-card"') for text in tab.values())
    assert cards == len(many)
    assert sum(len(text) for text in tab.values()) / len(many) < 1500


def test_default_kit_print_page_fits_the_kit(tmp_path: Path) -> None:
    from plnkit.kit.loader import load_kit

    kit = load_kit(ROOT / "kit").kit
    page = render_print_page(kit)
    for r in kit.resources:
        assert str(escape(r.name)) in page or r.name in page
