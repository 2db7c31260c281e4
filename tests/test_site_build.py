"""Real MkDocs builds of small kits: generated pages, card content, determinism, failures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from tests.conftest import BINDER, build_site, write_kit


def card(site: Path, tab: str, slug: str) -> str:
    html = (site / tab / "index.html").read_text(encoding="utf-8")
    match = re.search(rf'<article class="plnkit-card" id="{slug}".*?</article>', html, re.S)
    assert match, f"no card {slug} on {tab}"
    return match.group(0)


def test_one_page_per_tab_and_home(built_site: Path) -> None:
    assert (built_site / "index.html").is_file()
    for tab in ("start-here", "communities", "blogs"):
        assert (built_site / tab / "index.html").is_file()


def test_navigation_tabs_follow_binder_order(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]*)" class="md-tabs__link', html)
    assert links == [".", "start-here/", "communities/", "blogs/"]
    assert "Blogs &amp; feeds" in html


def test_card_shows_the_resource(built_site: Path) -> None:
    alpha = card(built_site, "communities", "alpha-ning")
    assert '<a href="https://alpha.example.org/" rel="noopener">Alpha Ning</a>' in alpha
    assert "Community" in alpha
    assert "<em>lesson ideas</em>" in alpha
    assert 'data-stages="consumption connection"' in alpha
    assert 'plnkit-stage">consumption</li>' in alpha
    assert 'plnkit-tag">school-libraries</li>' in alpha
    assert "Not checked yet" in alpha
    assert "Free" in alpha


def test_archived_card_says_so_and_links_the_copy(built_site: Path) -> None:
    beta = card(built_site, "blogs", "beta-blog")
    assert "Archived" in beta
    assert 'href="https://web.archive.org/web/2020/https://beta.example.org/blog"' in beta


def test_start_here_lists_stage_path(built_site: Path) -> None:
    html = (built_site / "start-here" / "index.html").read_text(encoding="utf-8")
    for stage in ("Consumption", "Connection", "Creation", "Contribution"):
        assert f"{stage}:" in html
    assert 'href="../communities/#alpha-ning"' in html


def test_build_is_deterministic(tmp_path: Path) -> None:
    pages = []
    for name in ("one", "two"):
        root = tmp_path / name
        write_kit(root)
        site = build_site(root)
        pages.append(
            {p.relative_to(site).as_posix(): p.read_bytes() for p in site.glob("*/index.html")}
        )
    assert pages[0] == pages[1]
    # issue 4's page, the handout, every resource on one page
    extra = {"link-health/index.html", "print/index.html", "all-resources/index.html"}
    assert len([p for p in pages[0] if p not in extra]) == 3  # one per tab


def test_invalid_kit_stops_the_build_with_file_and_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_kit(tmp_path, {"communities/broken.yml": "name: Broken\nurl: javascript:alert(1)\n"})
    with pytest.raises(Abort):
        build_site(tmp_path)
    logged = caplog.text
    assert (
        "kit/communities/broken.yml:3:6: error: `url` must start with https:// or http://; "
        "got 'javascript:alert(1)'" in logged
    )
    assert "kit/communities/broken.yml:2:1: error: missing required field `kind`" in logged
    assert "Traceback" not in logged


def test_script_in_description_and_name_is_inert(tmp_path: Path) -> None:
    binder = BINDER.replace("title: Communities", 'title: "Talk </title><script>alert(2)</script>"')
    write_kit(
        tmp_path,
        binder=binder,
        resources={
            "communities/evil.yml": """\
        name: "Evil </title><script>alert(1)</script> \\" name"
        url: https://evil.example.org/
        kind: community
        description: "Fine <script>alert(1)</script> [x](javascript:alert(1)) <img onerror=a()>"
        stages: [connection]
        """
        },
    )
    site = build_site(tmp_path)
    html = (site / "communities" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(" not in html
    assert "Talk &lt;/title&gt;&lt;script&gt;" in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "Evil &lt;/title&gt;&lt;script&gt;" in html
