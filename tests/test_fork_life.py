"""A state association's fork over time, with real git: the life docs/fork.md describes.

upstream repository → the association's fork (a bare repository standing for GitHub) → its
working copy: `plnkit init`, its own resources in kit-local/, two upstream resources hidden →
upstream adds and edits resources, a tab, its intro, the home page and options → the fork
merges upstream with no conflict → the site, built by the deploy workflow's script, shows all
of it under the association's name.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.script_support import MODELINE_LOCAL, ROOT, copy_project, git, run_script, script_env

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HIDDEN = ("google-reader", "tlchat-daily-paper-li")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def replace(path: Path, old: str, new: str, count: int = -1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def plnkit_validate(project: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "plnkit", "validate"],
        cwd=project, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def resource(name: str, url: str, kind: str, description: str, modeline: str) -> str:
    return (
        f"{modeline}name: {name}\nurl: {url}\nkind: {kind}\n"
        f"description: {description}\nstages: [connection]\n"
    )


def test_a_fork_makes_the_kit_its_own_and_still_merges_upstream(tmp_path: Path) -> None:
    # Upstream: this repository as published.
    upstream = copy_project(tmp_path / "upstream")
    write(upstream / ".gitignore", "site/\nbuild/\n.cache/\n")
    shutil.copy2(ROOT / "README.md", upstream / "README.md")
    git("init", "--quiet", cwd=upstream)
    git("add", "-A", cwd=upstream)
    git("commit", "--quiet", "-m", "PLN Kit", cwd=upstream)

    # The association forks it on GitHub (a bare copy here) and clones its fork.
    git("clone", "--quiet", "--bare", str(upstream), str(tmp_path / "fork.git"), cwd=tmp_path)
    fork = tmp_path / "fork"
    git("clone", "--quiet", str(tmp_path / "fork.git"), str(fork), cwd=tmp_path)
    git("remote", "add", "upstream", str(upstream), cwd=fork)

    # The fork makes the kit its own.
    (tmp_path / "buckeye.png").write_bytes(PNG)
    done = subprocess.run(
        [
            sys.executable, "-m", "plnkit", "init",
            "--name", "Buckeye School Librarians' PLN",
            "--short", "BSL",
            "--logo", str(tmp_path / "buckeye.png"),
            "--favicon", str(tmp_path / "buckeye.png"),
            "--color", "teal",
            "--repo-url", "https://github.com/buckeye-libraries/pln-kit",
            "--contact", "pln@buckeye.example.org",
            *[arg for slug in HIDDEN for arg in ("--exclude", slug)],
        ],
        cwd=fork, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "README" not in plnkit_validate(fork)  # the fork's own notes are no kit problem
    write(
        fork / "kit-local" / "communities" / "buckeye-listserv.yml",
        resource(
            "Buckeye Librarians Listserv", "https://lists.buckeye.example.org/", "community",
            "The association's mailing list, where members ask and answer questions daily.",
            MODELINE_LOCAL,
        ),
    )  # fmt: skip
    write(
        fork / "kit-local" / "research" / "buckeye-conference.yml",
        resource(
            "Buckeye Library Conference", "https://conference.buckeye.example.org/", "event",
            "The association's yearly conference, with a strand for school librarians.",
            MODELINE_LOCAL,
        ),
    )  # fmt: skip
    # An upstream resource retold for the association's members: same slug, the fork's file.
    write(
        fork / "kit-local" / "webinars" / "tl-virtual-cafe.yml",
        resource(
            "TL Virtual Café", "https://tlvirtualcafe.com/", "webinar",
            "Monthly webinars; BSL members meet afterwards in the listserv to compare notes.",
            MODELINE_LOCAL,
        ),
    )  # fmt: skip
    git("add", "-A", cwd=fork)
    git("commit", "--quiet", "-m", "Make the kit ours", cwd=fork)
    git("push", "--quiet", "origin", "main", cwd=fork)

    # Upstream moves on: a new resource, an edited one, a tab intro, the home page, an option.
    write(
        upstream / "kit" / "communities" / "new-upstream-circle.yml",
        resource(
            "New Upstream Circle", "https://circle.example.org/", "community",
            "A new community upstream added after the fork was made.",
            "# yaml-language-server: $schema=../schema/resource.schema.json\n",
        ),
    )  # fmt: skip
    replace(
        upstream / "kit" / "blogs" / "knowledge-quest.yml",
        'description: "',
        'description: "Edited upstream - ',
    )
    replace(
        upstream / "kit" / "binder.yml",
        'title: "Blogs & feeds", intro: "',
        'title: "Blogs & feeds", intro: "Upstream retold this tab. ',
    )
    replace(
        upstream / "docs" / "index.md",
        "## How to use this kit\n",
        "## How to use this kit\n\nUpstream added this paragraph to the home page.\n",
    )
    replace(upstream / "mkdocs.yml", "per_host: 2, timeout: 15}", "per_host: 2, timeout: 20}")
    replace(upstream / "mkdocs.yml", "site_description: Where", "site_description: Now where")
    # Upstream also retells its own footer and README, the two things a fork rebrands.
    replace(upstream / "mkdocs.yml", "copyright: Curated by", "copyright: Lovingly curated by")
    replace(upstream / "README.md", "\n", "\nUpstream edited its README.\n", count=1)
    replace(
        upstream / "kit" / "binder.yml", 'description: "A ready', 'description: "Upstream: a ready'
    )
    replace(
        upstream / "kit" / "binder.yml",
        "\n  guides that mention",
        "\n  guides (upstream) that mention",
    )
    git("commit", "--quiet", "-am", "Upstream updates", cwd=upstream)
    git("add", "-A", cwd=upstream)
    git("commit", "--quiet", "-m", "A new community", cwd=upstream)

    # The fork pulls upstream's updates, exactly as docs/fork.md says.
    git("fetch", "--quiet", "upstream", cwd=fork)
    merge = subprocess.run(
        ["git", "merge", "--no-edit", "upstream/main"],
        cwd=fork,
        capture_output=True,
        text=True,
        timeout=60,
        env=script_env(tmp_path),
    )
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert "CONFLICT" not in merge.stdout
    assert git("diff", "--name-only", "--diff-filter=U", cwd=fork) == ""
    mkdocs_yml = (fork / "mkdocs.yml").read_text(encoding="utf-8")
    assert "timeout: 20}" in mkdocs_yml and "- google-reader" in mkdocs_yml

    # The deploy workflow's build step, on the merged fork.
    build = run_script("site-build.sh", "offline", cwd=fork, env=script_env(tmp_path))
    assert build.returncode == 0, build.stdout + build.stderr
    site = fork / "site"

    def page(tab: str) -> str:
        return (site / tab / "index.html").read_text(encoding="utf-8")

    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Buckeye School Librarians&#39; PLN</title>" in home
    assert 'data-md-color-primary="teal"' in home
    assert '<img src="assets/logo.png" alt="logo">' in home
    assert "Upstream added this paragraph to the home page." in home
    assert "guides (upstream) that mention" in home  # upstream's intro, under the fork's name
    assert 'content="Upstream: a ready' in home
    assert 'href="mailto:pln@buckeye.example.org"' in home
    assert "Curated by Buckeye School Librarians&#39; PLN · built on PLN Kit" in home  # footer
    assert "curated by PLN Kit contributors" not in home
    assert '<link rel="icon" href="assets/favicon.png">' in home
    assert (
        (fork / ".github" / "README.md")
        .read_text(encoding="utf-8")
        .startswith("# Buckeye School Librarians' PLN\n")
    )
    assert "Upstream edited its README." in (fork / "README.md").read_text(encoding="utf-8")

    assert 'id="new-upstream-circle"' in page("communities")  # upstream's new resource
    assert "Edited upstream - " in page("blogs")  # upstream's edit
    assert "Upstream retold this tab." in page("blogs")
    assert 'id="buckeye-listserv"' in page("communities")  # the fork's own
    assert 'id="buckeye-conference"' in page("research")
    assert "BSL members meet afterwards" in page("webinars")  # the fork's version wins
    for slug in HIDDEN:  # hidden, though upstream's files are still there
        assert all(f'id="{slug}"' not in page(tab) for tab in ("blogs", "social"))
        assert list((fork / "kit").rglob(f"{slug}.yml"))
