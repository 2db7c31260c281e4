"""Does the per-file kit cache pay? Builds of a changed kit with it and with `cache: false`,
side by side in one run.

Two copies of one generated kit (scripts/gen_kit.py), each a MkDocs project with a state store
(offline, so no network is used); one says `cache: false`. After a warm-up build of each, every
round edits one resource file in both and builds both, alternately, so drift on a busy machine
hits both alike. Prints the median wall and CPU seconds (the build process's user + system
time, which other work on the machine disturbs less) and their ratios.

    python scripts/bench_kit_cache.py --resources 1000 --runs 9
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import gen_kit
from bench_workspace import THEME

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
NAMES = ("cache", "no cache")


def project(folder: Path, resources: int, cache: bool) -> Path:
    folder.mkdir(parents=True)
    gen_kit.write_kit(folder / "kit", gen_kit.Spec(resources, tuple(range(18300, 18332))))
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text("# Benchmark kit\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        f"site_name: Benchmark kit\n{THEME}plugins:\n  - search\n  - plnkit:\n"
        "      kit_dir: kit\n      cache_dir: .cache/plnkit\n      offline: true\n"
        + ("" if cache else "      cache: false\n"),
        encoding="utf-8",
    )
    (folder / ".cache" / "plnkit").mkdir(parents=True)
    return folder


def build(folder: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one `mkdocs build`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = [str(BIN / "mkdocs"), "build", "-q", "-d", "site"]
    subprocess.run(command, cwd=folder, env=env, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--work", type=Path, default=ROOT / ".bench" / "kit-cache")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    folders = {
        name: project(args.work / name.replace(" ", "-"), args.resources, name == "cache")
        for name in NAMES
    }
    env = {**os.environ, "PLNKIT_ALLOW_LOCAL": "1", "NO_MKDOCS_2_WARNING": "1"}
    for folder in folders.values():
        build(folder, env)  # warm-up: the cache is filled, the imports are compiled
    files = {
        name: sorted(p for p in (f / "kit").rglob("*.yml") if p.name != "binder.yml")
        for name, f in folders.items()
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in NAMES}
    for run in range(args.runs):
        for name, folder in folders.items():
            changed = files[name][run * 37 % len(files[name])]
            changed.write_text(changed.read_text("utf-8") + f"# edit {run}\n", "utf-8")
            samples[name].append(build(folder, env))
    medians = {}
    for name, found in samples.items():
        wall = statistics.median(w for w, _ in found)
        cpu = statistics.median(c for _, c in found)
        medians[name] = (wall, cpu)
        print(f"{name:9} wall median {wall:.3f} s, CPU median {cpu:.3f} s ({len(found)} builds)")
    (wall_on, cpu_on), (wall_off, cpu_off) = medians["cache"], medians["no cache"]
    print(f"no cache / cache: wall {wall_off / wall_on:.3f}x, CPU {cpu_off / cpu_on:.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
