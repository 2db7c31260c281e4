"""One writer at a time on a state store: a lock file beside its documents.

Every write to the store (`StateStore.write`, `StateStore.update`) holds `<store>/.lock`
through an advisory `fcntl.flock`, released by the kernel when the process ends, so a killed
run never leaves a stale lock. A run that finds the lock taken says who holds it, waits up to
`wait_seconds` (default 30, `PLNKIT_STORE_LOCK_WAIT`), then gives up: it stores nothing and
says so. The lock is re-entrant within a process and shared by its threads.

Where `fcntl` does not exist (Windows) writes go unlocked, atomic per file as before.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("plnkit.state")

LOCK_NAME = ".lock"
DEFAULT_WAIT_SECONDS = 30.0
WAIT_VARIABLE = "PLNKIT_STORE_LOCK_WAIT"
MAX_WAIT_SECONDS = 3600.0
_POLL_SECONDS = 0.02


class StoreBusy(Exception):
    """Another run held the store's lock for longer than this run would wait."""


def wait_seconds() -> float:
    """The wait from `PLNKIT_STORE_LOCK_WAIT` (0 refuses at once), else the default."""
    text = os.environ.get(WAIT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_WAIT_SECONDS
    try:
        value = float(text)
    except ValueError:
        return DEFAULT_WAIT_SECONDS
    if not math.isfinite(value) or value < 0:
        return DEFAULT_WAIT_SECONDS
    return min(value, MAX_WAIT_SECONDS)


class _Held:
    """The process's hold on one store's lock file (depth counts re-entries)."""

    def __init__(self) -> None:
        self.thread_lock = threading.RLock()
        self.depth = 0
        self.fd: int | None = None


_HELD: dict[str, _Held] = {}
_REGISTRY = threading.Lock()


def _held_for(path: Path) -> _Held:
    key = os.path.abspath(path)
    with _REGISTRY:
        return _HELD.setdefault(key, _Held())


def _holder(path: Path) -> str:
    """Who holds the lock, as the holder wrote it (`pid 123: plnkit check-links`)."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return "another run"
    return text[:200] or "another run"


def _describe_self() -> str:
    command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv[:3]))
    return f"pid {os.getpid()}: {command}".strip()


def _acquire_file(path: Path, wait: float) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = _holder(path)
                os.close(fd)
                raise StoreBusy(
                    f"the state store {path.parent} is locked by {holder} ({path}); "
                    f"waited {wait:g} s, so this run stores nothing there"
                ) from None
            if not told:
                told = True
                print(
                    f"plnkit: waiting up to {wait:g} s for the state store lock {path} "
                    f"(held by {_holder(path)})",
                    file=sys.stderr,
                    flush=True,
                )
            time.sleep(_POLL_SECONDS)
        except OSError:
            os.close(fd)
            raise
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, _describe_self().encode("ascii", "replace") + b"\n", 0)
    return fd


@contextlib.contextmanager
def store_lock(directory: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of the store in `directory` (created if missing).

    Raises `StoreBusy` when another process keeps it past `wait` seconds, and `OSError`
    when the directory cannot hold a lock file (read-only: the caller's write fails anyway).
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    wait = wait_seconds() if wait is None else wait
    path = Path(directory) / LOCK_NAME
    held = _held_for(path)
    got = held.thread_lock.acquire(timeout=wait) if wait > 0 else held.thread_lock.acquire(False)
    if not got:
        raise StoreBusy(f"the state store {directory} is busy in this process; not stored")
    try:
        if held.depth == 0:
            Path(directory).mkdir(parents=True, exist_ok=True)
            held.fd = _acquire_file(path, wait)
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0 and held.fd is not None:
                with contextlib.suppress(OSError):
                    fcntl.flock(held.fd, fcntl.LOCK_UN)
                os.close(held.fd)
                held.fd = None
    finally:
        held.thread_lock.release()
