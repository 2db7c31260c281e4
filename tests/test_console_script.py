"""The `plnkit` console script: every command listed, exit codes and output through pipes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from plnkit.cli import COMMAND_MODULES, main
from tests.conftest import ROOT


def test_every_command_is_still_listed_and_runs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    listing = capsys.readouterr().out
    for module in COMMAND_MODULES:
        assert module.rsplit(".", 1)[-1].replace("_", "-") in listing
    assert main(["validate", str(ROOT / "kit")]) == 0


@pytest.mark.parametrize("folder", ["kit", "no-such-folder"])
def test_the_console_script_exits_quickly_with_all_its_output(
    folder: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m plnkit` (as the `plnkit` script) ends with the command's exit code and
    every line it wrote, through pipes."""
    monkeypatch.chdir(ROOT)
    code = main(["validate", folder])
    expected = capsys.readouterr()
    done = subprocess.run(
        [sys.executable, "-m", "plnkit", "validate", folder],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (code, expected.out, expected.err)


def test_a_check_runs_to_its_summary_through_the_console_script(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "plnkit", "check-links", "kit", "--offline",
         "--cache-dir", str(tmp_path / "c")],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"\d+ requests in [\d.]+ s", done.stdout.strip().splitlines()[-1])
