"""The state store survives corrupt files, read-only folders and killed writers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from plnkit.store import StateStore


def test_round_trip(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "cache")
    assert store.read("links") == {}
    assert store.write("links", {"a": [1, 2]})
    assert StateStore(tmp_path / "cache").read("links") == {"a": [1, 2]}


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b'{"version": 99, "data": {}}', b"[1]", b"\xff\xfe", b'{"version": 1, "data": []}'],
)
def test_corrupt_file_is_a_warning_and_starts_fresh(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "links.json").write_bytes(content)
    store = StateStore(tmp_path)
    assert store.read("links") == {}
    assert store.warnings and "links.json" in store.warnings[0]


def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = StateStore(tmp_path)
    store.write("feeds", {"old": True})

    def killed(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", killed)
    assert store.write("feeds", {"new": True}) is False
    assert json.loads((tmp_path / "feeds.json").read_text())["data"] == {"old": True}
    assert not list(tmp_path.glob(".feeds.*.tmp")), "temp file cleaned up"


def test_unwritable_location_is_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = StateStore(blocker / "cache")
    assert store.write("links", {"a": 1}) is False
    assert "cannot write" in store.warnings[0]


def test_update_merges_with_what_is_on_disk_at_write_time(tmp_path: Path) -> None:
    first, second = StateStore(tmp_path), StateStore(tmp_path)
    assert first.read("feeds") == second.read("feeds") == {}
    assert first.update("feeds", lambda now: {**now, "a": 1})
    assert second.update("feeds", lambda now: {**now, "b": 2})  # sees a, written meanwhile
    assert StateStore(tmp_path).read("feeds") == {"a": 1, "b": 2}


def test_the_lock_is_reentrant_and_released(tmp_path: Path) -> None:
    from plnkit.store.lock import store_lock

    store = StateStore(tmp_path)
    with store_lock(tmp_path, wait=0):
        assert store.write("feeds", {"inside": True}), "the same process may write under it"
    assert store.update("feeds", lambda now: {**now, "after": True})
    assert StateStore(tmp_path).read("feeds") == {"inside": True, "after": True}


def test_bad_records_are_dropped_one_warning_each_capped(tmp_path: Path) -> None:
    urls = {f"https://example.org/{i}": {"state": ["ok"]} for i in range(120)}
    urls["https://example.org/good"] = {"state": "ok", "checked_at": "2026-01-01T00:00:00Z"}
    (tmp_path / "links.json").write_text(json.dumps({"version": 1, "data": {"urls": urls}}))
    store = StateStore(tmp_path, max_warnings=50)
    assert list(store.read("links")["urls"]) == ["https://example.org/good"]
    assert len(store.warnings) == 51
    assert '"https://example.org/0"' in store.warnings[0] and "links.json" in store.warnings[0]
    assert store.warnings[-1].startswith("…and 70 more problems in ")


def test_a_document_of_the_wrong_shape_starts_fresh(tmp_path: Path) -> None:
    (tmp_path / "feed-runs.json").write_text('{"version": 1, "data": {"outage_at": 5}}')
    store = StateStore(tmp_path)
    assert store.read("feed-runs") == {}
    assert "does not fit its schema" in store.warnings[0]


def test_a_newer_version_is_never_written_over(tmp_path: Path) -> None:
    raw = b'{"version": 2, "data": {"feeds": {}}}'
    (tmp_path / "feeds.json").write_bytes(raw)
    store = StateStore(tmp_path)
    assert store.write("feeds", {"feeds": {"x": {}}}) is False  # even without reading first
    assert store.update("feeds", lambda now: now) is False
    assert (tmp_path / "feeds.json").read_bytes() == raw
    assert "format version 2" in store.warnings[0]
    assert StateStore(tmp_path, migrate=True).write("feeds", {"feeds": {}})
    assert json.loads((tmp_path / "feeds.json").read_text())["version"] == 1


def test_older_versions_migrate_forward_one_step_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every document is at format 1, the first: no older format exists yet. This is the
    pattern each future format follows: its step in MIGRATIONS, and a test for that step."""
    import plnkit.store as store_module

    monkeypatch.setitem(store_module.FORMAT_VERSIONS, "feeds", 3)
    monkeypatch.setitem(store_module.MIGRATIONS, "feeds", {
        1: lambda data: {"feeds": data.get("entries", {})},
        2: lambda data: {**data, "migrated": True},
    })  # fmt: skip
    (tmp_path / "feeds.json").write_text('{"version": 1, "data": {"entries": {"a": {}}}}')
    assert StateStore(tmp_path).read("feeds") == {"feeds": {"a": {}}, "migrated": True}
    (tmp_path / "feeds.json").write_text('{"version": 2, "data": {"feeds": {}}}')
    assert StateStore(tmp_path).read("feeds") == {"feeds": {}, "migrated": True}
    monkeypatch.setitem(store_module.MIGRATIONS, "feeds", {2: lambda data: data})
    (tmp_path / "feeds.json").write_text('{"version": 1, "data": {"feeds": {}}}')
    fresh = StateStore(tmp_path)
    assert fresh.read("feeds") == {} and "cannot be migrated" in fresh.warnings[0]


def _counting_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the documents `check_document` is asked to check, in order."""
    import plnkit.store as store_module

    asked: list[str] = []
    real = store_module.check_document

    def counted(name: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        asked.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(store_module, "check_document", counted)
    return asked


def test_bytes_found_clean_are_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link run reads its history, then reads it again under the lock to merge: the second
    read of the same bytes is not checked again. What the store wrote is checked when read."""
    record = {"state": "ok", "checked_at": "2026-01-01T00:00:00Z"}
    StateStore(tmp_path).write("links", {"urls": {"https://example.org/": record}})
    asked = _counting_checks(monkeypatch)
    store = StateStore(tmp_path)
    assert store.read("links")["urls"] == {"https://example.org/": record}
    assert store.update("links", lambda now: {"urls": {**now["urls"], "https://x.org/": record}})
    assert asked == ["links"], "checked once: on the first read, not in the merge"
    assert set(store.read("links")["urls"]) == {"https://example.org/", "https://x.org/"}
    assert asked == ["links", "links"], "the first read and the read of the new bytes"
    assert StateStore(tmp_path).read("links")["urls"], "another store checks for itself"
    assert asked == ["links", "links", "links"]


def test_bytes_changed_by_another_writer_are_checked(tmp_path: Path) -> None:
    good = {"state": "ok", "checked_at": "2026-01-01T00:00:00Z"}
    store = StateStore(tmp_path)
    store.write("links", {"urls": {"https://a.org/": good}})
    assert store.read("links")["urls"] == {"https://a.org/": good}
    # Another process writes a broken record in between.
    (tmp_path / "links.json").write_text(json.dumps(
        {"version": 1, "data": {"urls": {"https://a.org/": good, "https://b.org/": {"state": 3}}}}
    ))  # fmt: skip
    merged: list[dict] = []
    assert store.update("links", lambda now: merged.append(now) or now)
    assert list(merged[0]["urls"]) == ["https://a.org/"], "the broken record is dropped"
    assert any('"https://b.org/"' in w for w in store.warnings)


def test_a_newer_file_written_after_a_read_is_still_not_written_over(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    store.write("feeds", {"feeds": {}})
    assert store.read("feeds") == {"feeds": {}}
    newer = b'{"version": 2, "data": {"feeds": {}}}'
    (tmp_path / "feeds.json").write_bytes(newer)  # a newer plnkit ran meanwhile
    assert store.write("feeds", {"feeds": {"x": {}}}) is False
    assert (tmp_path / "feeds.json").read_bytes() == newer


def test_writing_over_bytes_read_in_this_format_parses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kit cache reads its document, then replaces it: the version on disk is known from
    the read (at 10,000 kit files, parsing the file again only to see its version took 0.6 s)."""
    import plnkit.store as store_module

    StateStore(tmp_path).write("kit-files", {"files": {}})
    store = StateStore(tmp_path)
    store.read("kit-files")
    parsed: list[bytes] = []
    real = json.loads
    monkeypatch.setattr(store_module.json, "loads", lambda raw: parsed.append(raw) or real(raw))
    assert store.write("kit-files", {"files": {}})
    assert parsed == []
