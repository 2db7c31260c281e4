"""`make bench-compare REV=...`: the link check of a past commit and of this checkout, side by
side in one run: did a change make `plnkit check-links` faster or slower?

For each scale it generates a kit (scripts/gen_kit.py) and serves it (scripts/bench_server.py),
as `make bench` does, then alternates the two versions run by run, cold (no link results in
the store, the kit files' check results kept) and warm (every result stored), so drift on a
busy machine hits both alike. lychee and the aiohttp floor run in the same loop when present,
so the figures can be read against the targets of BENCHMARKS.md.

    python scripts/bench_compare.py 7f65ce1                      # 1,000 and 10,000 resources
    python scripts/bench_compare.py 7f65ce1 --scales 1000 --runs 3

The past commit is checked out with `git worktree` into .bench/compare/REV and run from this
checkout's virtual environment with its `plugins/` first on PYTHONPATH, so it must work with
the dependencies installed now. Prints one Markdown table (medians of the runs, min–max, and
each version's ratio to lychee and to the floor); `--out FILE` also writes it to FILE.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_run import run_measured
from bench_setup import installed
from bench_workspace import (
    IN_FLIGHT,
    PY,
    SCRIPTS,
    Scale,
    lychee_args,
    start_server,
    stop_server,
)  # fmt: skip

ROOT = SCRIPTS.parent


def worktree(rev: str, bench: Path) -> Path:
    """A checkout of `rev` under `bench`/compare (made once, reused while it exists)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if commit.returncode:
        raise SystemExit(f"bench_compare: {rev!r} is not a commit of this repository")
    sha = commit.stdout.strip()
    place = bench / "compare" / sha[:12]
    if not (place / "plugins" / "plnkit").is_dir():
        place.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=False)
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--force", str(place), sha],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
    return place


def check_links(scale: Scale) -> list[str]:
    """The command `make bench` times, with the same limits."""
    store = str(scale.store.relative_to(scale.dir))
    return [
        PY, "-m", "plnkit", "check-links", "kit", "--allow-local", "--cache-dir", store,
        "--json", "links.json", "--concurrency", str(IN_FLIGHT), "--per-host", str(IN_FLIGHT),
        "--min-interval", "0",
    ]  # fmt: skip


def compare(scale: Scale, runs: int, env: dict[str, str], past: Path, peer: list[str] | None):
    """{row name: [seconds per run]}, the versions alternated run by run."""
    envs = {"past": {**env, "PYTHONPATH": str(past / "plugins")}, "now": env}
    command = check_links(scale)
    reset = scale.reset_store()
    # Two unmeasured runs: the first makes the store, the second fills its kit cache.
    for _ in range(2):
        run_measured(command, scale.dir, env)
    times: dict[str, list[float]] = {}

    def timed(name: str, cmd: list[str], run_env: dict[str, str]) -> None:
        sample = run_measured(cmd, scale.dir, run_env)
        if sample.exit_code not in (0, 1, 2):
            raise SystemExit(f"{name} failed (exit {sample.exit_code}): {sample.output[-800:]}")
        times.setdefault(name, []).append(sample.seconds)
        print(f"  {name}: {sample.seconds:.3f} s", flush=True)

    for _ in range(runs):
        for version in ("past", "now"):
            reset()
            timed(f"check-links cold, {version}", command, envs[version])
        for version in ("past", "now"):
            timed(f"check-links warm, {version}", command, envs[version])
        timed("floor: aiohttp checker", [PY, str(SCRIPTS / "bench_floors.py"), "links",
                                         "urls.txt"], env)  # fmt: skip
        if peer:
            timed("peer: lychee", [*peer, *lychee_args()], env)
    return times


def table(rev: str, results: dict[int, dict[str, list[float]]]) -> str:
    lines = [
        f"`plnkit check-links` at {rev} (past) and at this checkout (now), side by side in one "
        "run, versions alternated run by run; whole processes, medians.",
        "",
        "| resources | run | median s | min–max s | ÷ lychee | ÷ floor |",
        "|---:|---|---:|---|---:|---:|",
    ]
    for resources, times in results.items():
        lychee_s = statistics.median(times["peer: lychee"]) if "peer: lychee" in times else None
        floor_s = statistics.median(times["floor: aiohttp checker"])
        for name, seconds in times.items():
            median = statistics.median(seconds)
            by_lychee = f"{median / lychee_s:.2f}×" if lychee_s else "–"
            lines.append(
                f"| {resources:,} | {name} | {median:.3f} | {min(seconds):.3f}–"
                f"{max(seconds):.3f} | {by_lychee} | {median / floor_s:.2f}× |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the past commit to compare with (a hash, tag or branch)")
    parser.add_argument("--scales", default="1000,10000", help="comma-separated kit sizes")
    parser.add_argument("--runs", type=int, default=5, help="runs of each version and scale")
    parser.add_argument("--bench-dir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    bench = args.bench_dir.resolve()
    past = worktree(args.rev, bench)
    env = {**os.environ, "PLNKIT_ALLOW_LOCAL": "1"}
    env.pop("PLNKIT_OFFLINE", None)
    env.pop("PYTHONPATH", None)
    found = installed(bench).get("lychee")
    peer = found.command if found is not None and found.available else None
    if peer is None:
        print("lychee is not installed (make bench installs it): compared to the floor only")
    server, ports = start_server(lifetime=7200)
    env["PLNKIT_MASTODON_BASE"] = f"http://127.0.0.1:{ports[0]}"
    results = {}
    started = time.perf_counter()
    try:
        for resources in (int(s) for s in args.scales.split(",")):
            print(f"\n{resources:,} resources", flush=True)
            scale = Scale(bench / "compare-work", resources, ports)
            results[resources] = compare(scale, args.runs, env, past, peer)
    finally:
        stop_server(server)
    text = table(args.rev, results)
    print(f"\n{text}\n({time.perf_counter() - started:.0f} s)")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
