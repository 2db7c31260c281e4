"""scripts/release-offline.sh (the release workflow): a zip of the site that works from file://.

The zip is unpacked and every page's local links are followed on disk, the way a browser opens
them from a folder: each must name an existing file, never a bare folder.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from plnkit.site.file_site import file_safe_url, make_links_file_safe
from tests.script_support import copy_project, gh_state, run_script, script_env, set_gh_state

NAME = "pln-kit-v1.2.0-offline"
LINK = re.compile(r'\b(?:href|src)="([^"]*)"')


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, str]:
    tmp = tmp_path_factory.mktemp("release")
    project = copy_project(tmp / "project")
    env = script_env(tmp, GITHUB_REPOSITORY="example/pln-kit")
    set_gh_state(env)
    done = run_script("release-offline.sh", "v1.2.0", cwd=project, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return project, env, done.stdout


def local_target(page: Path, url: str) -> Path | None:
    """The file a browser opens for a link on a page read from disk; None for remote links."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith(("#", "//")) or not parts.path:
        return None
    return (page.parent / unquote(parts.path)).resolve()


def test_the_release_gets_the_zip(release: tuple[Path, dict, str]) -> None:
    _, env, stdout = release
    assert stdout.strip().splitlines()[-1] == f"dist/{NAME}.zip"
    calls = gh_state(env)["calls"]
    assert calls[0] == ["release", "view", "v1.2.0"]
    assert calls[1][:3] == ["release", "create", "v1.2.0"]
    assert "--verify-tag" in calls[1]
    assert gh_state(env)["releases"] == [{"tag": "v1.2.0", "assets": [f"{NAME}.zip"]}]


def test_the_zip_opens_from_disk(release: tuple[Path, dict, str], tmp_path: Path) -> None:
    project, _, _ = release
    with zipfile.ZipFile(project / "dist" / f"{NAME}.zip") as archive:
        names = archive.namelist()
        assert all(n.startswith(f"{NAME}/") for n in names)
        archive.extractall(tmp_path)
    site = tmp_path / NAME
    assert (site / "OPEN-ME.txt").is_file()
    assert not (site / "404.html").exists()  # only a web server shows it
    assert (site / "search" / "search_index.js").is_file()  # search without a server
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 8  # home and seven tabs, at least
    checked = 0
    for page in pages:
        for url in LINK.findall(page.read_text(encoding="utf-8")):
            target = local_target(page, url)
            if target is None:
                continue
            assert target.is_file(), f"{page.relative_to(site)} links {url!r}: no such file"
            checked += 1
    assert checked > 200
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="communities/index.html"' in home
    start = (site / "start-here" / "index.html").read_text(encoding="utf-8")
    assert 'href="../communities/index.html#' in start  # raw HTML links too


def test_an_existing_release_gets_the_zip_replaced(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    env = script_env(tmp_path)
    set_gh_state(env, releases=[{"tag": "v2.0.0", "assets": ["pln-kit-v2.0.0-offline.zip"]}])
    done = run_script("release-offline.sh", "v2.0.0", cwd=project, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    calls = gh_state(env)["calls"]
    assert calls[-1][:3] == ["release", "upload", "v2.0.0"]
    assert "--clobber" in calls[-1]


@pytest.mark.parametrize("tag", ["1.0", "v1;rm -rf /", "main", "v"])
def test_a_tag_that_is_not_a_version_is_refused(tmp_path: Path, tag: str) -> None:
    project = copy_project(tmp_path / "project")
    env = script_env(tmp_path)
    done = run_script("release-offline.sh", tag, cwd=project, env=env)
    assert done.returncode == 1
    assert "a release tag looks like v1.2.0" in done.stderr
    assert gh_state(env)["calls"] == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("communities/", "communities/index.html"),
        ("../communities/#classroom-20", "../communities/index.html#classroom-20"),
        (".", "index.html"),
        ("..", "../index.html"),
        ("../", "../index.html"),
        ("./?q=tag", "./index.html?q=tag"),
        ("page.html#x", "page.html#x"),
        ("assets/logo.png", "assets/logo.png"),
        ("#top", "#top"),
        ("/absolute/", "/absolute/"),
        ("https://example.org/", "https://example.org/"),
        ("mailto:a@example.org", "mailto:a@example.org"),
        ("", ""),
    ],
)
def test_file_safe_url(url: str, expected: str) -> None:
    assert file_safe_url(url) == expected


def test_only_link_attributes_are_rewritten() -> None:
    html = '<a href="../x/">x/</a> <p data-x="y/">a/b/</p> <img src="img/">'
    assert make_links_file_safe(html) == (
        '<a href="../x/index.html">x/</a> <p data-x="y/">a/b/</p> <img src="img/index.html">'
    )
