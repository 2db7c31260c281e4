"""The per-file checks of a large kit spread over the machine's cores.

Reading, parsing and checking one resource file takes a fraction of a millisecond, all of it
in Python, so a kit of 100,000 files keeps one core busy for half a minute. From
`PARALLEL_FROM` files on, `checked_files` hands the files out in chunks to one worker process
per core and gives the answers back in the files' order; below it (small kits, the tests) a
pool would cost more than it saves, and the files are checked in this process. Both ways run
the same `check_resource_file`, so the loader reports exactly the same problems either way.

How the workers start: on Linux, a process with one thread (the `plnkit` command) forks them,
which is quick and runs nothing again; beside other threads (`mkdocs serve`), where forking is
unsafe, they come from "forkserver", and elsewhere from "spawn". Those two import the main
script again, as `__mp_main__`, which the `plnkit` and `mkdocs` scripts allow for. A machine
that cannot start workers, or a worker that dies, leaves the remaining files to this process.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import repeat
from pathlib import Path

from plnkit.kit.checked_file import CheckedFile, check_resource_files

PARALLEL_FROM = 4_000  # files: below, starting the workers costs about what they would save
CHUNK = 500  # files per task at most: few round trips, yet every core busy to the end

Job = tuple[Path, str | None]  # a file and the digest the cache has an answer for


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def checked_files(
    jobs: Sequence[Job],
    tabs: Sequence[str] | None,
    allow_local: bool,
    hashed: bool = False,
    parallel_from: int | None = None,
) -> Iterator[CheckedFile]:
    """The answer for each job (`check_resource_file`), in the jobs' order; in worker
    processes when there are at least `parallel_from` jobs (default `PARALLEL_FROM`) and
    more than one core."""
    workers = cores()
    threshold = PARALLEL_FROM if parallel_from is None else parallel_from
    if len(jobs) < max(2, threshold) or workers < 2:
        yield from check_resource_files(jobs, tabs, allow_local, hashed)
        return
    size = max(1, min(CHUNK, -(-len(jobs) // (4 * workers))))  # at least 4 chunks a worker
    chunks = [jobs[start : start + size] for start in range(0, len(jobs), size)]
    done = 0
    try:
        pool = ProcessPoolExecutor(min(workers, len(chunks)), mp_context=_start_method())
    except (OSError, ImportError, NotImplementedError):  # no process support here
        pool = None
    if pool is not None:
        try:
            answers = pool.map(
                check_resource_files, chunks, repeat(tabs), repeat(allow_local), repeat(hashed)
            )
            for answer in answers:
                yield from answer
                done += 1
        except (BrokenProcessPool, OSError):
            pass  # a worker died (out of memory?): this process checks what is left
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for chunk in chunks[done:]:
        yield from check_resource_files(chunk, tabs, allow_local, hashed)


def _start_method() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
