"""A build's whole output, kept for the next build whose inputs have not changed.

A warm `mkdocs build` of an unchanged kit would load the kit, read the state store and render
the same pages and exports again. Instead, the first build keeps what the plugin handed MkDocs
(the navigation, the binder, every generated page and every export, with the plugin's log
lines) under a key, and the next build with the same key hands MkDocs those again without
loading anything. MkDocs itself still renders every page.

The key covers everything the output depends on:
- the identity (size, modification and change times, inode) of every folder and file under the
  kit folders, and of the state store documents the build reads (`links.json`, `feeds.json`);
- the plugin's options, where mkdocs.yml lives, the `PLNKIT_*` environment and log levels;
- PLN Kit's code (every file of the package) and the libraries that shape its output;
- the day (UTC), and the moment the next feed turns from "active" to "quiet" or from "quiet" to
  "dormant": the kept output is used only from the moment it was made until then, that day;
- the time stamps exports carry (the JSON API's `generated_at`, OPML's `dateCreated`, the
  calendar's DTSTAMP, the Atom feed's `updated` when nothing was refreshed) are brought up to
  the present build's moment when the output is handed out again.

Builds that may use the network (link checks, feed fetches) change the store as they go, so they
neither use nor keep a build output. A build keeps one only where a state store already exists
and no input changed in the last two seconds (a file changed within one tick of the file
system's clock could change again unseen). The manifest is written atomically, last; anything
unreadable is a warning and a normal build.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from plnkit import __version__
from plnkit.model import Binder, Tab
from plnkit.net.clock import parse_iso
from plnkit.state_store import StateStore

log = logging.getLogger("plnkit.build_cache")

FORMAT = 1
DOCUMENT = "build-output"  # the manifest, in the state store; the files in a folder beside it
STORE_INPUTS = ("links.json", "feeds.json")  # what an offline build reads from the store
SETTLE_NS = 2_000_000_000  # as plnkit.kit_cache
LIBRARIES = ("markdown", "nh3", "yaml", "jsonschema", "fastjsonschema", "icalendar", "markupsafe")
LOGGERS = ("plnkit", "mkdocs.plugins.plnkit")
PACKAGE = Path(__file__).resolve().parent

Record = tuple[str, int, str]  # logger name, level, message


class Unusable(Exception):
    """A kept output that cannot be handed out; the build goes on without it."""


def stamp(path: str) -> tuple[int, ...] | None:
    """A folder or file's identity; None when it is not there."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return (stat.S_IFMT(found.st_mode), found.st_size, found.st_mtime_ns, found.st_ctime_ns,
            found.st_ino)  # fmt: skip


def stamps_digest(paths: list[str]) -> tuple[str, int]:
    """One hash of the paths' identities, and the newest modification time among them."""
    stamps = [stamp(path) for path in paths]
    newest = max((s[2] for s in stamps if s), default=0)
    text = repr(list(zip(paths, stamps, strict=True)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), newest


def input_paths(kit_dirs: tuple[Path, ...], cache_dir: Path) -> list[str] | None:
    """Every folder and file under the kit folders, then the store documents a build reads.

    None when a kit folder holds a symbolic link: what it points to could change unseen."""
    paths: list[str] = []
    pending = [str(d) for d in kit_dirs]
    while pending:
        folder = pending.pop()
        paths.append(folder)
        try:
            with os.scandir(folder) as entries:
                found = sorted(entries, key=lambda entry: entry.name)
        except FileNotFoundError:
            continue
        except OSError:
            return None
        for entry in found:
            if entry.is_symlink():
                return None
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            else:
                paths.append(entry.path)
    return paths + [str(cache_dir / name) for name in STORE_INPUTS]


def code_stamp() -> list[Any]:
    """PLN Kit's version and files, Python's version, and the libraries shaping the output.

    A library is known by its installed file (an upgrade rewrites it), which is much cheaper
    than asking the package metadata."""
    files = []
    for folder, dirs, names in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        files += [os.path.join(folder, name) for name in sorted(names)]
    libraries = []
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        libraries.append([name, origin, stamp(origin) if origin else None])
    return [__version__, sys.version, stamps_digest(files)[0], libraries]


def plain(value: Any) -> Any:
    """Options as JSON: mappings (MkDocs' sub-configurations too), lists and scalars."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def build_key(options: Mapping[str, Any], config_file: str | None, moment: dt.datetime) -> str:
    """Everything the output depends on apart from the inputs' stamps and the moment."""
    environment = sorted((k, v) for k, v in os.environ.items() if k.startswith("PLNKIT_"))
    levels = [logging.getLogger(name).getEffectiveLevel() for name in LOGGERS]
    parts = [FORMAT, code_stamp(), plain(options), str(config_file), environment, levels,
             moment.astimezone(dt.UTC).date().isoformat()]  # fmt: skip
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def freshness_deadline(
    last_posts: list[str | None], days: tuple[int, ...], moment: dt.datetime
) -> dt.datetime | None:
    """The first moment from `moment` on when a feed's freshness changes (None: never)."""
    deadlines = []
    for last in last_posts:
        if not last:
            continue
        try:
            posted = parse_iso(last)
        except ValueError:
            continue
        deadlines += [posted + dt.timedelta(days=d) for d in days]
    return min((d for d in deadlines if d >= moment), default=None)


def stamp_patterns(moment: dt.datetime) -> dict[str, bytes]:
    """Where each export carries the moment it was made, as it writes it."""
    at = moment.astimezone(dt.UTC).replace(microsecond=0)
    iso = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    created = email.utils.format_datetime(at, usegmt=True)
    return {
        "json": f'"generated_at": "{iso}"'.encode(),
        "opml": f"<dateCreated>{created}</dateCreated>".encode(),
        "ics": f"\r\nDTSTAMP:{at:%Y%m%dT%H%M%S}Z\r\n".encode(),
        "atom": f"<updated>{iso}</updated>".encode(),
    }


def moment_texts(moment: dt.datetime) -> list[bytes]:
    """The moment as any export could write it, to make sure none is left unaccounted for."""
    at = moment.astimezone(dt.UTC).replace(microsecond=0)
    return [at.strftime("%Y-%m-%dT%H:%M:%S").encode(), at.strftime("%Y%m%dT%H%M%S").encode(),
            email.utils.format_datetime(at, usegmt=True).encode()]  # fmt: skip


def binder_json(binder: Binder) -> dict[str, Any] | None:
    """The binder as JSON, or None when JSON would not give it back exactly."""
    data = {"title": binder.title, "tabs": [[t.id, t.title, t.intro] for t in binder.tabs],
            "short_title": binder.short_title, "description": binder.description,
            "intro": binder.intro, "site_url": binder.site_url, "contact": binder.contact,
            "extra": dict(binder.extra)}  # fmt: skip
    try:
        back = json.loads(json.dumps(data, allow_nan=False))
    except (TypeError, ValueError):
        return None
    return data if back == data else None


def binder_from_json(data: dict[str, Any]) -> Binder:
    tabs = tuple(Tab(id=str(i), title=str(t), intro=str(n)) for i, t, n in data["tabs"])
    return Binder(title=data["title"], tabs=tabs, short_title=data["short_title"],
                  description=data["description"], intro=data["intro"],
                  site_url=data["site_url"], contact=data["contact"],
                  extra=dict(data["extra"]))  # fmt: skip


class _Capture(logging.Handler):
    def __init__(self, into: list[Record]) -> None:
        super().__init__()
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append((record.name, record.levelno, record.getMessage()))


@contextmanager
def captured(into: list[Record]) -> Iterator[None]:
    """Remember what PLN Kit logs inside the block, to say it again from a kept output."""
    handler = _Capture(into)
    for name in LOGGERS:
        logging.getLogger(name).addHandler(handler)
    try:
        yield
    finally:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(handler)


def replay(records: list[Record]) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, "%s", message)


def fresh(paths: list[str], digest: str) -> bool:
    """Whether the inputs are as they were when `digest` was taken."""
    return stamps_digest(paths)[0] == digest


def write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def copy_out(folder: Path, kept: Mapping[str, Any], site_dir: Path, moment: dt.datetime) -> None:
    """Write the kept exports into `site_dir`, their time stamps set to `moment`."""
    old = stamp_patterns(parse_iso(kept["made"]))
    new = stamp_patterns(moment)
    for name, file, size, kinds in kept["exports"]:
        source, target = folder / file, site_dir / name
        if os.stat(source).st_size != size:
            raise Unusable(f"{source} is not the size it was written with")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not kinds:
            shutil.copyfile(source, target)
            continue
        data = source.read_bytes()
        for kind in kinds:
            data = data.replace(old[kind], new[kind])
        target.write_bytes(data)


def new_folder(cache_dir: Path) -> Path:
    home = cache_dir / DOCUMENT
    home.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="b-", dir=home))


def drop_others(cache_dir: Path, keep: str) -> None:
    """Remove the folders of earlier outputs (another build may have just read them: it then
    builds afresh)."""
    home = cache_dir / DOCUMENT
    for entry in os.scandir(home):
        if entry.name != keep and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def settled(newest_ns: int) -> bool:
    return time.time_ns() - newest_ns >= SETTLE_NS


def read_manifest(cache_dir: Path) -> dict[str, Any]:
    """The manifest, {} when there is none; a damaged one is a warning (the store says so)."""
    if not StateStore(cache_dir).path(DOCUMENT).exists():
        return {}
    return StateStore(cache_dir).read(DOCUMENT)


def discard(cache_dir: Path) -> None:
    """Forget the kept output (its files go when the next one is kept)."""
    with suppress(OSError):
        StateStore(cache_dir).path(DOCUMENT).unlink()


def write_manifest(cache_dir: Path, manifest: dict[str, Any]) -> bool:
    return StateStore(cache_dir).write(DOCUMENT, manifest)
