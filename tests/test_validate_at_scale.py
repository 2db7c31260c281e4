"""Validating a large kit: spread over every core and answered from the kit cache, yet with
exactly the report of one process reading every file (`plnkit.kit.workers`, `kit.cache`).

The kits here are a few dozen files; a threshold of 2 files makes them take the large-kit path.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import plnkit.kit.checked_file
import plnkit.kit.workers
from plnkit.cli import main
from plnkit.kit.cache import content_hash
from plnkit.kit.loader import load_kit
from plnkit.kit.workers import cores
from tests.conftest import RESOURCES, write_kit


def good(slug: str, name: str = "", tags: str = "", more: str = "") -> str:
    """A resource file that passes, with `more` lines after it."""
    return (
        f"name: {name or slug.title()}\n"
        f"url: https://{slug}.example.org/\n"
        "kind: community\n"
        f"description: A community where school librarians trade ideas about {slug}.\n"
        "stages: [connection]\n"
        f"tags: [school-libraries{tags}]\n"
        f"sources: [https://{slug}.example.org/about]\n"
    ) + more


def mixed_kit(root: Path) -> Path:
    """About forty files: good ones, and every kind of problem a file or a pair can have."""
    files = dict(RESOURCES)
    for index in range(24):
        tab = ("communities", "blogs", "start-here")[index % 3]
        lonely = f", lonely-{index}" if index % 5 == 0 else ""  # a warning across files
        files[f"{tab}/group-{index:02d}.yml"] = good(f"group-{index:02d}", tags=lonely)
    files |= {
        "communities/bad-url.yml": "name: Bad\nurl: javascript:alert(1)\nkind: comunity\n",
        "communities/no-sources.yml": good("quiet").replace("sources: [", "# sources: ["),
        "communities/long.yml": good("long").replace("ideas", "ideas" + " and more" * 30),
        "communities/control.yml": good("ctl", name='"Ctl\\e[2J"'),
        "communities/twin-url.yml": good("group-01", name="Twin"),
        "communities/unknown.yml": good("odd", more="colour: blue\n"),
        "blogs/syntax.yml": "name: [unclosed\nurl: https://x.example.org/\n",
        "blogs/list.yml": "- a list\n",
        "blogs/empty.yml": "",
        "blogs/replaced.yml": good("gone", more="status: retired\nnotes: Closed.\n"
                                   "replaced_by: group-0\n"),
        "not-a-tab/stray.yml": good("stray"),
        "Bad_Name.yml": "name: x\n",
    }  # fmt: skip
    kit = write_kit(root, files)
    (kit / "blogs" / "latin1.yml").write_bytes(b"name: Caf\xe9\n")
    (kit / "blogs" / "linked.yml").symlink_to(kit / "blogs" / "group-01.yml")
    return kit


def validate(
    cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """`plnkit validate ARGS` in this process: (exit code, what it printed, its errors)."""
    monkeypatch.chdir(cwd)
    code = main(["validate", "--allow-local", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("form", [(), ("--format", "github"), ("--max-problems", "1")])
def test_every_core_gives_the_report_of_one_process(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    parsed_here: Counter[str],
    form: tuple[str, ...],
) -> None:
    mixed_kit(tmp_path)
    one = validate(tmp_path, monkeypatch, capsys, "--no-cache", *form)
    assert one[0] == 1 and len(one[1].splitlines()) > 20, one  # errors and warnings
    assert "warning: the tag 'lonely-5' is used by no other resource" in one[1] or form
    assert parsed_here["group-01.yml"] == 1

    parsed_here.clear()
    monkeypatch.setattr(plnkit.kit.workers, "PARALLEL_FROM", 2)
    every = validate(tmp_path, monkeypatch, capsys, "--no-cache", *form)
    assert every == one  # exit code, every line in order, the summary: byte for byte
    if cores() > 1:
        assert not parsed_here, "the files were checked in worker processes"


def test_the_loaded_kit_is_the_same_on_every_core(tmp_path: Path) -> None:
    lonely = {f"blogs/b-{i}.yml": good(f"b-{i}", tags=", lonely" * (i == 3)) for i in range(30)}
    write_kit(tmp_path, {**RESOURCES, **lonely})
    one = load_kit(tmp_path / "kit", base=tmp_path, parallel_from=10**9)
    every = load_kit(tmp_path / "kit", base=tmp_path, parallel_from=2)
    assert one.ok and every.ok and one.kit is not None and every.kit is not None
    assert every.kit == one.kit and every.problems == one.problems
    assert [r.lines for r in every.kit.resources] == [r.lines for r in one.kit.resources]
    assert (every.errors, every.warnings) == (one.errors, one.warnings) == (0, 1)


@pytest.mark.parametrize("threshold", [10**9, 2])
def test_a_warm_validate_reports_what_a_cold_one_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    parsed_here: Counter[str],
    threshold: int,
) -> None:
    """The project's state store keeps what validate learned; the next run parses nothing
    it has seen, in one process or on every core, and says the same."""
    mixed_kit(tmp_path)
    monkeypatch.setattr(plnkit.kit.workers, "PARALLEL_FROM", threshold)
    fresh = validate(tmp_path, monkeypatch, capsys, "--no-cache")
    (tmp_path / ".cache" / "plnkit").mkdir(parents=True)
    cold = validate(tmp_path, monkeypatch, capsys)
    assert (tmp_path / ".cache" / "plnkit" / "kit-files.json").is_file()
    parsed_here.clear()
    warm = validate(tmp_path, monkeypatch, capsys)
    assert fresh == cold == warm
    # Only the files with errors of their own are checked again (a broken file's messages
    # are always fresh); those with warnings, or with errors across files, are not. On every
    # core, the workers check them.
    again = {"bad-url.yml", "control.yml", "unknown.yml", "stray.yml"}
    assert set(parsed_here) == (set() if threshold == 2 and cores() > 1 else again)

    good = tmp_path / "kit" / "communities" / "group-03.yml"
    good.write_text(good.read_text("utf-8").replace("Group 3", "Group Three"), "utf-8")
    changed = validate(tmp_path, monkeypatch, capsys)
    assert changed == validate(tmp_path, monkeypatch, capsys, "--no-cache") == fresh


def test_no_cache_reads_past_a_manifest_that_lies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A checkout could bring a kit cache saying its broken file is fine: the pull-request
    check (scripts/site-build.sh) validates with --no-cache, which never reads it."""
    write_kit(tmp_path)
    (tmp_path / ".cache" / "plnkit").mkdir(parents=True)
    assert validate(tmp_path, monkeypatch, capsys)[0] == 0
    path = tmp_path / "kit" / "blogs" / "beta-blog.yml"
    broken = path.read_bytes().replace(b"https://beta.example.org/blog", b"ftp://x")
    path.write_bytes(broken)
    store = tmp_path / ".cache" / "plnkit" / "kit-files.json"
    document = json.loads(store.read_text("utf-8"))
    for name, entry in document["data"]["files"].items():
        if name.endswith("beta-blog.yml"):
            entry["sha256"] = content_hash(broken)  # the lie
    store.write_text(json.dumps(document), "utf-8")
    assert validate(tmp_path, monkeypatch, capsys)[0] == 0  # trusted, as a build trusts it
    code, out, _ = validate(tmp_path, monkeypatch, capsys, "--no-cache")
    assert code == 1 and "kit/blogs/beta-blog.yml:" in out and "`url` must start" in out
    script = (Path(__file__).parent.parent / "scripts" / "site-build.sh").read_text("utf-8")
    assert 'if [ "$mode" = pull-request ]; then cache_args=(--no-cache); fi' in script


def test_an_explicit_kit_folder_leaves_the_projects_cache_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_kit(tmp_path)
    (tmp_path / ".cache" / "plnkit").mkdir(parents=True)
    assert validate(tmp_path, monkeypatch, capsys, "kit")[0] == 0
    assert not (tmp_path / ".cache" / "plnkit" / "kit-files.json").exists()
