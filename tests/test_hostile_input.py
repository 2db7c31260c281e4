"""Hostile kit input: links out of the kit, control characters, names taken by generated pages,
deep nesting and impossible dates are refused with a message, never a traceback."""

from __future__ import annotations

import json
import sys
import textwrap
import time
import unicodedata
from pathlib import Path

import pytest

from plnkit.exports.opml_import import OpmlError, read_opml
from plnkit.kit.loader import load_kit
from plnkit.kit.rules import check_file, control_characters
from plnkit.kit.yaml_source import Document, parse
from tests.conftest import BINDER, RESOURCES, write_kit
from tests.test_from_issue import GOOD, from_issue, project  # noqa: F401 - the fixture

SECRET = "TOP-SECRET-OUTSIDE-THE-KIT"
GOOD_FILE = RESOURCES["communities/alpha-ning.yml"]


def good_with(line: str) -> str:
    """The good resource file with one more line."""
    return GOOD_FILE.rstrip(" ") + " " * 8 + line + "\n"


def messages(kit: Path) -> list[str]:
    return [p.format() for p in load_kit(kit, base=kit.parent).problems]


def outside(tmp_path: Path) -> Path:
    """A folder beside the kit holding a valid-looking resource with a secret in it."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret-file.yml").write_text(
        f"name: {SECRET}\nurl: https://secret.example.org/\nkind: community\n"
        f"description: {SECRET} {SECRET} {SECRET}.\n",
        encoding="utf-8",
    )
    return elsewhere


def test_a_symlinked_file_is_refused_and_not_read(tmp_path: Path) -> None:
    kit = write_kit(tmp_path)
    (kit / "communities" / "linked.yml").symlink_to(outside(tmp_path) / "secret-file.yml")
    result = load_kit(kit, base=tmp_path)
    shown = "\n".join(p.format() for p in result.problems)
    assert not result.ok
    assert "kit/communities/linked.yml:1:1: error: the file is a symbolic link" in shown
    assert SECRET not in shown


def test_a_symlinked_tab_folder_is_refused_and_not_read(tmp_path: Path) -> None:
    kit = write_kit(tmp_path)
    (kit / "blogs").rename(tmp_path / "blogs-moved")
    (kit / "blogs").symlink_to(outside(tmp_path), target_is_directory=True)
    result = load_kit(kit, base=tmp_path)
    shown = "\n".join(p.format() for p in result.problems)
    assert not result.ok
    assert "kit/blogs:1:1: error: the folder is a symbolic link" in shown
    assert SECRET not in shown and "secret-file" not in shown
    assert result.kit is None


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("name", "Alpha\\0Ning", "U+0000"),
        ("name", "Alpha \\e[2J\\e[31mNing", "U+001B"),
        ("description", "A community \\x07 where school librarians trade ideas daily.", "U+0007"),
        ("notes", "Fine until here\\x9b31m", "U+009B"),
    ],
)
def test_control_characters_in_a_string_field_are_refused(
    tmp_path: Path, field: str, value: str, shown: str
) -> None:
    body = "\n".join(
        line for line in GOOD_FILE.strip().splitlines() if not line.strip().startswith(field)
    )
    body = "\n".join(line.strip() for line in body.splitlines())
    kit = write_kit(tmp_path, {"communities/alpha-ning.yml": f'{body}\n{field}: "{value}"\n'})
    found = [m for m in messages(kit) if "control character" in m]
    assert len(found) == 1, messages(kit)
    assert f"`{field}`" in found[0] and shown in found[0] and "\x1b" not in found[0]


def test_control_characters_in_a_list_item_and_the_binder_are_refused(tmp_path: Path) -> None:
    binder = BINDER.replace("title: Test Binder", 'title: "Test\\e]0;owned\\aBinder"')
    bad_sources = 'sources: ["https://alpha.example.org/\\e[1m"]'
    resource = GOOD_FILE.replace("sources: [https://alpha.example.org/about]", bad_sources)
    kit = write_kit(tmp_path, {"communities/alpha-ning.yml": resource}, binder=binder)
    shown = "\n".join(messages(kit))
    assert "kit/binder.yml:1:8: error: `title` contains a control character (U+001B)" in shown
    assert "`sources` item 1 contains a control character (U+001B)" in shown


def test_every_control_character_but_tab_and_line_breaks_is_found_and_nothing_else() -> None:
    """Unicode's category Cc, less tab, LF and CR: each alone is named, and a text holding
    every other character of Unicode (format characters, NEL's neighbours, emoji) passes."""
    everything = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    refused = [c for c in everything if unicodedata.category(c) == "Cc" and c not in "\t\n\r"]
    assert len(refused) == 62
    for char in refused:
        found = control_characters(Document(data={"notes": f"fine{char}fine", "tags": ["ok"]}))
        assert [m for _, m in found] == [
            f"`notes` contains a control character (U+{ord(char):04X}); delete it (it often "
            "comes from copying text out of another program)"
        ]
    allowed = "".join(c for c in everything if c not in refused)
    assert control_characters(Document(data={"notes": allowed, "tags": [allowed]})) == []


@pytest.mark.parametrize("escaped", [False, True])
def test_the_scan_of_the_text_finds_what_the_walk_over_every_string_finds(escaped: bool) -> None:
    """A file whose text holds no such character and no escape skips the walks of
    control_characters and invisible_problems (Document.could_hold): never a problem less."""
    controls = [chr(c) for c in range(0xA0) if unicodedata.category(chr(c)) == "Cc"]
    others = ["\u200b", "\u00ad", "\ufeff", "\u202e", "\u2066", "\u061c", "é", "\u2028"]
    for char in [*controls, *others]:
        shown = f"\\u{ord(char):04x}" if escaped else char
        text = GOOD_FILE.replace("name: Alpha Ning", f'name: "Alpha{shown}Ning"') + (
            f"notes: Fine{shown}notes\n" if not escaped else ""
        )
        assert f"Alpha{shown}Ning" in text
        doc = parse(textwrap.dedent(text))
        if not isinstance(doc.data, dict):
            assert doc.issues, repr(char)  # YAML refused the character itself
            continue
        walked = Document(**{**vars(doc), "text": None})

        def found(document: Document) -> list[tuple[int, int, str, str]]:
            seen: list[tuple[int, int, str, str]] = []
            check_file(document, "alpha-ning", "communities", None, False,
                       lambda at, level, message: seen.append((*at, level, message)))  # fmt: skip
            return seen

        assert found(doc) == found(walked), repr(char)
        if char in controls[:9]:  # NUL to BS: always refused, raw or escaped
            assert any("control character" in m for *_, m in found(doc)), repr(char)


def test_from_issue_refuses_control_characters_without_a_traceback(
    project: Path,  # noqa: F811 - the fixture
) -> None:
    answers = {**GOOD, "name": "Cafe \x1b[2JLibrarians", "notes": "bell \x07 here"}
    (project / "form.json").write_text(json.dumps(answers), encoding="utf-8")
    done = from_issue("form.json", "--submitter", "sam", "--issue", "7", cwd=project)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "Traceback" not in output and "\x1b" not in output and "\x07" not in output
    assert "`name` contains a control character (U+001B)" in output
    assert not (project / "kit" / "communities" / "cafe-librarians.yml").exists()


@pytest.mark.parametrize(
    "tab", ["print", "recent", "link-health", "api", "opml", "assets", "all-resources"]
)
def test_a_tab_named_like_a_generated_page_is_refused(tmp_path: Path, tab: str) -> None:
    binder = BINDER.replace("id: blogs", f"id: {tab}")
    kit = write_kit(tmp_path, {"communities/alpha-ning.yml": GOOD_FILE}, binder=binder)
    shown = "\n".join(messages(kit))
    assert f"the tab id {tab!r} is the address of a page PLN Kit makes" in shown


@pytest.mark.parametrize(
    "text",
    [
        "tags: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "tags: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
        "tags:\n  " + "- " * 10_000 + "x\n",
    ],
    ids=["flow-lists", "flow-maps", "block-lists"],
)
def test_ten_thousand_deep_yaml_is_a_clear_error_quickly(tmp_path: Path, text: str) -> None:
    started = time.perf_counter()
    doc = parse("name: Deep\n" + text)
    assert time.perf_counter() - started < 5
    assert doc.data is None
    assert "nested more than 32 levels deep" in doc.issues[0].message
    kit = write_kit(tmp_path, {"communities/deep.yml": "name: Deep\n" + text})
    assert any("nested more than 32 levels deep" in m for m in messages(kit))


def test_ten_thousand_deep_opml_is_a_clear_error_quickly() -> None:
    deep = '<outline text="folder">' * 10_000 + "</outline>" * 10_000
    data = f'<?xml version="1.0"?><opml version="2.0"><head/><body>{deep}</body></opml>'
    started = time.perf_counter()
    with pytest.raises(OpmlError, match="nested more than 32 levels deep"):
        read_opml(data.encode(), "deep.opml")
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("written", ["2026-13-45", '"2026-13-45"', "2026-02-30"])
def test_an_impossible_date_is_an_error(tmp_path: Path, written: str) -> None:
    kit = write_kit(tmp_path, {"communities/alpha-ning.yml": good_with(f"added: {written}")})
    found = [m for m in messages(kit) if "`added`" in m]
    assert found and all(": error: " in m for m in found), messages(kit)
