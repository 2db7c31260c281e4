"""The one in-place YAML editor: one value changes, everything else stays byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from plnkit.edit.fork import ForkSettings, rewrite_binder, write_fork_file
from plnkit.edit.yaml_edit import add_value, holds, replace_value, write_verified

OLD, NEW = "http://old.example.org/a", "https://new.example.org/b?x=1#top"
REST = "kind: community\ndescription: A place that moved to a new home on the web.\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"url: {OLD}\n", f"url: {NEW}\n"),
        (f"url: {OLD}   # home page\n", f"url: {NEW}   # home page\n"),
        (f'url: "{OLD}"\n', f'url: "{NEW}"\n'),
        (f"url: '{OLD}'  # quoted\n", f"url: '{NEW}'  # quoted\n"),
        (f"url:    {OLD}\r\n", f"url:    {NEW}\r\n"),
    ],
)
def test_replace_keeps_quoting_comments_and_line_endings(
    tmp_path: Path, line: str, expected: str
) -> None:
    path = tmp_path / "r.yml"
    head = "# yaml-language-server: $schema=../schema/resource.schema.json\nname: Moved\n"
    path.write_bytes((head + line + REST).encode())
    edit = replace_value(path, "url", OLD, NEW)
    assert edit.ok, edit.error
    assert path.read_bytes() == (head + expected + REST).encode()


def test_replace_refuses_when_the_file_changed_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text(f"name: X\nurl: https://elsewhere.example.org/\n{REST}")
    before = path.read_bytes()
    edit = replace_value(path, "url", OLD, NEW)
    assert not edit.ok and "no longer" in (edit.error or "")
    assert path.read_bytes() == before


def test_a_value_on_its_own_line_is_found_too(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text(f"name: X\nurl:\n  {OLD}\n{REST}")
    assert replace_value(path, "url", OLD, NEW).ok
    assert path.read_text() == f"name: X\nurl:\n  {NEW}\n{REST}"


def test_an_edit_that_would_change_other_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    # A plain scalar continued on the next line: rewriting one line would not be the value.
    path.write_text(f"name: X\nurl: {OLD}\n  continued\n{REST}")
    before = path.read_bytes()
    edit = replace_value(path, "url", f"{OLD} continued", NEW)
    assert not edit.ok and "by hand" in (edit.error or "")
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"name: X\nurl: {OLD}\n{REST}", f"name: X\nurl: {OLD}\narchive_url: SNAP\n{REST}"),
        (f"name: X\n{REST}url: {OLD}", f"name: X\n{REST}url: {OLD}\narchive_url: SNAP\n"),
        (f"url: {OLD}\nnotes: |\n  kept\n", f"url: {OLD}\narchive_url: SNAP\nnotes: |\n  kept\n"),
    ],
)
def test_add_archive_url_after_the_url_line(tmp_path: Path, text: str, expected: str) -> None:
    snap = f"https://web.archive.org/web/2013/{OLD}"
    path = tmp_path / "r.yml"
    path.write_text(text)
    edit = add_value(path, "archive_url", snap)
    assert edit.ok, edit.error
    assert path.read_text() == expected.replace("SNAP", snap)


def test_add_refuses_a_field_that_is_there(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text(f"url: {OLD}\narchive_url: https://web.archive.org/web/2013/x\n")
    assert not add_value(path, "archive_url", "https://web.archive.org/web/2014/x").ok


def test_write_verified_writes_nothing_when_the_check_fails(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text("name: X\n")
    assert write_verified(path, "name: Y\n", holds({"name": "Z"}, "name")) is not None
    assert path.read_text() == "name: X\n"
    assert write_verified(path, "name: Z\n", holds({"name": "Z"}, "name")) is None
    assert path.read_text() == "name: Z\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.yml"]  # no temporary file left


def test_a_discovered_feed_is_added_after_the_url_quoted(tmp_path: Path) -> None:
    path = tmp_path / "r.yml"
    path.write_text(f"name: X  # keep\nurl: {OLD}\n{REST}")
    edit = add_value(path, "feed", NEW, after="url", quote='"')
    assert edit.ok, edit.error
    assert path.read_text() == f'name: X  # keep\nurl: {OLD}\nfeed: "{NEW}"\n{REST}'


def test_fork_edits_go_through_the_editor(tmp_path: Path) -> None:
    binder = tmp_path / "binder.yml"
    binder.write_text("# our binder\ntitle: Old  # the name\ntabs:\n  - {id: a, title: A}\n")
    settings = ForkSettings(name="Ohio School Librarians")
    assert write_fork_file(binder, settings, rewrite_binder)
    lines = binder.read_text().splitlines()
    assert lines[0] == "# our binder" and lines[2:] == ["tabs:", "  - {id: a, title: A}"]
    assert lines[1].startswith("title: Ohio School Librarians") and "# the name" in lines[1]
    assert not write_fork_file(binder, settings, rewrite_binder)  # nothing left to change
