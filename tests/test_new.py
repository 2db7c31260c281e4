"""`plnkit new`: flags or answers in, a resource file that validates out, never an overwrite."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from plnkit.edit.resource_file import render, write_resource
from plnkit.kit.loader import load_kit
from plnkit.kit.yaml_source import parse
from tests.conftest import write_kit

FLAGS = [
    "--yes",
    "--name", "Lunch Bunch",
    "--url", "https://lunch.example.org/",
    "--kind", "chat",
    "--tab", "communities",
    "--description", "A weekly lunchtime chat where librarians share one idea each.",
    "--stage", "connection",
    "--tag", "ning",
]  # fmt: skip


def plnkit(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plnkit", *args],
        cwd=cwd,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=60,
    )


def test_flags_write_a_valid_file(small_kit: Path) -> None:
    done = plnkit("new", *FLAGS, cwd=small_kit)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "kit/communities/lunch-bunch.yml"
    text = (small_kit / "kit/communities/lunch-bunch.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/resource.schema.json\n")
    kit = load_kit(small_kit / "kit").kit
    assert kit.get("lunch-bunch").stages == ("connection",)
    assert plnkit("validate", cwd=small_kit).returncode == 0


def test_interactive_answers_are_reasked_until_valid(small_kit: Path) -> None:
    answers = "\n".join(
        [
            "NO",  # a name YAML would read as false: must stay text
            "javascript:alert(1)",  # refused, asked again
            "https://no.example.org/",
            "99",  # not a kind number, asked again
            "1",  # community
            "communities",
            "too short",  # asked again
            "A community for librarians who say no to busywork.",
            "consumption, nonsense",  # asked again
            "consumption, connection",
            "School Libraries, ning",
            "",  # no feed
        ]
    )
    done = plnkit("new", cwd=small_kit, stdin=answers + "\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "must start with https:// or http://" in done.stdout
    assert "is too short" in done.stdout
    assert "unknown stage(s) nonsense" in done.stdout
    assert done.stdout.splitlines()[-1] == "kit/communities/no.yml"
    resource = load_kit(small_kit / "kit").kit.get("no")
    assert resource.name == "NO"
    assert resource.tags == ("school-libraries", "ning")
    assert resource.added == dt.datetime.now(dt.UTC).date().isoformat()


def test_refuses_to_overwrite(small_kit: Path) -> None:
    target = small_kit / "kit/communities/alpha-ning.yml"
    before = target.read_bytes()
    flags = [*FLAGS]
    flags[flags.index("Lunch Bunch")] = "Alpha Ning"
    done = plnkit("new", *flags, cwd=small_kit)
    assert done.returncode == 1
    assert "already exists; PLN Kit never replaces a file" in done.stdout
    assert target.read_bytes() == before


def test_invalid_result_is_rolled_back(small_kit: Path) -> None:
    flags = [*FLAGS]
    flags[flags.index("https://lunch.example.org/")] = "HTTPS://www.Alpha.example.org"
    done = plnkit("new", *flags, cwd=small_kit)
    assert done.returncode == 1
    assert (
        "kit/communities/lunch-bunch.yml:3:6: error: the same resource as "
        "kit/communities/alpha-ning.yml" in done.stdout
    )
    assert not (small_kit / "kit/communities/lunch-bunch.yml").exists()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--yes", "--name", "X"], None, "with --yes, also give --url, --kind, --tab"),
        (["--yes", *FLAGS[1:8], "nowhere", *FLAGS[9:]], None, "--tab must be one of"),
        ([], "Half\n", "no answer for 'Address (https://…)'"),
        (["no-such-kit"], None, "no kit folder at no-such-kit"),
        (["--kind", "blog-post"], None, "invalid choice"),
    ],
)
def test_usage_errors_exit_2(small_kit: Path, args: list[str], stdin: str, message: str) -> None:
    done = plnkit("new", *args, cwd=small_kit, stdin=stdin or "")
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "text",
    ["NO", "on", "012345", "12:30", "3.10", "2026-11-29", "~", "null", "0o17", "1e3",
     "- item", "#tlchat", "a: b", "it's", 'say "hi"', "*alias", "&anchor", "!tag", "@user",
     "`code`", "%percent", " padded ", "multi\nline", "tab\there", "é ü 中文"],
)  # fmt: skip
def test_rendered_text_reads_back_as_the_same_text(text: str) -> None:
    doc = parse(render({"name": text, "tags": [text]}))
    assert doc.issues == []
    assert doc.data == {"name": text, "tags": [text]}


def test_write_resource_fills_added_and_keeps_field_order(tmp_path: Path) -> None:
    write_kit(tmp_path)
    written = write_resource(
        tmp_path / "kit",
        "blogs",
        {"description": "A blog about weeding the collection with care.", "kind": "blog",
         "url": "https://weeding.example.org/", "name": "Weeding Well", "stages": ["creation"]},
        today=dt.date(2026, 11, 29),
        base=tmp_path,
    )  # fmt: skip
    assert written.ok, written.problems
    lines = written.path.read_text(encoding="utf-8").splitlines()
    assert [line.split(":")[0] for line in lines[1:5]] == ["name", "url", "kind", "description"]
    assert lines[-1] == 'added: "2026-11-29"'


def test_in_a_fork_the_file_goes_into_the_forks_own_folder(tmp_path: Path) -> None:
    from tests.script_support import copy_project

    project = copy_project(tmp_path / "fork")
    mkdocs_yml = project / "mkdocs.yml"
    mkdocs_yml.write_text(
        mkdocs_yml.read_text(encoding="utf-8").replace(
            "extra_kit_dirs: []", "extra_kit_dirs: [kit-local]"
        ),
        encoding="utf-8",
    )
    (project / "kit-local").mkdir()
    upstream = sorted(p.relative_to(project) for p in (project / "kit").rglob("*"))
    done = plnkit("new", *FLAGS, cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "kit-local/communities/lunch-bunch.yml"
    text = (project / "kit-local/communities/lunch-bunch.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../kit/schema/resource.schema.json")
    assert sorted(p.relative_to(project) for p in (project / "kit").rglob("*")) == upstream
    assert plnkit("validate", cwd=project).returncode == 0
    # An explicit KIT is that folder alone, as before.
    again = plnkit("new", *FLAGS, "--slug", "lunch-bunch-2", "kit", cwd=project)
    assert again.stdout.splitlines()[-1] == "kit/communities/lunch-bunch-2.yml", again.stdout
