"""Running the workflow scripts as CI does: real processes in a copy of the project in tmp_path.

`gh` is the one stand-in (tests/fake_gh.py, on PATH first); git, plnkit, mkdocs and Python are
the real programs from this environment.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# The first line of a resource file in kit-local/<tab>/, pointing editors at the schema.
MODELINE_LOCAL = "# yaml-language-server: $schema=../../kit/schema/resource.schema.json\n"
PROJECT_PARTS = ("mkdocs.yml", "kit", "docs", "scripts")
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Librarian",
    "GIT_AUTHOR_EMAIL": "librarian@example.org",
    "GIT_COMMITTER_NAME": "Test Librarian",
    "GIT_COMMITTER_EMAIL": "librarian@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}
# Variables a developer's shell or a CI runner may set that would change what a script does.
CLEARED = ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_REPOSITORY",
           "GITHUB_RUN_ID", "GITHUB_SERVER_URL", "GH_TOKEN", "GH_REPO", "GITHUB_TOKEN",
           "PLNKIT_FOR_FILES", "PLNKIT_KIT", "PLNKIT_REPORT_DIR")  # fmt: skip


def copy_project(dest: Path) -> Path:
    """The parts of this repository a site build needs, copied into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / part)
    return dest


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def script_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment for the scripts: the fake gh first on PATH, no network, no CI flags."""
    bin_dir = tmp_path / "fake-bin"
    executable(
        bin_dir / "gh",
        f'#!/bin/sh\nexec "{sys.executable}" "{ROOT / "tests" / "fake_gh.py"}" "$@"\n',
    )
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(GIT_IDENTITY)
    env.update(
        PATH=os.pathsep.join([str(bin_dir), str(VENV_BIN), env.get("PATH", "")]),
        FAKE_GH_STATE=str(tmp_path / "gh-state.json"),
        HOME=str(tmp_path / "home"),
        NO_MKDOCS_2_WARNING="1",
        DISABLE_MKDOCS_2_WARNING="true",
        PLNKIT_OFFLINE="1",  # tests never reach the internet
    )
    env.update(extra)
    return env


def run_script(
    name: str, *args: str, cwd: Path, env: dict[str, str], timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(cwd / "scripts" / name), *args],
        cwd=cwd,
        env=env,
        text=True,
        capture_output=True,
        timeout=timeout,
    )


def gh_state(env: dict[str, str]) -> dict[str, Any]:
    path = Path(env["FAKE_GH_STATE"])
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"calls": []}


def set_gh_state(env: dict[str, str], **state: Any) -> None:
    base = {"issues": [], "prs": [], "releases": [], "calls": []}
    Path(env["FAKE_GH_STATE"]).write_text(json.dumps(base | state), encoding="utf-8")


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY},
        text=True,
        capture_output=True,
        timeout=60,
    )
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def has_plnkit_command(name: str) -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "plnkit", name, "--help"], capture_output=True, timeout=60
    )
    return done.returncode == 0


def make_fork(project: Path, exclude: tuple[str, ...] = ()) -> None:
    """Give the project in `project` a fork's settings: its own kit-local/, `exclude`."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "extra_kit_dirs: []", "extra_kit_dirs: [kit-local]"
    )
    config.write_text(text.replace("exclude: []", f"exclude: {list(exclude)}"), encoding="utf-8")


def local_resource(project: Path, tab: str, slug: str, name: str, url: str, kind: str) -> Path:
    """A resource file of the fork's own, `kit-local/<tab>/<slug>.yml`, that validates."""
    path = project / "kit-local" / tab / f"{slug}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"{MODELINE_LOCAL}name: {name}\nurl: {url}\nkind: {kind}\n"
        f"description: {name}, the association's own, for its members in the state.\n"
        f"stages: [connection]\nsources: [{url}]\n",
        encoding="utf-8",
    )
    return path
