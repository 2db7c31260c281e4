"""Every file under tests/bad_inputs/ is one broken input and carries its expected problems."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from plnkit.kit.loader import load_kit

CASES_DIR = Path(__file__).parent / "bad_inputs"
CASES = sorted(
    p for p in CASES_DIR.rglob("*.y*ml") if "_kit" not in p.parts and p.suffix in (".yml", ".yaml")
)
EXPECT = re.compile(r"^# expect: (\d+):(\d+) (error|warning): (.+)$", re.MULTILINE)
PAD = re.compile(r"^# pad-to-bytes: (\d+)$", re.MULTILINE)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.relative_to(CASES_DIR).as_posix())
def test_bad_input(case: Path, tmp_path: Path) -> None:
    data = case.read_bytes()
    header = data.decode("utf-8", errors="replace")
    expected = [(int(a), int(b), level, text) for a, b, level, text in EXPECT.findall(header)]
    assert expected, f"{case.name} has no '# expect:' line"
    if pad := PAD.search(header):
        data += (b"#" * 99 + b"\n") * ((int(pad.group(1)) - len(data)) // 100 + 1)
    kit = tmp_path / "kit"
    shutil.copytree(CASES_DIR / "_kit", kit)
    rel = case.relative_to(CASES_DIR)
    target = kit / "binder.yml" if rel.parts[0] == "binder" else kit / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    problems = load_kit(kit, base=tmp_path, allow_local=False).problems
    shown = target.relative_to(tmp_path).as_posix()
    mine = [p for p in problems if p.path == shown]
    report = "\n".join(p.format() for p in problems)
    for line, column, level, text in expected:
        assert any(
            (p.line, p.column, p.level.value) == (line, column, level) and text in p.message
            for p in mine
        ), f"expected {line}:{column} {level}: {text}\ngot:\n{report}"
    expected_errors = [e for e in expected if e[2] == "error"]
    errors = [p for p in mine if p.level.value == "error"]
    assert len(errors) == len(expected_errors), f"unexpected errors:\n{report}"
