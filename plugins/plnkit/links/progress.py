"""Progress while links are checked: a bar on a terminal, one plain line per link in CI."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any

from plnkit.links.types import CheckResult, LinkState

FLUSH_EVERY = 0.5  # seconds: plain lines reach a CI log this often, not one write per link


class Progress:
    """Callable as `on_result(result, done, total)`; use as a context manager."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self._bar: Any = None
        self._task: Any = None
        self._flushed = time.monotonic()

    def __enter__(self) -> Progress:
        if self.tty:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("checking links"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), transient=True,
            )  # fmt: skip
            self._bar.start()
        return self

    def __call__(self, result: CheckResult, done: int, total: int) -> None:
        if self._bar is not None:
            if self._task is None:
                self._task = self._bar.add_task("links", total=total)
            self._bar.update(self._task, completed=done)
            if result.state not in (LinkState.OK, LinkState.SKIPPED):
                self._bar.console.print(
                    f"{result.state.value}: {result.url} {result.error or ''}",
                    markup=False, highlight=False,
                )  # fmt: skip
            return
        width = len(str(total))
        detail = f" ({result.error})" if result.error else ""
        print(f"[{done:>{width}}/{total}] {result.state.value:<10} {result.url}{detail}")
        now = time.monotonic()
        if done == total or now - self._flushed >= FLUSH_EVERY:
            sys.stdout.flush()
            self._flushed = now

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
        sys.stdout.flush()
