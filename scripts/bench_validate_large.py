"""`make bench` (last step): validating one huge kit file of 100,000 unknown keys.

Issue 19: validation is linear in the size of its input, and its report is capped. This
writes a kit whose one resource file holds 100,000 unknown fields (just under the 1,000,000
bytes a kit file may have), times whole `plnkit validate` processes on it, checks that the
report stops at the per-file cap with "…and N more problems in this file", and records the
result as a section of BENCHMARKS.md (replaced on each run; `--out -` prints it only).

    python scripts/bench_validate_large.py [--runs 3] [--keys 100000] [--out BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import os
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
START = "<!-- bench_validate_large: start -->"
END = "<!-- bench_validate_large: end -->"
TARGET_SECONDS = 10.0
BINDER = "title: Big\ntabs:\n  - id: blogs\n    title: Blogs\n"


def key(index: int) -> str:
    """Four letters (26**4 > 100,000), so YAML reads every key as text."""
    letters = []
    for _ in range(4):
        letters.append(string.ascii_lowercase[index % 26])
        index //= 26
    return "x" + "".join(letters)


def write_kit(root: Path, keys: int) -> Path:
    kit = root / "kit"
    (kit / "blogs").mkdir(parents=True)
    (kit / "binder.yml").write_text(BINDER, encoding="utf-8")
    body = "name: Big\n" + "".join(f"{key(i)}: 1\n" for i in range(keys))
    path = kit / "blogs" / "big.yml"
    path.write_text(body, encoding="utf-8")
    return path


def measure(root: Path, runs: int) -> tuple[list[float], str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    times, output = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [str(BIN / "plnkit"), "validate", "kit"], cwd=root, env=env, capture_output=True,
            text=True, timeout=1800, check=False,
        )  # fmt: skip
        times.append(time.perf_counter() - started)
        output = done.stdout
        if done.returncode != 1:
            raise SystemExit(f"plnkit validate exited {done.returncode}: {done.stderr[-2000:]}")
    return times, output


def section(keys: int, size: int, times: list[float], output: str) -> str:
    lines = output.splitlines()
    more = [line for line in lines if "more problems in this file" in line]
    median = statistics.median(times)
    met = "met" if median <= TARGET_SECONDS and more else "NOT MET"
    cap_line = more[0].split(": ", 2)[-1] if more else "-"
    return "\n".join([
        START,
        "## Validating one huge file (issue 19)",
        "",
        f"`plnkit validate` on a kit whose one resource file holds {keys:,} unknown fields "
        f"({size:,} bytes; a kit file must stay under 1,000,000), whole processes, "
        f"{len(times)} runs: median **{median:.2f} s** (min {min(times):.2f}, max "
        f"{max(times):.2f}); target at most {TARGET_SECONDS:g} s: **{met}**. The report has "
        f"{len(lines)} lines, the per-file cap then: `{cap_line}`"
        f" (measured {time.strftime('%Y-%m-%d')}, scripts/bench_validate_large.py).",
        END,
        "",
    ])  # fmt: skip


def record(out: Path, text: str) -> None:
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if START in old and END in old:
        head, rest = old.split(START, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        new = head + text + tail
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + text
    out.write_text(new, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"), help="'-': print only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plnkit-bench-validate-") as tmp:
        path = write_kit(Path(tmp), args.keys)
        times, output = measure(Path(tmp), max(1, args.runs))
        text = section(args.keys, path.stat().st_size, times, output)
    print(text)
    if args.out != "-":
        record(Path(args.out), text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
