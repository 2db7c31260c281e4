"""Work over many items at once on the event loop, with a deadline that holds no one hostage.

The HTTP client's gate keeps the limits (in flight overall and per host), so every item
starts as a task at once and waits there for its turn. When the deadline passes, what is
still running is cancelled; a bug in one item comes back as its exception, never stopping
the others.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Out = TypeVar("Out")


async def run_bounded(
    items: Sequence[Item],
    work: Callable[[Item], Awaitable[Out]],
    *,
    deadline_seconds: float | None = None,
    on_done: Callable[[int, Out | BaseException], None] | None = None,
) -> dict[int, Out | BaseException]:
    """`work` over `items`, all at once; results by item index, in finishing order.

    An exception from `work` is returned in place of its result. Items not finished by the
    deadline are missing from the result (their tasks are cancelled).

    Each task says itself when it is done (onto a queue), so a run of thousands of items
    costs the event loop the same per item whether one or all of them are still running."""
    if not items:
        return {}
    loop = asyncio.get_running_loop()
    ends_at = None if deadline_seconds is None else loop.time() + deadline_seconds
    finished: asyncio.Queue[asyncio.Future[Out]] = asyncio.Queue()
    tasks: dict[asyncio.Future[Out], int] = {}
    for index, item in enumerate(items):
        task = asyncio.ensure_future(work(item))
        task.add_done_callback(finished.put_nowait)
        tasks[task] = index
    results: dict[int, Out | BaseException] = {}
    deadline = asyncio.timeout_at(ends_at)
    try:
        async with deadline:
            while len(results) < len(tasks):
                task = await finished.get()
                outcome: Out | BaseException = (
                    task.exception() or task.result() if not task.cancelled() else
                    asyncio.CancelledError()
                )  # fmt: skip
                results[tasks[task]] = outcome
                if on_done is not None:
                    on_done(tasks[task], outcome)
    except TimeoutError:
        if not deadline.expired():
            raise  # from `on_done`, not the deadline
    finally:
        pending = [task for task in tasks if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    return results


def run_sync(make: Callable[[], Coroutine[Any, Any, Out]]) -> Out:
    """Run the coroutine `make()` returns to its end, from code that is not async.

    Where an event loop already runs in this thread (a notebook, an async host, a browser
    driver's sync API), ours runs on a thread of its own, and this one waits for it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(make())
        except BaseException as err:  # handed to the caller below
            box["error"] = err

    worker = threading.Thread(target=target, name="plnkit-net")
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"]
