"""`plnkit validate` and the loader behind it: one run reports everything, in every channel."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from plnkit.kit.loader import load_kit
from plnkit.kit.problems import Level, Problem
from tests.conftest import BINDER, build_site, write_kit

BROKEN = {
    "communities/one.yml": "name: One\nurl: javascript:alert(1)\nkind: comunity\n",
    "communities/two.yml": "name: NO\nurl: https://two.example.org/\nkind: community\n"
    "description: Twelve thirty is lunch time for the librarians.\nstages: [creation]\n",
    "blogs/three.yml": "- a list\n",
}


def validate(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plnkit", "validate", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=60,
        env={**os.environ, **env},
    )


def test_every_problem_in_every_file_in_one_run(tmp_path: Path) -> None:
    binder = BINDER.replace("title: Test Binder", "title: [not, text]")
    write_kit(tmp_path, BROKEN, binder=binder)
    done = validate(cwd=tmp_path)
    assert done.returncode == 1
    out = done.stdout
    assert "kit/binder.yml:1:8: error: `title` must be text, but it is a list" in out
    assert "kit/communities/one.yml:3:6: error: `url` must start with https://" in out
    assert "kit/communities/one.yml:4:7: error: `kind` must be one of:" in out
    assert "kit/communities/one.yml:2:1: error: missing required field `description`" in out
    assert "kit/communities/two.yml:2:7: error: `name` must be text" in out
    assert "kit/blogs/three.yml:2:1: error: the file must be a set of `field: value` lines" in out
    assert "kit/communities/two.yml:2:1: warning: no `sources`; add a `sources:` list" in out
    assert out.splitlines()[-1] == "kit: 6 error(s), 3 warning(s)"


def test_github_annotations_escape_data_and_properties(tmp_path: Path) -> None:
    write_kit(tmp_path, {"odd,folder/one.yml": "name: One\n"})
    done = validate("--format", "github", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert any(
        line.startswith("::error file=kit/odd%2Cfolder/one.yml,line=1,col=1::the folder")
        for line in lines
    ), lines
    problem = Problem("a:b.yml", 2, 3, Level.WARNING, "100% sure\nnext")
    assert problem.format_github() == "::warning file=a%3Ab.yml,line=2,col=3::100%25 sure%0Anext"


def test_missing_kit_folder_is_a_usage_error(tmp_path: Path) -> None:
    done = validate("nowhere", cwd=tmp_path)
    assert done.returncode == 2
    assert "no kit folder at nowhere" in done.stderr


def test_local_addresses_need_the_opt_in(tmp_path: Path) -> None:
    write_kit(
        tmp_path,
        {
            "communities/local.yml": "name: Local\nurl: http://127.0.0.1:8000/\nkind: community\n"
            "description: A test server on this very computer.\nstages: [connection]\n"
        },
    )
    assert validate(cwd=tmp_path).returncode == 1
    assert validate("--allow-local", cwd=tmp_path).returncode == 0
    assert validate(cwd=tmp_path, PLNKIT_ALLOW_LOCAL="1").returncode == 0


def test_files_the_loader_would_ignore_are_warned_about(small_kit: Path) -> None:
    kit = small_kit / "kit"
    (kit / "stray.yml").write_text("name: Stray\n", encoding="utf-8")
    (kit / "communities" / "draft.txt").write_text("notes\n", encoding="utf-8")
    (kit / "communities" / "nested").mkdir()
    result = load_kit(kit, base=small_kit)
    assert result.ok
    warnings = {p.format() for p in result.problems if p.level is Level.WARNING}
    assert "kit/stray.yml:1:1: warning: stray.yml is not inside a tab folder, so it is " \
        "ignored; move it into one" in warnings  # fmt: skip
    assert any(w.startswith("kit/communities/draft.txt:1:1: warning:") for w in warnings)
    assert any(w.startswith("kit/communities/nested:1:1: warning:") for w in warnings)


def test_a_forks_own_file_replaces_the_upstream_one(small_kit: Path) -> None:
    own = small_kit / "ours" / "communities"
    own.mkdir(parents=True)
    (own / "alpha-ning.yml").write_text(
        "name: Our Alpha\nurl: https://alpha.example.org/\nkind: community\n"
        "description: Our own description of the Alpha community.\nstages: [connection]\n",
        encoding="utf-8",
    )
    result = load_kit(small_kit / "kit", extra_dirs=[small_kit / "ours"], base=small_kit)
    assert result.ok, [p.format() for p in result.problems]
    assert result.kit.get("alpha-ning").name == "Our Alpha"


def test_alias_bomb_is_reported_not_expanded(tmp_path: Path) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 12):
        prev, name = chr(96 + index), chr(97 + index)
        levels.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    write_kit(tmp_path, {"communities/bomb.yml": "\n".join(levels) + "\n"})
    problems = load_kit(tmp_path / "kit", base=tmp_path, max_problems=None).problems
    messages = [p.message for p in problems if p.path == "kit/communities/bomb.yml"]
    assert sum("aliases (*" in m for m in messages) == 99
    assert sum("anchors (&" in m for m in messages) == 12
    # By default a file lists at most 50, then says how many more (issue 19).
    capped = load_kit(tmp_path / "kit", base=tmp_path).problems
    mine = [p.message for p in capped if p.path == "kit/communities/bomb.yml"]
    assert len(mine) == 51 and mine[-1] == f"…and {len(messages) - 50} more problems in this file"


def test_the_build_stops_with_the_same_messages_as_validate(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_kit(tmp_path, BROKEN)
    expected = [line for line in validate(cwd=tmp_path).stdout.splitlines() if ": error: " in line]
    assert len(expected) == 5
    with pytest.raises(Abort) as stopped:
        build_site(tmp_path)
    for line in expected:
        assert line in caplog.text
    assert "the kit has 5 error(s); fix them and build again:" in caplog.text
    assert "BuildError" in str(stopped.value)
    assert "Traceback" not in caplog.text


def test_symbolic_links_are_not_followed(small_kit: Path) -> None:
    secret = small_kit / "secret.yml"
    secret.write_text("name: a secret value\n", encoding="utf-8")
    (small_kit / "kit" / "communities" / "linked.yml").symlink_to(secret)
    result = load_kit(small_kit / "kit", base=small_kit)
    shown = [p.format() for p in result.problems if "linked" in p.path]
    assert shown == [
        "kit/communities/linked.yml:1:1: error: the file is a symbolic link; "
        "put the resource's own file here instead"
    ]
