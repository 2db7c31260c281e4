"""What a maintainer meets at the command line: no placeholder published unnoticed, a help text
for every flag, and a bare `plnkit` that shows the commands."""

from __future__ import annotations

import argparse
import importlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from plnkit.cli import COMMAND_MODULES, main
from plnkit.kit.loader import load_kit
from plnkit.kit.problems import Level
from tests.conftest import ROOT

OPML = """\
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="Quiet Shelf" xmlUrl="https://quiet.example.org/feed" htmlUrl="https://quiet.example.org/"/>
  <outline text="Short Note" description="Tiny." xmlUrl="https://short.example.org/feed"/>
  <outline text="Described" xmlUrl="https://described.example.org/feed"
    description="A school librarian's notes on running a makerspace on a small budget."/>
</body></opml>
"""


def plnkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plnkit", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_import_opml_placeholders_are_named_and_validate_warns_until_edited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kit = tmp_path / "kit"
    kit.mkdir()
    shutil.copy(ROOT / "kit" / "binder.yml", kit / "binder.yml")
    (tmp_path / "mine.opml").write_text(OPML, encoding="utf-8")
    assert main(["import-opml", str(tmp_path / "mine.opml"), "--tab", "blogs", str(kit)]) == 0
    out = capsys.readouterr().out
    assert "2 file(s) have a placeholder description" in out
    assert "quiet-shelf.yml" in out and "short-note.yml" in out

    def placeholder_warnings() -> list[str]:
        problems = load_kit(kit).problems
        return sorted(
            Path(p.path).name
            for p in problems
            if p.level is Level.WARNING and "placeholder" in p.message
        )

    assert placeholder_warnings() == ["quiet-shelf.yml", "short-note.yml"]
    done = plnkit("validate", str(kit), cwd=tmp_path)
    assert "quiet-shelf.yml:5:14: warning: `description` is still the placeholder" in done.stdout

    # A person writes the description: the warning goes.
    path = kit / "blogs" / "quiet-shelf.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("description: ")
    end = text.index("\n", start)
    path.write_text(
        text[:start] + 'description: "A quiet blog of reading lists for middle schools."'
        + text[end:],
        encoding="utf-8",
    )  # fmt: skip
    assert placeholder_warnings() == ["short-note.yml"]


class _Recording(argparse.ArgumentParser):
    """A parser that remembers the help each argument was given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.helps: list[tuple[str, str | None]] = []  # before -h, which argparse adds first
        super().__init__(*args, **kwargs)

    def add_argument(self, *names: Any, **kwargs: Any) -> argparse.Action:
        self.helps.append(("/".join(names), kwargs.get("help")))
        return super().add_argument(*names, **kwargs)


@pytest.mark.parametrize("module_name", COMMAND_MODULES)
def test_every_flag_of_every_command_has_a_help_text(module_name: str) -> None:
    module = importlib.import_module(module_name)
    parser = _Recording(prog=f"plnkit {module.NAME}")
    module.add_arguments(parser)
    missing = [name for name, help_text in parser.helps if not help_text or not help_text.strip()]
    assert parser.helps and not missing, f"plnkit {module.NAME}: no help for {missing}"


def test_a_bare_plnkit_prints_the_help_and_exits_2(tmp_path: Path) -> None:
    done = plnkit(cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout.startswith("usage: plnkit")
    for command in ("validate", "check-links", "init", "new", "import-opml", "export"):
        assert f"    {command}" in done.stdout
    assert "plnkit COMMAND --help" in done.stdout
    assert "error" not in done.stderr
