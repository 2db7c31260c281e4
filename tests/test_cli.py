"""The `plnkit` command as a user runs it: a real subprocess, exit codes and output lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import write_kit


def plnkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plnkit", *args], cwd=cwd, text=True, capture_output=True, timeout=60
    )


def test_validate_clean_kit(small_kit: Path) -> None:
    done = plnkit("validate", cwd=small_kit)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 resources OK" in done.stdout


def test_validate_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    write_kit(
        tmp_path,
        {
            "communities/one.yml": "name: One\nurl: ftp://example.org/\nkind: comunity\n",
            "communities/two.yml": "name: NO\n",
        },
    )
    done = plnkit("validate", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert (
        "kit/communities/one.yml:3:6: error: `url` must start with https:// or http://; "
        "got 'ftp://example.org/'" in lines
    )
    assert any(
        line.startswith("kit/communities/one.yml:4:7: error: `kind` must be one of:")
        for line in lines
    )
    assert any(
        line.startswith(
            "kit/communities/two.yml:2:7: error: `name` must be text, but "
            "YAML read 'NO' as the yes/no value false"
        )
        for line in lines
    )


def test_validate_github_format(tmp_path: Path) -> None:
    write_kit(tmp_path, {"communities/one.yml": "name: One\n"})
    done = plnkit("validate", "--format", "github", cwd=tmp_path)
    assert done.returncode == 1
    assert any(
        line.startswith("::error file=kit/communities/one.yml,line=2,col=1::missing")
        for line in done.stdout.splitlines()
    )


def test_usage_error_exits_2(tmp_path: Path) -> None:
    assert plnkit("no-such-command", cwd=tmp_path).returncode == 2


def test_render_writes_plain_markdown(small_kit: Path) -> None:
    done = plnkit("render", "--to", "out", cwd=small_kit)
    assert done.returncode == 0, done.stderr
    page = (small_kit / "out" / "communities" / "index.md").read_text(encoding="utf-8")
    assert 'id="alpha-ning"' in page
