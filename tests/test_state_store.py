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
