"""Worker threads that check URLs as they are handed in, so checking can start early.

A run may hand URLs in while the kit is still loading (`LinkRun.offer`), then ask for the
results of the URLs it finally needs (`collect`). Each URL is checked at most once.
"""

from __future__ import annotations

import _thread
import logging
import queue
import threading
from collections.abc import Callable, Iterable

from plnkit.links.checker import Checker
from plnkit.links.types import CheckResult, LinkState

log = logging.getLogger("plnkit.links")

OnResult = Callable[[CheckResult, int, int], None]  # result, done, total


def skipped(url: str, reason: str) -> CheckResult:
    return CheckResult(url, LinkState.SKIPPED, None, error=reason)


INTERRUPTED = "not checked: the run was interrupted"


class CheckPool:
    """Up to `concurrency` threads taking URLs from one queue; results gathered by URL.

    Workers are started with `_thread.start_new_thread`, which does not wait for each new
    thread to be scheduled as `threading.Thread.start` does: on a busy machine those waits
    (milliseconds each) kept a run from having all its requests in flight for a while.
    Every URL handed in gets exactly one result, so `collect` never waits forever; `close`
    stops the workers (each finishes the request it is making) and waits for them."""

    def __init__(self, checker: Checker, concurrency: int) -> None:
        self.checker = checker
        self.concurrency = max(1, concurrency)
        self._todo: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._finished: queue.SimpleQueue[CheckResult] = queue.SimpleQueue()
        self._exited: queue.SimpleQueue[None] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._workers = 0
        self._submitted: set[str] = set()
        self._results: dict[str, CheckResult] = {}
        self._closed = False

    def _one(self, url: str) -> CheckResult:
        try:
            return self.checker.check(url)
        except Exception as err:  # a bug in one check must not sink the run or the build
            log.exception("checking %s failed unexpectedly", url)
            return skipped(url, f"not checked: internal error ({err.__class__.__name__})")

    def _work(self) -> None:
        try:
            while (url := self._todo.get()) is not None:
                if self._stop.is_set():
                    self._finished.put(skipped(url, INTERRUPTED))
                    continue
                try:
                    self._finished.put(self._one(url))
                except BaseException:
                    self._stop.set()
                    self._finished.put(skipped(url, INTERRUPTED))
                    raise
        finally:
            self._exited.put(None)

    def submit(self, url: str) -> None:
        """Start checking `url` unless it was handed in before."""
        self.submit_all((url,))

    def submit_all(self, urls: Iterable[str]) -> None:
        """Hand in URLs not handed in before: queued first, then more workers if needed."""
        if self._closed:
            return
        fresh = [u for u in dict.fromkeys(urls) if u not in self._submitted]
        self._submitted.update(fresh)
        for url in fresh:
            self._todo.put(url)
        while self._workers < min(self.concurrency, len(self._submitted)):
            self._workers += 1
            _thread.start_new_thread(self._work, ())

    def collect(self, urls: list[str], on_result: OnResult | None = None) -> list[CheckResult]:
        """Results for `urls` (handed in now if they were not), in the order they finish.

        Results of URLs handed in earlier but not asked for are waited for and dropped:
        a resource a fork replaced, say. `on_result` sees only the asked-for ones."""
        self.submit_all(urls)
        wanted = dict.fromkeys(urls)
        out: list[CheckResult] = []

        def take(result: CheckResult) -> None:
            if result.url in wanted and result.url not in self._results:
                out.append(result)
                if on_result:
                    on_result(result, len(out), len(wanted))
            self._results[result.url] = result

        for result in [self._results[u] for u in wanted if u in self._results]:
            out.append(result)
            if on_result:
                on_result(result, len(out), len(wanted))
        # Whatever has finished is taken in one go, each time this thread wakes.
        while len(self._results) < len(self._submitted):
            take(self._finished.get())
            while True:
                try:
                    take(self._finished.get_nowait())
                except queue.Empty:
                    break
        return out

    def close(self) -> None:
        """Stop the workers (URLs still queued are not checked) and wait until they exit."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        for _worker in range(self._workers):
            self._todo.put(None)
        for _worker in range(self._workers):
            self._exited.get()
