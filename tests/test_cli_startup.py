"""`plnkit COMMAND` loads only what that command runs: start-up is most of a small run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from plnkit.cli import COMMAND_MODULES, main
from tests.conftest import ROOT

HEAVY = ("feedparser", "mkdocs", "jsonschema", "icalendar", "nh3", "markdown")
PROBE = """
import json, sys
from plnkit.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(m for m in {heavy} if m in sys.modules)]))
"""


def run_probe(*args: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    return tuple(json.loads(done.stdout.strip().splitlines()[-1]))  # type: ignore[return-value]


def test_check_links_loads_neither_the_site_build_nor_the_feed_parser(tmp_path: Path) -> None:
    code, loaded = run_probe(
        "check-links", str(ROOT / "kit"), "--offline", "--cache-dir", str(tmp_path / "c")
    )
    assert code == 0
    assert loaded == []


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
    """`python -m plnkit` (as the `plnkit` script) ends without tearing the interpreter
    down, but with the command's exit code and every line it wrote, through pipes."""
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
