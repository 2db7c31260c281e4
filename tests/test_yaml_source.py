"""Table of YAML inputs and what the safe reader makes of them (value, issue, position)."""

from __future__ import annotations

import pytest

from plnkit.kit import yaml_source
from plnkit.kit.yaml_source import decode, parse

CASES = [
    # (yaml text, expected data, expected issue fragment or None, issue line, issue column)
    ("a: text\n", {"a": "text"}, None, 0, 0),
    ("a: NO\n", {"a": False}, None, 0, 0),
    ("a: '012345'\n", {"a": "012345"}, None, 0, 0),
    ("a: 012345\n", {"a": 5349}, None, 0, 0),
    ("a: 1\nb: 2\na: 3\n", {"a": 1, "b": 2}, "duplicate key `a` (first set on line 1)", 3, 1),
    ("a: &x 1\nb: *x\n", None, "anchors (&x) are not allowed", 1, 4),
    ("a: !!python/object:os.system x\n", {"a": None}, "the tag `!!python/object:os.system`", 1, 4),
    ("a: !custom x\n", {"a": None}, "the tag `!custom` is not allowed", 1, 4),
    ("a: b: c\n", None, "YAML syntax error: mapping values are not allowed", 1, 5),
    ("a: 1\n---\nb: 2\n", None, "only one YAML document per file", 2, 1),
    ("a:\n\t- x\n", None, "YAML syntax error", 2, 1),
]


@pytest.mark.parametrize(("text", "data", "issue", "line", "column"), CASES)
def test_parse(text: str, data: object, issue: str | None, line: int, column: int) -> None:
    doc = parse(text)
    if issue is None:
        assert doc.issues == []
        assert doc.data == data
    else:
        assert doc.issues, f"expected an issue for {text!r}"
        first = doc.issues[0]
        assert issue in first.message
        assert (first.position.line, first.position.column) == (line, column)
        if data is not None:
            assert doc.data == data


@pytest.mark.parametrize(("text", "data", "issue", "line", "column"), CASES)
def test_pyyamls_own_composer_reads_the_same(
    text: str, data: object, issue: str | None, line: int, column: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Without libyaml, PyYAML's pure-Python composer gives the same answers."""
    def seen(doc: yaml_source.Document) -> tuple[object, ...]:
        where = {path: doc.where(path) for path in doc.marks}
        issues = [(i.position, i.message.split(":")[0]) for i in doc.issues]
        return doc.data, doc.raw, doc.refused, where, issues, doc.key_lines()

    expected = seen(parse(text))
    monkeypatch.setattr(yaml_source, "_Loader", yaml_source._DepthLoader)
    assert seen(parse(text)) == expected


def test_deep_nesting_without_libyaml_is_an_error_not_a_recursion_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yaml_source, "_Loader", yaml_source._DepthLoader)
    for text in ("a: " + "[" * 10_000 + "]" * 10_000, "- " * 10_000 + "x"):
        doc = parse(text)
        assert doc.data is None and "nested more than 32 levels deep" in doc.issues[0].message


def test_alias_bomb_is_not_expanded() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    doc = parse(bomb)
    assert any("aliases" in i.message for i in doc.issues)
    assert len(repr(doc.data)) < 10_000


def test_positions_and_raw_text() -> None:
    doc = parse("name: x\nschedule:\n  time: 12:30\n")
    assert doc.raw[("schedule", "time")] == "12:30"
    assert doc.data["schedule"]["time"] == 750  # YAML 1.1 sexagesimal: why strings are quoted
    assert (doc.where(("schedule", "time")).line, doc.where(("schedule", "time")).column) == (3, 9)


def test_non_utf8_is_located() -> None:
    text, issue = decode(b"name: ok\nurl: caf\xe9\n")
    assert text is None
    assert (issue.position.line, issue.position.column) == (2, 9)
    assert "not UTF-8" in issue.message
