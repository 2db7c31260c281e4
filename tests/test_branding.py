"""Branding from kit/binder.yml and the fork's kit layers, as functions and in real builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plnkit.kit.layers import layer_report
from plnkit.kit.model import Binder, Tab
from plnkit.site.branding import branding_of, contact_link, fill_markers
from tests.conftest import BINDER, MODELINE, build_site, write_kit

BRANDED = BINDER.replace(
    "intro: Hello **librarians**.\n",
    "intro: Hello **librarians** <script>alert(1)</script>.\n"
    "contact: pln@assoc.example.org\n"
    "logo: assets/assoc.svg\n"
    "colors: {primary: teal, accent: amber}\n",
).replace("title: Test Binder", 'title: "Assoc </title><script>x()</script> & Co"')


def binder(**extra: object) -> Binder:
    return Binder(title="T", tabs=(Tab("a", "A"),), extra=extra)


@pytest.mark.parametrize(
    ("contact", "link"),
    [
        ("pln@example.org", "mailto:pln@example.org"),
        ("mailto:pln@example.org", "mailto:pln@example.org"),
        ("https://example.org/contact", "https://example.org/contact"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ('https://example.org/"><script>', None),
        ("call us", None),
        ("", None),
    ],
)
def test_contact_link(contact: str, link: str | None) -> None:
    assert contact_link(contact) == link


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"colors": {"primary": "tael"}}, "`colors.primary` is 'tael'"),
        ({"colors": {"accent": "black"}}, "`colors.accent` is 'black'"),
        ({"colors": "teal"}, "`colors` must be a mapping"),
        ({"logo": "../secrets.png"}, "`logo` must be a file inside docs/"),
        ({"logo": "/etc/logo.png"}, "`logo` must be a file inside docs/"),
        ({"logo": "assets/logo.pdf"}, "`logo` must be an image"),
    ],
)
def test_unusable_branding_is_reported_and_ignored(extra: dict, problem: str) -> None:
    branding, problems = branding_of(binder(**extra))
    assert len(problems) == 1 and problems[0].startswith(problem)
    assert (branding.primary, branding.accent, branding.logo) == ("", "", "")


def test_colour_names_are_read_as_material_spells_them() -> None:
    branding, problems = branding_of(binder(colors={"primary": "Blue Grey", "accent": "amber"}))
    assert problems == []
    assert (branding.primary, branding.accent) == ("blue grey", "amber")


def test_markers_are_filled_and_sanitized() -> None:
    b = Binder(
        title="Assoc",
        short_title="A&B",
        tabs=(),
        intro="Hi **all** <img src=x onerror=alert(1)>\n\nSecond.",
        contact="https://a.example.org/c",
    )
    page = fill_markers("# Home\n\n<!-- plnkit:intro -->\n\nText\n\n<!-- plnkit:contact -->\n", b)
    assert '<div class="plnkit-intro"><p>Hi <strong>all</strong> </p> <p>Second.</p></div>' in page
    assert "onerror" not in page
    assert '<a href="https://a.example.org/c">Contact A&amp;B</a>' in page
    assert fill_markers("# Plain page\n", b) == "# Plain page\n"


def test_a_branded_binder_styles_the_site_and_escapes_its_name(tmp_path: Path) -> None:
    write_kit(tmp_path, binder=BRANDED)
    (tmp_path / "docs" / "assets").mkdir(parents=True)
    (tmp_path / "docs" / "assets" / "assoc.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n<!-- plnkit:intro -->\n\n<!-- plnkit:contact -->\n", encoding="utf-8"
    )
    site = build_site(tmp_path)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Assoc &lt;/title&gt;&lt;script&gt;x()&lt;/script&gt; &amp; Co</title>" in home
    assert "<script>x()" not in home and "<script>alert(1)" not in home
    assert 'title="Assoc &lt;/title&gt;' in home  # escaped once, not twice
    assert 'data-md-color-primary="teal"' in home and 'data-md-color-accent="amber"' in home
    assert '<img src="assets/assoc.svg" alt="logo">' in home
    assert 'href="mailto:pln@assoc.example.org"' in home
    assert re.search(r'class="plnkit-intro"><p>Hello <strong>librarians</strong>', home)


def test_a_logo_missing_from_docs_is_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_kit(tmp_path, binder=BRANDED)
    build_site(tmp_path)
    assert "`logo` names assets/assoc.svg, but there is no such file in the docs folder" in (
        caplog.text
    )


def resource(name: str, url: str) -> str:
    return (
        f"{MODELINE}name: {name}\nurl: {url}\nkind: community\n"
        f"description: A place where school librarians meet and share what works.\n"
    )


def test_layers_report_overrides_and_excludes_that_match_nothing(tmp_path: Path) -> None:
    kit = write_kit(tmp_path)
    local = tmp_path / "kit-local" / "communities"
    local.mkdir(parents=True)
    (local / "alpha-ning.yml").write_text(resource("Alpha", "https://a.example.org/"))
    report = layer_report(kit, [tmp_path / "kit-local"], ["beta-blog", "renamed-upstream"])
    assert report.unmatched_excludes == ("renamed-upstream",)
    assert report.overrides == ((local / "alpha-ning.yml", kit / "communities" / "alpha-ning.yml"),)


def test_fork_layers_in_a_real_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    write_kit(tmp_path)
    local = tmp_path / "kit-local" / "communities"
    local.mkdir(parents=True)
    (local / "alpha-ning.yml").write_text(resource("Alpha, Our Way", "https://alpha.example.org/"))
    (local / "state-list.yml").write_text(resource("State List", "https://list.example.org/"))
    site = build_site(
        tmp_path,
        "site_name: T\ntheme: {name: material}\nplugins:\n  - plnkit:\n      offline: true\n"
        "      extra_kit_dirs: [kit-local]\n      exclude: [beta-blog, gone-upstream]\n",
    )
    communities = (site / "communities" / "index.html").read_text(encoding="utf-8")
    assert "Alpha, Our Way" in communities and "State List" in communities
    assert "Alpha Ning" not in communities
    assert 'id="beta-blog"' not in (site / "blogs" / "index.html").read_text(encoding="utf-8")
    assert "kit-local/communities/alpha-ning.yml replaces kit/communities/alpha-ning.yml" in (
        caplog.text
    )
    assert "`exclude` lists 'gone-upstream', but no resource file has that name" in caplog.text
