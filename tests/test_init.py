"""`plnkit init` turns a copy of the default kit into an association's kit.

It must change only the lines it owns (so upstream updates keep merging), keep every comment,
refuse bad values before touching anything, and the built site must carry the new identity.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.script_support import ROOT, copy_project

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def plnkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plnkit", *args], cwd=cwd, text=True, capture_output=True, timeout=60
    )


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    (tmp_path / "logo.png").write_bytes(PNG)
    return project


def init_ohio(project: Path) -> subprocess.CompletedProcess[str]:
    return plnkit(
        "init",
        "--name", "Ohio School Librarians' PLN Kit",
        "--short", "OSLA",
        "--logo", str(project.parent / "logo.png"),
        "--color", "Deep-Purple",
        "--repo-url", "https://github.com/ohio-libraries/pln-kit",
        "--contact", "pln@ohio-libraries.example.org",
        "--exclude", "google-reader",
        "--exclude", "tlchat-daily-paper-li",
        cwd=project,
    )  # fmt: skip


def test_init_changes_only_the_lines_it_owns(project: Path) -> None:
    binder_before = (project / "kit" / "binder.yml").read_text(encoding="utf-8")
    mkdocs_before = (project / "mkdocs.yml").read_text(encoding="utf-8")
    done = init_ohio(project)
    assert done.returncode == 0, done.stderr
    binder_after = (project / "kit" / "binder.yml").read_text(encoding="utf-8")
    assert changed_lines(binder_before, binder_after) == [
        "-title: PLN Starter Kit for School Librarians",
        "-short_title: PLN Kit",
        "-site_url: https://plnkit.github.io/pln-kit/",
        "-contact: https://github.com/plnkit/pln-kit/issues",
        "+title: Ohio School Librarians' PLN Kit",
        "+short_title: OSLA",
        "+copyright: Curated by Ohio School Librarians' PLN Kit · built on PLN Kit (MIT licensed)",
        "+site_url: https://ohio-libraries.github.io/pln-kit/",
        "+contact: pln@ohio-libraries.example.org",
        '-logo: ""',
        "-colors: {primary: indigo, accent: indigo}",
        '+logo: "assets/logo.png"',
        "+colors: {primary: deep purple, accent: deep purple}",
    ]
    mkdocs_after = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert changed_lines(mkdocs_before, mkdocs_after) == [
        "-site_url: https://plnkit.github.io/pln-kit/",
        "-repo_url: https://github.com/plnkit/pln-kit",
        "+site_url: https://ohio-libraries.github.io/pln-kit/",
        "+repo_url: https://github.com/ohio-libraries/pln-kit",
        "-      exclude: []",
        "-      extra_kit_dirs: []",
        "+      exclude:",
        "+        - google-reader",
        "+        - tlchat-daily-paper-li",
        "+      extra_kit_dirs: [kit-local]",
    ]
    assert (project / "kit-local" / "README.md").is_file()
    assert (project / "docs" / "assets" / "logo.png").read_bytes() == PNG
    # The fork's own front page: a file upstream never has, shown by GitHub before README.md.
    front = (project / ".github" / "README.md").read_text(encoding="utf-8")
    assert front.startswith("# Ohio School Librarians' PLN Kit\n")
    assert "https://ohio-libraries.github.io/pln-kit/" in front


def test_the_forks_own_readme_and_folder_raise_no_validation_warning(project: Path) -> None:
    assert init_ohio(project).returncode == 0
    done = plnkit("validate", cwd=project)
    assert done.returncode == 0, done.stdout
    assert "README" not in done.stdout and "warning" not in done.stdout, done.stdout


def test_a_repository_outside_github_is_refused_with_the_reason(project: Path) -> None:
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    done = plnkit(
        "init", "--name", "X", "--repo-url", "https://gitlab.com/ohio/pln-kit", cwd=project
    )
    assert done.returncode == 2
    assert "--repo-url must be your fork on GitHub, https://github.com/OWNER/REPO" in done.stderr
    assert "GitHub Actions, Pages and issue forms" in done.stderr
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_init_prints_what_is_left_on_github(project: Path) -> None:
    done = init_ohio(project)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Updated:\n  docs/assets/logo.png (your logo)\n  kit/binder.yml" in out
    assert 'Settings -> Pages -> Build and deployment -> Source: "GitHub Actions"' in out
    assert "Allow GitHub Actions to\n     create and approve pull requests" in out
    assert "enable them" in out
    assert "publishes https://ohio-libraries.github.io/pln-kit/" in out
    assert "git fetch upstream && git merge upstream/main" in out


def test_init_twice_changes_nothing_the_second_time(project: Path) -> None:
    assert init_ohio(project).returncode == 0
    files = {p: p.read_bytes() for p in (project / "kit" / "binder.yml", project / "mkdocs.yml")}
    again = init_ohio(project)
    assert again.returncode == 0, again.stderr
    assert "Updated:\n  docs/assets/logo.png (your logo)\n\n" in again.stdout
    assert {p: p.read_bytes() for p in files} == files


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--color", "tael"],
            "--color 'tael' is not a Material for MkDocs colour; use one of: red",
        ),
        (["--accent", "brown"], "--accent 'brown' is not an accent colour"),
        (["--repo-url", "github.com/x/y"], "--repo-url must be a web address"),
        (["--contact", "javascript:alert(1)"], "--contact must be an email address or a web"),
        (["--logo", "missing.png"], "--logo missing.png: no such file"),
        (["--favicon", "logo.txt"], "--favicon logo.txt: no such file"),
        (["--repo-url", "https://codeberg.org/x/y"], "--repo-url must be your fork on GitHub"),
        (["--exclude", "Google Reader"], "--exclude 'Google Reader' is not a resource name"),
        (["--name", "  "], "--name must not be empty"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    project: Path, args: list[str], message: str
) -> None:
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    done = plnkit("init", "--name", "X", *args, cwd=project)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_excluding_a_slug_the_kit_lacks_warns(project: Path) -> None:
    done = plnkit("init", "--exclude", "no-such-thing", cwd=project)
    assert done.returncode == 0
    assert "warning: --exclude no-such-thing: no file no-such-thing.yml in kit" in done.stdout


def test_init_outside_a_kit_says_where_to_run_it(tmp_path: Path) -> None:
    done = plnkit("init", "--name", "X", cwd=tmp_path)
    assert done.returncode == 1
    assert "run plnkit init in the top folder of your copy of the kit" in done.stderr


def test_the_built_site_carries_the_new_identity(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert init_ohio(project).returncode == 0
    (project.parent / "icon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    done = plnkit("init", "--favicon", str(project.parent / "icon.svg"), cwd=project)
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv("PLNKIT_OFFLINE", "1")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"), strict=True)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Ohio School Librarians&#39; PLN Kit</title>" in home
    assert 'data-md-color-primary="deep-purple"' in home
    assert 'data-md-color-accent="deep-purple"' in home
    assert '<img src="assets/logo.png" alt="logo">' in home
    assert 'href="mailto:pln@ohio-libraries.example.org"' in home
    assert "Contact OSLA" in home
    assert "Curated by Ohio School Librarians&#39; PLN Kit · built on PLN Kit" in home
    assert "Curated by PLN Kit contributors" not in home
    assert '<link rel="icon" href="assets/favicon.svg">' in home
    assert (project / "site" / "assets" / "favicon.svg").is_file()
    assert (project / "site" / "assets" / "logo.png").is_file()
    blogs = (project / "site" / "blogs" / "index.html").read_text(encoding="utf-8")
    assert 'id="google-reader"' not in blogs
    assert 'id="knowledge-quest"' in blogs


def test_the_repository_default_kit_is_not_branded_as_a_fork() -> None:
    binder = (ROOT / "kit" / "binder.yml").read_text(encoding="utf-8")
    assert 'logo: ""' in binder and "colors: {primary: indigo, accent: indigo}" in binder
    assert "extra_kit_dirs: []" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert not (ROOT / "kit-local").exists()
