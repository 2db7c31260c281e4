"""What a maintainer waits for after editing the kit: a build of a changed kit, with each
engine, and `mkdocs serve`'s rebuild after one edit (issues 17 and 18).

A "changed kit" is the kit with one resource file edited before every run, so the per-file
kit cache (kit/cache.py) answers for every other file, as it would for a maintainer who just
fixed a description. There is no whole-output cache: every page is rendered each time.
"""

from __future__ import annotations

import queue
import re
import socket
import subprocess
import threading
import time
from pathlib import Path

from bench_workspace import stop_server

DESCRIPTION = re.compile(r"^description: .*$", re.M)
BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")


class KitEdit:
    """Edits one resource file's description, differently each call (a `before_each`)."""

    def __init__(self, kit: Path) -> None:
        self.path = min(kit.glob("*/*.yml"), key=lambda p: p.as_posix())
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        text = self.path.read_text(encoding="utf-8")
        edited = f'description: "Edited for the benchmark, edit {self.count}."'
        self.path.write_text(DESCRIPTION.sub(edited, text, count=1), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _reader(stream, lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)
    lines.put("")  # the process ended


def _wait_for(lines: queue.Queue[str], pattern: re.Pattern[str], until: float) -> re.Match[str]:
    while True:
        left = until - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no line matching {pattern.pattern!r} in time")
        line = lines.get(timeout=left)
        if not line:
            raise RuntimeError("mkdocs serve ended")
        if found := pattern.search(line):
            return found


def serve_rebuilds(
    mkdocs: Path, project: Path, env: dict[str, str], edits: int, timeout: float = 300
) -> tuple[list[float], list[float]]:
    """`mkdocs serve` on the project, then `edits` kit edits one after another.

    Returns (what the maintainer waits: from saving the file to the rebuilt site, which
    includes MkDocs' file-polling interval of 0.5 s; and MkDocs' own build time) per edit."""
    edit = KitEdit(project / "kit")
    command = [str(mkdocs), "serve", "-a", f"127.0.0.1:{_free_port()}"]
    server = subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_reader, args=(server.stdout, lines), daemon=True).start()
    waited, built = [], []
    try:
        _wait_for(lines, re.compile(r"Serving on"), time.monotonic() + timeout)
        for _ in range(edits):
            time.sleep(1.0)  # let the watcher settle after the last build
            started = time.monotonic()
            edit()
            found = _wait_for(lines, BUILT, started + timeout)
            waited.append(time.monotonic() - started)
            built.append(float(found.group(1)))
    finally:
        stop_server(server)
    return waited, built
