"""Feed parsing on worker processes, one per core, each parse bounded in time.

feedparser is pure Python, and parsing is most of a cold feed run's work: on the event loop
it would use one core and hold up the network while it runs. Here the run hands each fetched
body (bytes) to an idle worker process and awaits its answer (a `ParsedFeed`, a few posts of
plain data) on a thread of its own, so the loop goes on with the network meanwhile.

- Workers start on first use, as many as there are bodies waiting, up to one per core: a run
  where every feed answers 304 starts none.
- A parse that takes longer than `seconds` fails that feed ("parsing took longer than ..."):
  its worker is killed, since nothing else stops Python code stuck in a hostile document, and
  a new one starts when needed. A worker that dies fails only the feed it was reading. When
  the run's deadline cancels a feed's task mid-parse, its worker is killed too.
- Workers are forked from multiprocessing's fork server, which has this module (feedparser,
  nh3) loaded already: a worker starts in a few hundredths of a second. The server itself
  starts with the process's first run (a fresh interpreter: about a quarter of a second) and
  waits, idle, until the process ends. Where there is no fork server (Windows, or no writable
  temporary folder), each worker is a fresh interpreter ("spawn"). Forking the run's own
  process, with its event loop and threads, would not be safe. As with any code that starts
  processes, each worker imports the program's main module: a script calling the feed run
  does so under `if __name__ == "__main__":`.
- At the end of the run every worker is stopped; none outlives the run.

`workers=0` parses in the calling process instead, on the event loop: no processes and no
time bound (a hostile feed can then hold the run). For tests and debugging only.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import multiprocessing
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from plnkit.feeds.parse import ParsedFeed, first_look, parse_feed

_STOP_GRACE = 2.0  # seconds an idle worker has to exit once told to


@dataclass(frozen=True)
class ParseJob:
    """What one parse needs: the body and `parse_feed`'s options (all plain data)."""

    body: bytes
    url: str
    content_type: str = ""
    max_posts: int = 10
    summary_chars: int = 400
    allow_local: bool = False
    now: dt.datetime | None = None

    def run(self) -> ParsedFeed:
        return parse_feed(
            self.body,
            url=self.url,
            content_type=self.content_type,
            max_posts=self.max_posts,
            summary_chars=self.summary_chars,
            allow_local=self.allow_local,
            now=self.now,
        )


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _start_method() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _serve(conn: Connection, seconds: float) -> None:
    """A worker's life: parse each job it is sent, answer, until the run closes the pipe.

    Each parse also runs under an alarm a little past the run's own limit: the alarm's
    default action ends the process, so a worker whose run died cannot parse on for hours."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle
    alarm = getattr(signal, "alarm", None)  # not on Windows
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if alarm is not None:
            alarm(math.ceil(seconds) + 2)
        try:
            reply: tuple[str, Any] = ("ok", job.run())
        except Exception as err:  # a bug in parsing: that feed's error, as in-process
            reply = ("error", err)
        if alarm is not None:
            alarm(0)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as err:  # the exception would not pickle: its text will do
            conn.send(("error", RuntimeError(f"{err.__class__.__name__}: {err}")))


class _Worker:
    def __init__(self, context: Any, seconds: float) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, seconds), name="plnkit-feed-parser", daemon=True
        )
        self.process.start()
        child.close()  # the worker holds the other end: when it dies, recv here sees EOF

    def ask(self, job: ParseJob, seconds: float) -> tuple[str, Any]:
        """Send a job and wait for the answer (on a thread: this blocks)."""
        try:
            self.conn.send(job)
            if not self.conn.poll(seconds):
                return "timeout", None
            return self.conn.recv()
        except (EOFError, OSError):
            self.process.join(1.0)
            return "died", self.process.exitcode


class ParseWorkers:
    """The run's parsers: `await parse(job)` from the tasks of one event loop.

    A worker's pipe is only read by the thread waiting for its answer. A worker given up on is
    killed, which ends its pipe and so frees that thread; pipes are closed in `close`, once no
    thread can be reading them."""

    def __init__(self, workers: int | None, seconds: float) -> None:
        self.size = cores() if workers is None else max(0, workers)
        self.seconds = seconds
        self._context = _start_method()
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._slots = asyncio.Semaphore(max(1, self.size))
        self._threads = ThreadPoolExecutor(max(1, self.size), thread_name_prefix="plnkit-parse")

    async def __aenter__(self) -> ParseWorkers:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.close)

    async def parse(self, job: ParseJob) -> ParsedFeed:
        refused = first_look(job.body)  # an HTML page or an empty body is told here, at once
        if refused is not None or self.size == 0:
            return refused or job.run()
        loop = asyncio.get_running_loop()
        async with self._slots:
            worker = self._idle.pop() if self._idle else None
            try:
                if worker is None:
                    worker = await loop.run_in_executor(self._threads, self._start)
                kind, value = await loop.run_in_executor(
                    self._threads, worker.ask, job, self.seconds
                )
            except BaseException:  # cancelled (the run's deadline): the worker may be busy
                if worker is not None:
                    worker.process.kill()
                raise
            if kind in ("ok", "error"):
                self._idle.append(worker)
            else:
                worker.process.kill()
        if kind == "ok":
            return value
        if kind == "error":
            raise value
        if kind == "timeout":
            why = f"parsing the feed took longer than {self.seconds:g} s; given up"
        else:
            why = f"the feed's parser process stopped (exit code {value})"
        return ParsedFeed(False, error=why)

    def _start(self) -> _Worker:
        try:
            worker = _Worker(self._context, self.seconds)
        except OSError:  # no fork server here (it needs a writable temporary folder)
            if self._context.get_start_method() == "spawn":
                raise
            self._context = multiprocessing.get_context("spawn")
            worker = _Worker(self._context, self.seconds)
        self._all.append(worker)  # here, so that `close` stops it even if its task is gone
        return worker

    def close(self) -> None:
        """Stop every worker and wait for them (a couple of seconds at most)."""
        self._threads.shutdown(wait=True)  # quick: a worker given up on is dead, its pipe ended
        for worker in self._all:
            worker.conn.close()  # a worker waiting for a job exits when its pipe ends
        for worker in self._all:
            worker.process.join(_STOP_GRACE)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        self._idle, self._all = [], []
