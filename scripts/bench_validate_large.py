"""`make bench-validate`: `plnkit validate` on large inputs, recorded as a section of BENCHMARKS.md.

Two inputs, whole processes, nothing on the network:

- one huge file (issue 19): a kit whose one resource file holds 100,000 unknown fields (just
  under the 1,000,000 bytes a kit file may have); validation is linear in its input and the
  report stops at the per-file cap with "…and N more problems in this file" (target ≤ 10 s);
- many files (issue 17): a generated kit of 100,000 resources (scripts/gen_kit.py), validated
  cold (`--no-cache`: every file read, parsed and checked, on every core), then with an empty
  state store (the same, and the kit cache written), then warm (the cache answers); every
  run must print the same report (target for cold ≤ 30 s).

The section is replaced on each run (`--out -` prints it only). `make bench-large` (the
offline build of a large kit) takes its validate figures from `measure_kit` here.

    python scripts/bench_validate_large.py [--runs 3] [--keys 100000] [--resources 100000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import string
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import gen_kit
from bench_run import Sample, machine, run_measured

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
START = "<!-- bench_validate_large: start -->"
END = "<!-- bench_validate_large: end -->"
TARGET_SECONDS = 10.0  # one huge file
KIT_TARGET_SECONDS = 30.0  # 100,000 files, cold
BINDER = "title: Big\ntabs:\n  - id: blogs\n    title: Blogs\n"
PORTS = tuple(range(18300, 18332))  # gen_kit's pretend hosts (nothing is fetched)
STORE = Path(".cache/plnkit")  # where validate finds the project's kit cache


def key(index: int) -> str:
    """Four letters (26**4 > 100,000), so YAML reads every key as text."""
    letters = []
    for _ in range(4):
        letters.append(string.ascii_lowercase[index % 26])
        index //= 26
    return "x" + "".join(letters)


def write_kit(root: Path, keys: int) -> Path:
    """The one-huge-file kit under `root`; returns the file."""
    kit = root / "kit"
    (kit / "blogs").mkdir(parents=True)
    (kit / "binder.yml").write_text(BINDER, encoding="utf-8")
    body = "name: Big\n" + "".join(f"{key(i)}: 1\n" for i in range(keys))
    path = kit / "blogs" / "big.yml"
    path.write_text(body, encoding="utf-8")
    return path


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLNKIT_OFFLINE": "1"}


def measure(root: Path, runs: int) -> tuple[list[float], str]:
    """Whole `plnkit validate kit` runs on the huge file: their times and the last report."""
    times, output = [], ""
    for _ in range(runs):
        sample = run_measured([str(BIN / "plnkit"), "validate", "kit"], root, _env())
        times.append(sample.seconds)
        output = sample.output
        if sample.exit_code != 1:
            raise SystemExit(f"plnkit validate exited {sample.exit_code}: {output[-2000:]}")
    return times, output


@dataclass(frozen=True)
class KitFigures:
    """`plnkit validate` of a many-file kit: cold, with an empty store, warm."""

    resources: int
    cold: Sample
    first: Sample  # an empty state store: everything checked, the kit cache written
    warm: Sample
    same_report: bool

    def verdict(self) -> str:
        met = self.cold.seconds <= KIT_TARGET_SECONDS and self.same_report
        return "met" if met else "NOT MET"


def measure_kit(work: Path, env: dict[str, str], timeout: float = 3600) -> KitFigures:
    """Validate the kit in `work` (its ./kit, or what its mkdocs.yml builds) three ways.

    The state store (`.cache/plnkit`, also what bench_large's mkdocs.yml names) is removed
    first, then made empty for the second run, which fills it for the third."""
    store = work / STORE
    shutil.rmtree(store, ignore_errors=True)
    validate = [str(BIN / "plnkit"), "validate", "--allow-local"]
    cold = run_measured([*validate, "--no-cache"], work, env, timeout)
    store.mkdir(parents=True)
    first = run_measured(validate, work, env, timeout)
    warm = run_measured(validate, work, env, timeout)
    for name, sample in (("cold", cold), ("first", first), ("warm", warm)):
        if sample.exit_code != 0:
            print(f"validate ({name}) exit {sample.exit_code}:\n{sample.output[-4000:]}")
    same = cold.output == first.output == warm.output and cold.exit_code == 0
    resources = len(list((work / "kit").glob("*/*.yml")))
    return KitFigures(resources, cold, first, warm, same)


def kit_workspace(root: Path, resources: int) -> Path:
    """A generated kit of `resources` files under `root`."""
    schema = ROOT / "kit" / "schema" / "resource.schema.json"
    gen_kit.write_kit(root / "kit", gen_kit.Spec(resources, PORTS), schema)
    return root


def kit_lines(figures: KitFigures) -> list[str]:
    def run(sample: Sample) -> str:
        return f"{sample.seconds:.1f} s ({sample.cpu_seconds:.1f} s of CPU)"

    return [
        f"`plnkit validate --allow-local` on a generated kit of {figures.resources:,} resource "
        f"files, whole processes, one run each: cold (`--no-cache`) **{run(figures.cold)}**; "
        f"with an empty state store, which it fills, {run(figures.first)}; warm (the kit "
        f"cache answers) **{run(figures.warm)}**; peak memory "
        f"{max(figures.cold.peak_mib, figures.warm.peak_mib):,.0f} MiB; the same report "
        f"each time: {'yes' if figures.same_report else 'NO'}. Target for cold at most "
        f"{KIT_TARGET_SECONDS:g} s: **{figures.verdict()}**.",
    ]


def section(keys: int, size: int, times: list[float], output: str, kit: KitFigures | None) -> str:
    lines = output.splitlines()
    more = [line for line in lines if "more problems in this file" in line]
    median = statistics.median(times)
    met = "met" if median <= TARGET_SECONDS and more else "NOT MET"
    cap_line = more[0].split(": ", 2)[-1] if more else "-"
    facts = machine()
    return "\n".join([
        START,
        "## Validating large inputs (issues 17 and 19)",
        "",
        f"`plnkit validate` on a kit whose one resource file holds {keys:,} unknown fields "
        f"({size:,} bytes; a kit file must stay under 1,000,000), whole processes, "
        f"{len(times)} runs: median **{median:.2f} s** (min {min(times):.2f}, max "
        f"{max(times):.2f}); target at most {TARGET_SECONDS:g} s: **{met}**. The report has "
        f"{len(lines)} lines, the per-file cap then: `{cap_line}`.",
        *(["", *kit_lines(kit)] if kit else []),
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {facts['cores (nproc)']} cores "
        f"({facts['CPU']}), load average {os.getloadavg()[0]:.1f} at the end "
        "(scripts/bench_validate_large.py).",
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
    parser.add_argument("--runs", type=int, default=3, help="runs of the huge-file case")
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--resources", type=int, default=100_000, help="0: no many-file case")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"), help="'-': print only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plnkit-bench-validate-") as tmp:
        path = write_kit(Path(tmp) / "file", args.keys)
        times, output = measure(Path(tmp) / "file", max(1, args.runs))
        kit = None
        if args.resources > 0:
            work = kit_workspace(Path(tmp) / "kit", args.resources)
            kit = measure_kit(work, _env())
        text = section(args.keys, path.stat().st_size, times, output, kit)
    print(text)
    if args.out != "-":
        record(Path(args.out), text)
    return 0 if kit is None or kit.same_report else 1


if __name__ == "__main__":
    raise SystemExit(main())
