"""What a site build learned about each kit file, kept for the next build (a manifest).

Like Material for MkDocs' caches, the manifest is keyed by content: each file's bytes are read
and hashed (SHA-256) on every run, and a file whose hash is in the manifest reuses what was
found last time: the parsed data, the top-level keys' lines, the places the rules across files
point at, and the warnings. Only new or changed files are parsed and validated again; the rules
across files run again whenever any file changed. Files with errors are never kept, so a broken
file's messages are always fresh.

The MkDocs build and `plnkit validate` share it (validate's `--no-cache` reads everything, as
the pull-request check does: a contribution's checkout is not trusted to bring its own).
The manifest lives in the state store (`kit-files.json`, written atomically) and is thrown away
whole when PLN Kit's validation code, its schemas or PyYAML change. It is kept only where a
state store already exists, so an offline first build or validate still writes nothing; the
plugin option `cache: false` turns it off for builds.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plnkit import __version__
from plnkit.kit.files import Report
from plnkit.kit.problems import Level, Problem
from plnkit.kit.yaml_source import Position
from plnkit.store import StateStore

DOCUMENT = "kit-files"
# The modules and data whose change can change what a file yields.
_SCHEMAS = ("binder.schema.json", "resource.schema.json")

Found = tuple[int, int, str, str]  # line, column, level, message


def code_fingerprint() -> str:
    """Changes whenever the code or schemas that read and check a file change."""
    digest = hashlib.sha256(f"{__version__}\0{yaml.__version__}".encode())
    here = Path(__file__).parent  # every module of the kit stage, and the schemas
    sources = [*sorted(here.glob("*.py")), *(here.parent / "schema" / n for n in _SCHEMAS)]
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def content_hash(data: bytes) -> str:
    """The key of a file's entry: the SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class Recorder:
    """Passes problems on to `report` and remembers them, to be replayed from the cache."""

    report: Report
    found: list[Found] = field(default_factory=list)
    errors: bool = False

    def __call__(self, position: Position, level: Level, message: str) -> None:
        self.found.append((position.line, position.column, level.value, message))
        self.errors = self.errors or level is Level.ERROR
        self.report(position, level, message)


@dataclass(frozen=True)
class Hit:
    data: dict[str, Any]
    lines: dict[str, int]
    places: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)


class KitCache:
    """The manifest of one kit: read once when a build starts, written once if it changed."""

    def __init__(self, store: StateStore, context: str) -> None:
        self.store = store
        self._cwd = os.getcwd()
        self.key = f"{code_fingerprint()}:{context}"
        stored = store.read(DOCUMENT)
        usable = stored.get("key") == self.key and isinstance(stored.get("files"), dict)
        self.old: dict[str, Any] = stored["files"] if usable else {}
        self.new: dict[str, Any] = {}
        self.changed = not usable
        self.misses = 0  # files read again in this build
        self.old_across: Any = stored.get("across") if usable else None
        self.new_across: Any = None

    def _key(self, path: Path) -> str:
        """A file's entry is kept under its absolute path, so that the site build (which names
        the kit folder absolutely) and the commands (which take it as typed, often relative)
        share one manifest instead of each replacing the other's."""
        return os.path.normpath(os.path.join(self._cwd, path))

    @classmethod
    def for_build(cls, cache_dir: Path, *, allow_local: bool) -> KitCache | None:
        """The cache in the build's state store; None when there is no store to keep it in."""
        if not cache_dir.is_dir():
            return None
        return cls(StateStore(cache_dir), f"allow_local={allow_local}")

    def known_digest(self, path: Path, scope: str) -> str | None:
        """The hash of the bytes the manifest has an answer for at `path`, if any: a worker
        that reads the same bytes need not parse them."""
        entry = self.old.get(self._key(path))
        if not isinstance(entry, dict) or entry.get("scope") != scope:
            return None
        digest = entry.get("sha256")
        return digest if isinstance(digest, str) else None

    def lookup(self, path: Path, scope: str, digest: str, report: Report) -> Hit | None:
        """The kept result for a file with these bytes (its problems replayed through
        `report`); None when the file is new or changed."""
        entry = self.old.get(self._key(path))
        found = _replay(entry, digest, scope)
        data = _kept_data(entry) if found is not None else None
        places = _kept_places(entry) if data is not None else None
        if found is None or data is None or places is None or not isinstance(entry, dict):
            self.misses += 1
            return None
        for line, column, level, message in found:
            report(Position(line, column), Level(level), message)
        self.new[self._key(path)] = entry
        return Hit(data, entry["lines"], places)

    def keep(
        self,
        path: Path,
        scope: str,
        digest: str,
        recorder: Recorder,
        data: dict[str, Any],
        lines: dict[str, int],
        places: Mapping[tuple[str | int, ...], tuple[int, int]] | None = None,
    ) -> None:
        """Remember a freshly checked file that had no errors."""
        if recorder.errors:
            return
        try:  # only what JSON keeps exactly (a date, a NaN or a lone surrogate is re-read)
            # As text: the store sorts the keys of what it writes, and a file's mappings
            # (handles, schedules) must come back in the order the file gives them.
            kept = json.dumps(data, ensure_ascii=False, allow_nan=False)
            kept.encode("utf-8")
        except (TypeError, ValueError, UnicodeEncodeError):
            return
        entry = {"sha256": digest, "scope": scope, "data": kept, "lines": lines,
                 "places": [[list(k), *at] for k, at in (places or {}).items()],
                 "problems": [list(p) for p in recorder.found]}  # fmt: skip
        self.new[self._key(path)] = entry
        self.changed = True

    def across(self, key: str) -> list[Problem] | None:
        """The problems the rules across files found last time, when no file has changed
        since and the kit's resources (`key`: their paths in order, where they are shown
        from) are the same; None when those rules must run again."""
        kept = self.old_across
        if self.misses or not isinstance(kept, dict) or kept.get("key") != key:
            return None
        try:
            found = [
                Problem(str(path), int(line), int(column), Level(level), str(message))
                for path, line, column, level, message in kept["problems"]
            ]
        except (KeyError, TypeError, ValueError):
            return None
        self.new_across = kept
        return found

    def keep_across(self, key: str, problems: list[Problem]) -> None:
        self.new_across = {
            "key": key,
            "problems": [[p.path, p.line, p.column, p.level.value, p.message] for p in problems],
        }
        self.changed = self.changed or self.new_across != self.old_across

    def save(self) -> None:
        """Write the manifest when anything changed (files gone from the kit are dropped)."""
        if not self.changed and self.new.keys() == self.old.keys():
            return
        if not os.access(self.store.directory, os.W_OK):
            return  # a read-only store: the build goes on, as fast as a first one
        self.store.write(DOCUMENT, {"key": self.key, "files": self.new, "across": self.new_across})


def _kept_data(entry: Any) -> dict[str, Any] | None:
    """A kept entry's file data, or None when the text is damaged."""
    try:
        data = json.loads(entry["data"])
    except (KeyError, TypeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _kept_places(entry: Any) -> dict[tuple[str | int, ...], tuple[int, int]] | None:
    """A kept entry's places (field path -> line and column), or None when damaged."""
    try:
        return {
            tuple(path): (int(line), int(column))
            for path, line, column in entry.get("places", ())
            if all(isinstance(part, str | int) for part in path)
        }
    except (AttributeError, TypeError, ValueError):
        return None


def _replay(entry: Any, digest: str, scope: str) -> list[Found] | None:
    """A kept entry's problems when it is usable for a file with this hash, else None."""
    try:
        if entry["sha256"] != digest or entry["scope"] != scope:
            return None
        if not isinstance(entry["data"], str) or not isinstance(entry["lines"], dict):
            return None
        return [(int(a), int(b), Level(c).value, str(d)) for a, b, c, d in entry["problems"]]
    except (KeyError, TypeError, ValueError):
        return None


def cached_or_checked(
    cache: KitCache | None,
    path: Path,
    data: bytes,
    scope: str,
    report: Report,
    check: Callable[[Report], tuple[Any, dict[str, Any] | None, dict[str, int] | None]],
    rebuild: Callable[[Hit], Any],
) -> tuple[Any, bool]:
    """A file's result, from the cache when a file with these bytes was checked before, else
    from `check`.

    `check(report)` parses and checks `data`, returning (result, parsed data, key lines) with
    the parsed data None when the file is unusable; `rebuild(hit)` makes the same result from
    kept data. The flag is True for a cache hit."""
    if cache is None:
        return check(report)[0], False
    digest = content_hash(data)
    hit = cache.lookup(path, scope, digest, report)
    if hit is not None:
        return rebuild(hit), True
    recorder = Recorder(report)
    result, parsed, lines = check(recorder)
    if result is not None and parsed is not None and lines is not None:
        cache.keep(path, scope, digest, recorder, parsed, lines)
    return result, False
