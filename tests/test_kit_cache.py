"""A site build's kit cache: unchanged files are not read again, and the answer never differs."""

from __future__ import annotations

import doctest
import json
import os
import time
from collections import Counter
from pathlib import Path

import pytest

import plnkit.kit.files
import plnkit.kit.loader
from plnkit.kit import cache as kit_cache
from plnkit.kit.loader import load_kit
from tests.conftest import MODELINE, RESOURCES, build_site, write_kit

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
OLD = time.time() - 3600  # files settle: a file changed moments ago is never kept


def settle(kit: Path) -> None:
    for path in kit.rglob("*.yml"):
        os.utime(path, (OLD, OLD))


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    kit = write_kit(tmp_path, WARNED)
    settle(kit)
    (tmp_path / "cache").mkdir()
    return kit


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each file is read (the real reader, counted)."""
    counted: Counter[str] = Counter()
    real = plnkit.kit.files.read_document

    def read_document(path: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        counted[path.name] += 1
        return real(path, *args, **kwargs)

    monkeypatch.setattr(plnkit.kit.loader, "read_document", read_document)
    return counted


def cached(kit: Path):  # type: ignore[no-untyped-def]
    return load_kit(kit, base=kit.parent, cache_dir=kit.parent / "cache")


def manifest(kit: Path) -> dict:
    return json.loads((kit.parent / "cache" / "kit-files.json").read_text("utf-8"))["data"]


def test_a_warm_load_reads_nothing_and_answers_the_same(kit: Path, reads: Counter[str]) -> None:
    full = load_kit(kit, base=kit.parent)
    assert [p.message[:40] for p in full.problems if "lonely" in p.message]  # the case is real
    assert any("characters" in p.message for p in full.problems)
    first = cached(kit)
    reads.clear()
    warm = cached(kit)
    assert not reads, "every file came from the cache"
    assert warm.kit == first.kit == full.kit
    assert warm.problems == first.problems == full.problems
    assert [r.lines for r in warm.kit.resources] == [r.lines for r in full.kit.resources]


def test_a_changed_file_is_read_again_and_only_it(kit: Path, reads: Counter[str]) -> None:
    cached(kit)
    path = kit / "blogs" / "beta-blog.yml"
    path.write_text(path.read_text("utf-8").replace("Beta Blog", "Beta Blog, renamed"), "utf-8")
    reads.clear()
    warm = cached(kit)
    assert set(reads) == {"beta-blog.yml"} | {"delta-forum.yml"}  # delta: its lonely tags
    assert warm.kit.get("beta-blog").name == "Beta Blog, renamed"
    assert warm.problems == load_kit(kit, base=kit.parent).problems


def test_files_with_errors_are_never_kept(kit: Path) -> None:
    bad = kit / "communities" / "broken.yml"
    bad.write_text(MODELINE + "name: Broken\nurl: ftp://x\n", "utf-8")
    settle(kit)
    first = cached(kit)
    assert first.kit is None and any(p.path.endswith("broken.yml") for p in first.problems)
    assert not [k for k in manifest(kit)["files"] if k.endswith("broken.yml")]
    assert cached(kit).problems == first.problems == load_kit(kit, base=kit.parent).problems


def test_a_file_changed_moments_ago_is_read_again(kit: Path, reads: Counter[str]) -> None:
    (kit / "blogs" / "beta-blog.yml").touch()  # now: it may change again within the tick
    cached(kit)
    reads.clear()
    cached(kit)
    assert reads["beta-blog.yml"] == 1 and reads["gamma-guide.yml"] == 0


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
        lambda doc: doc | {"files": {k: {"stamp": "garbled"} for k in doc["files"]}},
        lambda doc: doc | {"across": {"key": 1, "problems": "garbled"}},
    ],
)
def test_a_stale_or_damaged_manifest_is_read_past(kit: Path, reads: Counter[str], damage) -> None:  # type: ignore[no-untyped-def]
    expected = cached(kit)
    path = kit.parent / "cache" / "kit-files.json"
    document = json.loads(path.read_text("utf-8"))
    document["data"] = damage(document["data"])
    path.write_text(json.dumps(document), "utf-8")
    assert cached(kit).problems == expected.problems
    assert cached(kit).kit == expected.kit


def test_no_store_no_manifest(tmp_path: Path) -> None:
    kit = write_kit(tmp_path)
    settle(kit)
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
    settle(write_kit(tmp_path))
    (tmp_path / ".cache" / "plnkit").mkdir(parents=True)
    first = build_site(tmp_path)
    pages = {p: p.read_bytes() for p in first.rglob("index.html")}
    assert (tmp_path / ".cache" / "plnkit" / "kit-files.json").is_file()
    second = build_site(tmp_path)
    assert {p: p.read_bytes() for p in second.rglob("index.html")} == pages


def test_docstring_examples() -> None:
    assert doctest.testmod(kit_cache).failed == 0
    assert doctest.testmod(plnkit.kit.files).failed == 0
