"""Profiles for the targets a benchmark run did not meet: where the time goes.

Each unmet target's PLN Kit command is run once more under pyinstrument (a sampling profiler,
so the shape is right even if the absolute times are inflated); the call tree, with PLN Kit's
frames shown and library internals folded, is kept in .bench/profiles/ and in BENCHMARKS.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bench_report as R
from bench_run import run_measured

# profile key -> (scale it is judged at, measurement whose command is profiled)
PROFILED = {
    "build-1000": (1000, R.BUILD),
    "build-10000": (10000, R.BUILD),
    # A serve rebuild is this build run again inside `mkdocs serve`: its profile is the build's.
    "serve-1000": (1000, R.BUILD),
    "memory-10000": (10000, R.BUILD),
    "links-cold": (1000, R.LINKS_COLD),
    "links-cold-10000": (10000, R.LINKS_COLD),
    "links-warm": (1000, R.LINKS_WARM),
    "feeds-cold": (1000, R.FEEDS_COLD),
    "feeds-warm": (1000, R.FEEDS_WARM),
    "validate-10000": (10000, R.VALIDATE),
}
MODULES = {"plnkit": "plnkit", "mkdocs": "mkdocs"}
MAX_LINES = 80


def profiled_command(command: list[str], bin_dir: Path, out: Path) -> list[str] | None:
    """`command` re-run as `pyinstrument ... -m MODULE ARGS` (None for other programs)."""
    module = MODULES.get(Path(command[0]).name)
    if module is None:
        return None
    return [
        str(bin_dir / "pyinstrument"),
        "-r",
        "text",
        "--no-color",
        "--no-unicode",
        "--show",
        "*/plnkit/*",
        "-o",
        str(out),
        "-m",
        module,
        *command[1:],
    ]


def profile_unmet(found: list[R.Target], bench: Any, results: R.Results) -> dict[str, str]:
    """Profile text per profile key, for every unmet target whose command exists."""
    profiles: dict[str, str] = {}
    out_dir = bench.bench / "profiles"
    out_dir.mkdir(parents=True, exist_ok=True)
    for target in found:
        key = target.profile_key
        if target.verdict is not R.Verdict.NOT_MET or not key or key in profiles:
            continue
        scale, name = PROFILED[key]
        measured = results.get(scale, {}).get(name)
        if measured is None or not measured.ok:
            continue
        out = out_dir / f"{key}.txt"
        command = profiled_command(measured.command, Path(bench.args.bin_dir), out)
        if command is None:
            continue
        cwd = bench.bench / "work" / f"kit-{scale}"
        bench.log(f"profiling {name} at {scale:,} resources for '{target.what}' ...")
        sample = run_measured(command, cwd, bench.env, timeout=bench.args.timeout)
        if sample.exit_code not in (0, 1) or not out.exists():
            profiles[key] = f"(profiling failed: {sample.output.strip()[-300:]})"
            continue
        lines = [line.rstrip() for line in out.read_text(encoding="utf-8").splitlines()]
        body = [line for line in lines if line.strip()][4:]  # drop the banner
        profiles[key] = "\n".join(body[:MAX_LINES])
    return profiles
