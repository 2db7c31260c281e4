"""Timing whole processes for the benchmark: wall time, CPU time and peak memory per run.

Each run is one child process, reaped with `os.wait4`, whose resource usage is that child's
alone, so runs never blur into each other.
"""

from __future__ import annotations

import os
import platform
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    seconds: float
    cpu_seconds: float
    peak_mib: float
    exit_code: int
    output: str = ""


@dataclass
class Measurement:
    """The runs of one command at one scale (warm-up runs are not kept)."""

    name: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)
    unavailable: str = ""  # why it was not measured
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)  # e.g. in-process seconds
    ok_codes: tuple[int, ...] = (0, 1)  # exit codes of a finished run (1, 2: broken links)

    @property
    def ok(self) -> bool:
        return bool(self.samples) and not self.unavailable

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def low(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def high(self) -> float:
        return max(s.seconds for s in self.samples)

    @property
    def peak_mib(self) -> float:
        return max(s.peak_mib for s in self.samples)

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples)


GNU_TIME = Path("/usr/bin/time")
MAX_OUTPUT = 64 * 1024 * 1024  # enough for linkinator's JSON report of 13,000 links


def run_measured(
    command: Sequence[str], cwd: Path, env: dict[str, str], timeout: float = 1800
) -> Sample:
    """Run `command` to the end; wall time, its CPU time (os.wait4) and its peak memory.

    Peak memory comes from GNU time, which forks the command from its own small process:
    a child forked straight from this (larger) Python process would start its high-water
    mark at ours and report our size instead of its own. Without GNU time, wait4's figure
    is used and may be that floor. The output goes to a file (kept for parsing counts), so
    a chatty tool never blocks on a full pipe; a timer kills a run that outlives `timeout`.
    """
    out_path = cwd / ".bench-output.tmp"
    rss_path = cwd / ".bench-rss.tmp"
    rss_path.unlink(missing_ok=True)
    wrapped = list(command)
    if GNU_TIME.exists():
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(rss_path), *wrapped]
    with open(out_path, "wb") as sink:
        started = time.perf_counter()
        child = subprocess.Popen(
            wrapped, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        killer = threading.Timer(timeout, os.killpg, (child.pid, signal.SIGKILL))
        killer.start()
        try:
            _pid, status, usage = os.wait4(child.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # so Popen never waits again
    output = out_path.read_bytes()[-MAX_OUTPUT:].decode(errors="replace")
    out_path.unlink(missing_ok=True)
    peak_kib = float(usage.ru_maxrss)
    try:
        peak_kib = float(rss_path.read_text().split()[-1])
        rss_path.unlink()
    except (OSError, ValueError, IndexError):
        pass
    return Sample(
        seconds, usage.ru_utime + usage.ru_stime, peak_kib / 1024, child.returncode, output
    )


def measure(
    m: Measurement,
    cwd: Path,
    env: dict[str, str],
    runs: int,
    warmups: int,
    before_each: Callable[[], None] | None = None,
    timeout: float = 1800,
) -> Measurement:
    """Warm-up runs (discarded), then `runs` kept samples; stops early on a failing run."""
    for index in range(warmups + runs):
        if before_each:
            before_each()
        sample = run_measured(m.command, cwd, env, timeout)
        if index >= warmups:
            m.samples.append(sample)
        if sample.exit_code not in m.ok_codes:
            m.note = f"exit {sample.exit_code}: {sample.output.strip().splitlines()[-1:]!s}"
            break
    return m


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cores (nproc)": str(os.cpu_count()),
        "CPU": cpu,
        "memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
    }
