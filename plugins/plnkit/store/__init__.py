"""The state store: one directory of JSON files that remember link and feed history.

Files are written atomically (temp file in the same directory, fsync, `os.replace`), so a
process killed mid-write leaves the previous file intact and two builds never see a torn file.
Every write holds the store's lock (`plnkit.store.lock`), and `update` reads, merges and
replaces under it, so runs at once on one store lose nothing of each other's results.

Each file is `{"version": N, "data": {...}}`. On read:
- a corrupt, truncated, empty or unknown-format file is a warning and starts fresh;
- its data is checked against the document's schema record by record (`plnkit.store.records`):
  a bad record is dropped with a warning naming the file and key, the rest is used;
- an older version is migrated forward step by step (`MIGRATIONS`);
- a newer version than this plnkit knows is left alone: a warning names the version, the
  run works without it and never writes over it, unless the store was opened with
  `migrate=True` (`--migrate`), which reads what fits and writes it back in this format.
A read-only directory is a warning: the build goes on without storing.

A file is checked once per content in a process: the store keeps the digest of the bytes it
last found clean, and a file that still has those bytes (read again under the lock to merge,
say) is not checked again. Any other bytes are checked, its own writes included.

This stage imports nothing else of plnkit: every other stage may import it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plnkit.store.lock import StoreBusy, store_lock
from plnkit.store.records import MAX_WARNINGS, check_document

log = logging.getLogger("plnkit.state")

FORMAT_VERSION = 1  # every document's current format; a document may move on alone
FORMAT_VERSIONS: dict[str, int] = {}  # document -> its format, when not FORMAT_VERSION
# document -> {version: a function taking that version's `data` to the next version's}
MIGRATIONS: dict[str, dict[int, Callable[[dict[str, Any]], dict[str, Any]]]] = {}

Merge = Callable[[dict[str, Any]], dict[str, Any]]


def format_version(name: str) -> int:
    return FORMAT_VERSIONS.get(name, FORMAT_VERSION)


class StateStore:
    """Named JSON documents under one directory, each carrying a format version."""

    def __init__(
        self, directory: Path | str, *, migrate: bool = False, max_warnings: int = MAX_WARNINGS
    ) -> None:
        self.directory = Path(directory)
        self.migrate = migrate
        self.max_warnings = max_warnings
        self.warnings: list[str] = []
        self._said: set[str] = set()
        self._newer: dict[str, int] = {}  # documents left alone: written by a newer plnkit
        self._clean: dict[str, bytes] = {}  # document -> digest of its bytes last found clean
        self._ours: dict[str, bytes] = {}  # ... of its bytes last read or written in our format

    def path(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def _warn(self, message: str) -> None:
        if message in self._said:
            return
        self._said.add(message)
        self.warnings.append(message)
        log.warning(message)

    def read(self, name: str) -> dict[str, Any]:
        """The stored document `name`, or {} when missing or unusable (with a warning)."""
        return self._load(name)

    def _load(self, name: str) -> dict[str, Any]:
        path = self.path(name)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            self._newer.pop(name, None)
            return {}
        except OSError as err:
            self._warn(f"cannot read {path}: {err.strerror or err}; starting fresh")
            return {}
        try:
            document = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as err:
            self._warn(f"{path} is corrupt ({err.__class__.__name__}); starting fresh for it")
            return {}
        version = document.get("version") if isinstance(document, dict) else None
        known = format_version(name)
        if (
            not isinstance(version, int)
            or isinstance(version, bool)
            or version < 1
            or not isinstance(document.get("data"), dict)
        ):
            self._warn(f"{path} has an unknown format or version; starting fresh for it")
            return {}
        data = document["data"]
        if version > known:
            if not self.migrate:
                self._newer[name] = version
                self._warn(self._newer_message(name, version))
                return {}
            self._warn(
                f"{path} has format version {version}; --migrate rewrites it in format "
                f"{known}, keeping the records this version understands"
            )
        elif version < known:
            migrated = _migrated(name, data, version, known)
            if migrated is None:
                self._warn(f"{path} has format version {version}, which cannot be migrated "
                           f"to {known}; starting fresh for it")  # fmt: skip
                return {}
            data = migrated
        self._newer.pop(name, None)
        digest = _digest(raw)
        if version == known and self._clean.get(name) == digest:
            return data  # these very bytes were found clean by this store
        checked = check_document(name, data, str(path), self.max_warnings)
        for message in checked.warnings:
            self._warn(message)
        if version == known:
            self._ours[name] = digest
            if not checked.warnings:
                self._clean[name] = digest
        return checked.data or {}

    def _newer_message(self, name: str, version: int) -> str:
        return (
            f"{self.path(name)} has format version {version}, newer than this plnkit knows "
            f"({format_version(name)}): left as it is; this run does not store {name} "
            "(upgrade plnkit, or pass --migrate to rewrite it in this version's format)"
        )

    def write(self, name: str, data: dict[str, Any]) -> bool:
        """Store `data` atomically under the store's lock (replacing the document).
        False (with a warning) when the store cannot be written or is newer than we know."""
        return self.update(name, lambda _current: data, read_current=False)

    def update(self, name: str, merge: Merge, *, read_current: bool = True) -> bool:
        """Read–merge–replace under the lock: `merge` gets the document as it is on disk
        now (checked, {} when missing) and returns what to store. False (with a warning)
        when nothing was stored: the lock stayed taken, the file is newer, or a write error."""
        try:
            with store_lock(self.directory):
                return self._update_locked(name, merge, read_current)
        except StoreBusy as err:
            self._warn(str(err))
            return False
        except OSError as err:
            self._warn(
                f"cannot write to {self.directory}: {err.strerror or err}; "
                "results of this run are not stored"
            )
            return False

    def _update_locked(self, name: str, merge: Merge, read_current: bool) -> bool:
        if read_current:
            current = self._load(name)
        else:
            current = {}
            self._peek_version(name)
        if name in self._newer:
            self._warn(self._newer_message(name, self._newer[name]))
            return False
        return self._replace(name, merge(current))

    def _peek_version(self, name: str) -> None:
        """Note whether the file on disk is newer than this plnkit (without checking it)."""
        try:
            raw = self.path(name).read_bytes()
            if self._ours.get(name) == _digest(raw):
                self._newer.pop(name, None)  # these bytes were read or written in this format
                return
            document = json.loads(raw)
        except (OSError, ValueError, UnicodeDecodeError):
            self._newer.pop(name, None)
            return
        version = document.get("version") if isinstance(document, dict) else None
        if isinstance(version, int) and version > format_version(name) and not self.migrate:
            self._newer[name] = version
        else:
            self._newer.pop(name, None)

    def _replace(self, name: str, data: dict[str, Any]) -> bool:
        path = self.path(name)
        # ASCII with escapes: the standard library writes it about 1.6 times as fast as
        # UTF-8 text, and a lone surrogate from a garbled feed cannot break the write.
        payload = json.dumps(
            {"version": format_version(name), "data": data}, sort_keys=True, separators=(",", ":")
        )
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
            self._ours[name] = _digest(payload.encode("ascii"))
        except OSError as err:
            self._warn(f"cannot write {path}: {err.strerror or err}; not stored")
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return False
        return True


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def _migrated(name: str, data: dict[str, Any], version: int, known: int) -> dict[str, Any] | None:
    """`data` of `version` brought to `known` one step at a time; None when a step is missing."""
    steps = MIGRATIONS.get(name, {})
    while version < known:
        step = steps.get(version)
        if step is None:
            return None
        data = step(data)
        version += 1
    return data
