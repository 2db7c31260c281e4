"""A site build's kit cache, keyed by content: files with bytes checked before are not parsed
or checked again, and the answer never differs."""

from __future__ import annotations

import doctest
import json
import os
from collections import Counter
from pathlib import Path

import pytest

import plnkit.kit.checked_file
from plnkit.kit import cache as kit_cache
from plnkit.kit.loader import load_kit
from tests.conftest import MKDOCS_YML, MODELINE, RESOURCES, build_site, write_kit

# A description over the soft limit (a warning of its own) and two lonely tags (warnings
# from the rules across files, pointing at the tag's own position in the file).
LONG = "A resource described at great length, " * 9
WARNED = {
    **RESOURCES,
    "communities/delta-forum.yml": f"""\
        name: Delta Forum
        url: https://delta.example.org/
        kind: community
        description: "{LONG.strip()}"
        stages: [connection]
        tags: [ning, lonely-one, lonely-two]
        """,
}
@pytest.fixture
def kit(tmp_path: Path) -> Path:
    kit = write_kit(tmp_path, WARNED)
    (tmp_path / "cache").mkdir()
    return kit


def cached(kit: Path):  # type: ignore[no-untyped-def]
    return load_kit(kit, base=kit.parent, cache_dir=kit.parent / "cache")


def manifest(kit: Path) -> dict:
    return json.loads((kit.parent / "cache" / "kit-files.json").read_text("utf-8"))["data"]


def test_a_warm_load_reads_nothing_and_answers_the_same(
    kit: Path, parsed_here: Counter[str]
) -> None:
    full = load_kit(kit, base=kit.parent)
    assert [p.message[:40] for p in full.problems if "lonely" in p.message]  # the case is real
    assert any("characters" in p.message for p in full.problems)
    first = cached(kit)
    parsed_here.clear()
    warm = cached(kit)
    assert not parsed_here, "every file came from the cache"
    assert warm.kit == first.kit == full.kit
    assert warm.problems == first.problems == full.problems
    assert [r.lines for r in warm.kit.resources] == [r.lines for r in full.kit.resources]


def test_a_changed_file_is_read_again_and_only_it(kit: Path, parsed_here: Counter[str]) -> None:
    cached(kit)
    path = kit / "blogs" / "beta-blog.yml"
    path.write_text(path.read_text("utf-8").replace("Beta Blog", "Beta Blog, renamed"), "utf-8")
    parsed_here.clear()
    warm = cached(kit)
    assert set(parsed_here) == {"beta-blog.yml"}  # delta's lonely tags are placed from the cache
    assert warm.kit.get("beta-blog").name == "Beta Blog, renamed"
    assert warm.problems == load_kit(kit, base=kit.parent).problems


def test_files_with_errors_are_never_kept(kit: Path) -> None:
    bad = kit / "communities" / "broken.yml"
    bad.write_text(MODELINE + "name: Broken\nurl: ftp://x\n", "utf-8")
    first = cached(kit)
    assert first.kit is None and any(p.path.endswith("broken.yml") for p in first.problems)
    assert not [k for k in manifest(kit)["files"] if k.endswith("broken.yml")]
    assert cached(kit).problems == first.problems == load_kit(kit, base=kit.parent).problems


def test_the_key_is_the_content_not_the_file_times(kit: Path, parsed_here: Counter[str]) -> None:
    cached(kit)
    path = kit / "blogs" / "beta-blog.yml"
    text = path.read_bytes()
    os.utime(path, (1, 1))  # touched, same bytes: still a hit
    parsed_here.clear()
    cached(kit)
    assert not parsed_here
    path.write_bytes(text.replace(b"Beta Blog", b"Beta Blog!"))  # same size and time: a miss
    os.utime(path, (1, 1))
    assert cached(kit).kit.get("beta-blog").name == "Beta Blog!"
    assert parsed_here["beta-blog.yml"] == 1 and parsed_here["gamma-guide.yml"] == 0


def test_cache_false_checks_every_file(tmp_path: Path, parsed_here: Counter[str]) -> None:
    write_kit(tmp_path)
    (tmp_path / ".cache" / "plnkit").mkdir(parents=True)
    config = MKDOCS_YML.replace("  - plnkit:\n", "  - plnkit:\n      cache: false\n")
    assert "cache: false" in config
    build_site(tmp_path, config)
    build_site(tmp_path, config)
    assert not (tmp_path / ".cache" / "plnkit" / "kit-files.json").exists()
    assert parsed_here and all(count == 2 for count in parsed_here.values())


def test_a_removed_file_leaves_the_kit_and_the_manifest(kit: Path) -> None:
    cached(kit)
    (kit / "start-here" / "gamma-guide.yml").unlink()
    warm = cached(kit)
    assert warm.kit.get("gamma-guide") is None
    assert not [k for k in manifest(kit)["files"] if k.endswith("gamma-guide.yml")]


@pytest.mark.parametrize(
    "damage",
    [
        lambda doc: doc | {"key": "from another version of PLN Kit"},
        lambda doc: doc | {"files": {k: {"sha256": "garbled"} for k in doc["files"]}},
        lambda doc: doc | {"across": {"key": 1, "problems": "garbled"}},
    ],
)
def test_a_stale_or_damaged_manifest_is_read_past(  # type: ignore[no-untyped-def]
    kit: Path, parsed_here: Counter[str], damage
) -> None:
    expected = cached(kit)
    path = kit.parent / "cache" / "kit-files.json"
    document = json.loads(path.read_text("utf-8"))
    document["data"] = damage(document["data"])
    path.write_text(json.dumps(document), "utf-8")
    assert cached(kit).problems == expected.problems
    assert cached(kit).kit == expected.kit


def test_no_store_no_manifest(tmp_path: Path) -> None:
    kit = write_kit(tmp_path)
    assert load_kit(kit, cache_dir=tmp_path / "nowhere").ok
    assert not (tmp_path / "nowhere").exists(), "a first offline build creates nothing"


def test_a_read_only_store_is_left_alone(kit: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = kit.parent / "cache"
    store.chmod(0o555)
    try:
        if os.access(store, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        assert cached(kit).problems == load_kit(kit, base=kit.parent).problems
        assert not list(store.iterdir()) and not caplog.records
    finally:
        store.chmod(0o755)


def test_two_builds_with_a_store_make_the_same_site(tmp_path: Path) -> None:
    write_kit(tmp_path)
    (tmp_path / ".cache" / "plnkit").mkdir(parents=True)
    first = build_site(tmp_path)
    pages = {p: p.read_bytes() for p in first.rglob("index.html")}
    assert (tmp_path / ".cache" / "plnkit" / "kit-files.json").is_file()
    second = build_site(tmp_path)
    assert {p: p.read_bytes() for p in second.rglob("index.html")} == pages


def test_docstring_examples() -> None:
    assert doctest.testmod(kit_cache).failed == 0
    assert doctest.testmod(plnkit.kit.files).failed == 0


@pytest.mark.parametrize("command", ["check-links", "fetch-feeds"])
def test_network_commands_reuse_the_kit_cache(
    kit: Path, parsed_here: Counter[str], command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """check-links and fetch-feeds read the kit through the store's cache: a second run of an
    unchanged kit checks no file again (offline, so nothing else happens)."""
    from plnkit.cli import main

    args = [command, str(kit), "--cache-dir", str(kit.parent / "cache"), "--offline"]
    first = main(args)
    assert sum(parsed_here.values()) > 0
    parsed_here.clear()
    assert main(args) == first
    assert not parsed_here, f"files checked again: {sorted(parsed_here)}"


def test_the_build_and_the_commands_share_one_manifest(
    kit: Path, parsed_here: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site build names the kit folder absolutely, a command as typed (`kit`): the second
    reads no file again, and neither replaces the other's entries with its own."""
    built = cached(kit.resolve())  # as the MkDocs plugin names it
    monkeypatch.chdir(kit.parent)
    parsed_here.clear()
    typed = load_kit(Path(kit.name), base=Path("."), cache_dir=Path("cache"))
    assert not parsed_here, f"files checked again: {sorted(parsed_here)}"
    assert typed.kit is not None and built.kit is not None
    assert [r.slug for r in typed.kit.resources] == [r.slug for r in built.kit.resources]
    assert [p.message for p in typed.problems] == [p.message for p in built.problems]
    parsed_here.clear()
    cached(kit.resolve())
    assert not parsed_here
