"""A small worker pool with a deadline that never holds the caller (or the process) hostage.

`concurrent.futures` joins its threads at interpreter exit, so one server that never answers
would keep a finished build waiting. These workers end with the process, as daemon threads
do: when the deadline passes, the caller moves on, queued work is dropped, and a request still
in flight ends on its own timeout without anyone waiting for it.
"""

from __future__ import annotations

import _thread
import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Out = TypeVar("Out")


def run_bounded(
    items: Sequence[Item],
    work: Callable[[Item], Out],
    *,
    workers: int,
    deadline_seconds: float | None = None,
    on_done: Callable[[int, Out | BaseException], None] | None = None,
) -> dict[int, Out | BaseException]:
    """Run `work` over `items` on up to `workers` threads; results by item index.

    An exception from `work` is returned in place of its result, so one failure never stops
    the others. Items not finished by the deadline are missing from the result.
    """
    if not items:
        return {}
    pending: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(items)):
        pending.put(index)
    finished: queue.SimpleQueue[tuple[int, Out | BaseException]] = queue.SimpleQueue()
    stop = threading.Event()

    def worker() -> None:
        while not stop.is_set():
            try:
                index = pending.get_nowait()
            except queue.Empty:
                return
            try:
                outcome: Out | BaseException = work(items[index])
            except Exception as err:  # reported per item by the caller
                outcome = err
            finished.put((index, outcome))

    # `_thread` threads end with the process like daemon threads, and starting one does not
    # wait for it to be scheduled (threading.Thread.start does: milliseconds each on a busy
    # machine, for 64 workers most of a run where little is due).
    for _number in range(max(1, min(workers, len(items)))):
        _thread.start_new_thread(worker, ())
    ends_at = None if deadline_seconds is None else time.monotonic() + deadline_seconds
    results: dict[int, Out | BaseException] = {}
    while len(results) < len(items):
        wait = None if ends_at is None else max(0.0, ends_at - time.monotonic())
        try:
            index, outcome = finished.get(timeout=wait)
        except queue.Empty:
            break
        results[index] = outcome
        if on_done is not None:
            on_done(index, outcome)
    stop.set()
    return results
