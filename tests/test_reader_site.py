"""The built site's reader-facing extras (issue 16), on a small kit built by MkDocs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from plnkit.exports.bluesky_list import bluesky_list
from plnkit.kit.loader import load_kit
from tests.conftest import BINDER, MKDOCS_YML, RESOURCES, build_site, write_kit

ATOM = "{http://www.w3.org/2005/Atom}"
REPO = "repo_url: https://github.com/example/kit\nedit_uri: edit/trunk/docs/\n"


def test_offline_feed_names_only_pages_that_exist(built_site: Path) -> None:
    assert not (built_site / "recent").exists()  # no posts fetched: no river page
    feed = ET.parse(built_site / "feed.xml").getroot()
    for link in feed.iter(f"{ATOM}link"):
        href = link.get("href", "")
        if link.get("rel", "alternate") == "alternate":
            assert "recent" not in href, href
    page = (built_site / "communities" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="\.\./feed\.xml"', page
    )
    assert (built_site / "robots.txt").read_text(encoding="utf-8").startswith("User-agent: *\n")


def test_a_logo_brands_the_favicon_and_the_shared_image(tmp_path: Path) -> None:
    write_kit(tmp_path, binder=BINDER + 'logo: "assets/logo.png"\n')
    (tmp_path / "docs" / "assets").mkdir(parents=True)
    (tmp_path / "docs" / "assets" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site = build_site(
        tmp_path,
        MKDOCS_YML.replace(
            "site_name: Test Kit\n", "site_name: Test Kit\nsite_url: https://kit.example.org/\n"
        ),
    )
    page = (site / "communities" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="icon" href="../assets/logo.png">' in page
    assert '<meta property="og:image" content="https://kit.example.org/assets/logo.png">' in page
    assert '<meta property="og:title" content="Communities · Test Binder">' in page


def test_contributor_links_follow_repo_url_and_edit_uri(tmp_path: Path) -> None:
    write_kit(tmp_path)
    site = build_site(tmp_path, REPO + MKDOCS_YML)
    page = (site / "communities" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/example/kit/issues/new?template=suggest-resource.yml"' in page
    assert 'href="https://github.com/example/kit/edit/trunk/kit/communities/alpha-ning.yml"' in page
    # Generated pages have no file in docs/: the theme offers no "edit this page" for them.
    assert "edit/trunk/docs/communities" not in page
    # Without a GitHub repository, no guessed links.
    plain = build_site(tmp_path, MKDOCS_YML)
    assert "plnkit-suggest" not in (plain / "communities" / "index.html").read_text("utf-8")


def test_bluesky_list_is_handles_one_per_line(tmp_path: Path) -> None:
    resources = {
        **RESOURCES,
        "communities/sky.yml": RESOURCES["communities/alpha-ning.yml"]
        .replace("Alpha Ning", "Sky Club")
        .replace("alpha.example.org", "sky.example.org")
        + "handles: {bluesky: skyclub.bsky.social}\n",
    }
    kit = load_kit(write_kit(tmp_path, resources)).kit
    assert bluesky_list(kit) == "@skyclub.bsky.social\n"
