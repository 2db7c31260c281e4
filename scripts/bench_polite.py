"""The polite link benchmark: a real-shaped web, the limits a maintainer sets, the wait.

5,000 URLs on 100 local hosts whose URL counts follow Zipf's law (a few hosts such as
blogspot, wordpress.com or ning.com carry most of a real kit), each answer after 50–500 ms,
5% of them slow (2 s). Both checkers run with 2 requests in flight per host and at least
200 ms between two starts to one host:

- plnkit check-links --per-host 2 --min-interval 0.2
- lychee --host-concurrency 2 --host-request-interval 200ms

and both are compared with the schedule's lower bound: no polite checker can finish before
the busiest host's work is done under those limits. That is the host's schedule with every
URL started the moment the limits allow (200 ms after the start before it, on the first of
its two slots to be free), not the simpler floor of its starts 200 ms apart, its latencies
shared by two slots or its slowest answer: those hold apart, never together (a slow answer
keeps one slot while the starts go on in the other). Target: plnkit ≤ 1.10× the bound, and
no slower than lychee.

    python scripts/bench_polite.py [--urls 5000] [--hosts 100] [--out build/bench/polite.json]
                                   [--lychee PATH | --no-lychee]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from aiohttp import web

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_setup import Peer, install_pip_peers  # noqa: E402  (a script beside this one)
from gen_kit import Spec, archived_urls, kit_urls, write_kit  # noqa: E402

PER_HOST = 2
INTERVAL = 0.2  # seconds between two starts to one host
SLOW_SHARE = 0.05
SLOW_SECONDS = 2.0
FAST_RANGE = (0.05, 0.5)
FEED_SHARE = 3  # gen_kit gives one resource in three a feed: URLs = resources × 4/3


def latency(path: str) -> float:
    """Seconds the server waits before answering `path` (the same for every checker)."""
    digest = hashlib.sha256(path.encode()).digest()
    if int.from_bytes(digest[:2], "big") < SLOW_SHARE * 65536:
        return SLOW_SECONDS
    low, high = FAST_RANGE
    return low + (high - low) * int.from_bytes(digest[2:4], "big") / 65535


def zipf_counts(total: int, hosts: int, exponent: float = 1.0) -> list[int]:
    """`total` split over `hosts` as 1/rank**exponent, every host at least one."""
    weights = [1 / (rank**exponent) for rank in range(1, hosts + 1)]
    scale = (total - hosts) / sum(weights)
    counts = [1 + int(w * scale) for w in weights]
    counts[0] += total - sum(counts)
    return counts


def host_floor(latencies: list[float]) -> float:
    """What each limit alone allows one host's URLs: starts INTERVAL apart, the latencies
    shared by PER_HOST slots, the slowest answer. Too low as a bound: it takes the limits
    one at a time.

    >>> host_floor([0.5] * 4)
    1.1
    """
    return round(max(
        (len(latencies) - 1) * INTERVAL + min(latencies),
        sum(latencies) / PER_HOST,
        max(latencies),
    ), 6)  # fmt: skip


def host_schedule(latencies: list[float]) -> float:
    """When the last answer comes if each URL, in this order, starts the moment the limits
    allow it: INTERVAL after the start before it, on the first of PER_HOST slots to be free.
    For one order no schedule is faster (starting a URL later never lets another start
    sooner).

    >>> host_schedule([0.5] * 4)  # the third start waits for a slot, not for the interval
    1.2
    """
    free = [0.0] * PER_HOST  # when each slot is free again
    last = -INTERVAL
    for seconds in latencies:
        slot = free.index(min(free))
        start = max(last + INTERVAL, free[slot])
        free[slot], last = start + seconds, start
    return round(max(free), 6)


def host_bound(latencies: list[float], orders: int = 20) -> float:
    """The least time one host's URLs can take under the limits: the fastest schedule of
    their list order and `orders` shuffles of it (a checker does not know the latencies
    before it asks, so it cannot pick the order that would be fastest; the shuffles keep the
    bound from favouring whichever order a checker happens to use)."""
    shuffled = [list(latencies) for _ in range(orders)]
    for seed, order in enumerate(shuffled):
        random.Random(seed).shuffle(order)
    return min(host_schedule(order) for order in [list(latencies), *shuffled])


async def _handle(request: web.Request) -> web.Response:
    await asyncio.sleep(latency(request.path))
    return web.Response(text="<html><head><title>ok</title></head><body>ok</body></html>",
                        content_type="text/html")  # fmt: skip


class Web:
    """The pretend hosts: one aiohttp server on many 127.0.0.1 ports, in a thread."""

    def __init__(self, hosts: int) -> None:
        self.socks = []
        for _ in range(hosts):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            self.socks.append(sock)
        self.ports = [s.getsockname()[1] for s in self.socks]
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(30)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", _handle)
        self.runner = web.AppRunner(app, access_log=None, handle_signals=False)
        self.loop.run_until_complete(self.runner.setup())
        for sock in self.socks:
            site = web.SockSite(self.runner, sock, backlog=1024)
            self.loop.run_until_complete(site.start())
        self._ready.set()
        self.loop.run_forever()

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


@dataclass
class Result:
    urls: int
    hosts: int
    busiest_host_urls: int
    bound_seconds: float
    floor_seconds: float  # each limit alone (the bound this benchmark first used)
    plnkit_seconds: float
    plnkit_vs_bound: float
    lychee_seconds: float | None
    lychee_vs_bound: float | None
    plnkit_vs_lychee: float | None
    lychee_problem: str = ""


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Wall seconds of `command`; it must end 0 (all well) or 1 (a link failed)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def run(urls: int, hosts: int, lychee_peer: Peer | None, work: Path) -> Result:
    resources = max(hosts, round(urls * FEED_SHARE / (FEED_SHARE + 1)))
    web_ = Web(hosts)
    try:
        # Resource i goes to the host of ports[i]: Zipf counts, shuffled so hosts interleave.
        ports = [p for p, n in zip(web_.ports, zipf_counts(resources, hosts), strict=True)
                 for _ in range(n)]  # fmt: skip
        random.Random(17).shuffle(ports)
        kit = write_kit(work / "kit", Spec(resources, tuple(ports)))
        pages, feeds = kit_urls(kit)
        skipped = archived_urls(kit)  # curator-archived: plnkit does not check them
        checked = [u for u in dict.fromkeys([*pages, *feeds]) if u not in skipped]
        (work / "urls.txt").write_text("\n".join(checked) + "\n", encoding="utf-8")
        by_host: dict[str, list[float]] = {}
        for url in checked:
            host, _, path = url.partition("://")[2].partition("/")
            by_host.setdefault(host, []).append(latency("/" + path))
        bound = max(host_bound(found) for found in by_host.values())
        floor = max(host_floor(found) for found in by_host.values())
        busiest = Counter({h: len(v) for h, v in by_host.items()}).most_common(1)[0][1]
        env = {**os.environ, "PLNKIT_ALLOW_LOCAL": "1", "CI": "1"}
        plnkit = [sys.executable, "-m", "plnkit", "check-links", str(kit), "--cache-dir",
                  str(work / "cache"), "--per-host", str(PER_HOST), "--min-interval",
                  str(INTERVAL), "--concurrency", "256", "--timeout", "15"]  # fmt: skip
        shutil.rmtree(work / "cache", ignore_errors=True)
        plnkit_seconds = _timed(plnkit, work, env)
        peer = lychee_peer
        lychee_seconds, problem = None, ""
        if peer is not None and peer.available:
            lychee = [*peer.command, "--no-progress", "--max-concurrency", "256",
                      "--host-concurrency", str(PER_HOST), "--host-request-interval",
                      f"{int(INTERVAL * 1000)}ms", "--timeout", "15", "urls.txt"]  # fmt: skip
            lychee_seconds = _timed(lychee, work, env)
        else:
            problem = peer.problem if peer is not None else "not installed"
    finally:
        web_.close()
    return Result(
        urls=len(checked), hosts=len(by_host), busiest_host_urls=busiest,
        bound_seconds=round(bound, 2), floor_seconds=round(floor, 2),
        plnkit_seconds=round(plnkit_seconds, 2),
        plnkit_vs_bound=round(plnkit_seconds / bound, 3),
        lychee_seconds=round(lychee_seconds, 2) if lychee_seconds else None,
        lychee_vs_bound=round(lychee_seconds / bound, 3) if lychee_seconds else None,
        plnkit_vs_lychee=round(plnkit_seconds / lychee_seconds, 3) if lychee_seconds else None,
        lychee_problem=problem,
    )  # fmt: skip


def markdown(result: Result) -> str:
    lychee = (
        f"{result.lychee_seconds:.1f} s ({result.lychee_vs_bound:.2f}× the bound)"
        if result.lychee_seconds else f"not run: {result.lychee_problem}"
    )  # fmt: skip
    verdict_bound = "met" if result.plnkit_vs_bound <= 1.10 else "missed"
    verdict_peer = (
        "" if result.plnkit_vs_lychee is None
        else f"; {result.plnkit_vs_lychee:.2f}× lychee "
        f"({'met' if result.plnkit_vs_lychee <= 1.0 else 'missed'})"
    )  # fmt: skip
    return "\n".join([
        f"Polite run: {result.urls} URLs on {result.hosts} hosts (busiest "
        f"{result.busiest_host_urls}), {PER_HOST} per host, ≥ {INTERVAL * 1000:.0f} ms apart.",
        "",
        "| | wall time |", "|---|---|",
        f"| schedule's lower bound | {result.bound_seconds:.1f} s |",
        f"| (each limit alone) | ({result.floor_seconds:.1f} s) |",
        f"| plnkit check-links | {result.plnkit_seconds:.1f} s "
        f"({result.plnkit_vs_bound:.2f}× the bound) |",
        f"| lychee | {lychee} |",
        "",
        f"Target ≤ 1.10× the bound: {verdict_bound}{verdict_peer}.",
    ])  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--bench-dir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--lychee", type=Path, help="this lychee, not the one in --bench-dir")
    parser.add_argument(
        "--no-lychee", action="store_true", help="time plnkit alone (lychee takes many minutes)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "polite.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plnkit-polite-") as work:
        if args.no_lychee:
            peer = Peer("lychee", [], problem="not asked for (--no-lychee)")
        elif args.lychee:
            peer = Peer("lychee", [str(args.lychee)])
        else:
            peer = install_pip_peers(args.bench_dir).get("lychee")
        result = run(args.urls, args.hosts, peer, Path(work))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(asdict(result), indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
