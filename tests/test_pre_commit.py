"""The pre-commit hook runs `plnkit validate` for real: a bad kit file blocks the commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, write_kit

BIN = Path(sys.executable).parent


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, text=True, capture_output=True, timeout=120)


@pytest.mark.skipif(
    shutil.which("git") is None or not (BIN / "pre-commit").exists(), reason="needs git"
)
def test_hook_blocks_an_invalid_kit_file(tmp_path: Path) -> None:
    write_kit(tmp_path)
    shutil.copy(ROOT / ".pre-commit-config.yaml", tmp_path)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "bin").symlink_to(BIN, target_is_directory=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / ".pre-commit-home"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    run("git", "init", "-q", cwd=tmp_path, env=env)
    run("git", "add", "kit", ".pre-commit-config.yaml", cwd=tmp_path, env=env)
    hook = [str(BIN / "pre-commit"), "run", "--all-files"]
    clean = run(*hook, cwd=tmp_path, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (tmp_path / "kit" / "communities" / "broken.yml").write_text(
        "name: NO\nurl: https://broken.example.org/\n", encoding="utf-8"
    )
    run("git", "add", "kit", cwd=tmp_path, env=env)
    blocked = run(*hook, cwd=tmp_path, env=env)
    assert blocked.returncode == 1
    assert "kit/communities/broken.yml:1:7: error: `name` must be text" in blocked.stdout
