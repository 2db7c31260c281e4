"""Write BENCHMARKS.md: machine, versions, the ratios and targets, every figure, the exact
commands, the profiles of what missed its target, and the maintainers' notes on them."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import bench_report as R
from bench_run import machine
from bench_workspace import IN_FLIGHT

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "scripts" / "bench_notes.md"
LIBRARIES = (
    "plnkit",
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pyyaml",
    "jsonschema",
    "feedparser",
    "requests",
    "aiohttp",
    "pyinstrument",
)


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def versions(bench: Any) -> list[tuple[str, str]]:
    out = []
    for name in LIBRARIES:
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            out.append((name, "not installed"))
    for peer in bench.peers.values():
        out.append((peer.name, peer.version if peer.available else f"MISSING: {peer.problem}"))
    return out


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _shown(command: list[str]) -> str:
    text = shlex.join(command)
    return text.replace(str(ROOT) + "/", "")


def write_markdown(
    args: Any,
    bench: Any,
    results: R.Results,
    expected: dict[int, int],
    found: list[R.Target],
    profiles: dict[str, str],
    elapsed: float,
) -> str:
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain", "--", "plugins") else ""
    mode = "make bench-quick" if args.quick else "make bench"
    if getattr(args, "partial", False):
        mode += f" --parts {','.join(args.parts)}"
    scales = ", ".join(f"{s:,}" for s in sorted(results))
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `{mode}` (scripts/bench.py) on {dt.date.today().isoformat()}, PLN Kit "
        f"commit {commit}{dirty}, at {scales} resources, in {elapsed / 60:.1f} minutes. "
        "Every figure is a whole process (start-up included) unless marked in-process; "
        "medians of the kept runs after a warm-up, with min–max. Ratios compare medians of "
        "the same run, side by side: only ratios travel between machines.",
        "",
        "## Ratios and targets",
        "",
        R.targets_table(found),
        "",
        R.ratios_table(results),
        "",
        "## Every measurement",
        "",
        '"broken found" is what each link checker reported against the URLs the server '
        "answers with 404 (a check that the tools did the same work).",
        "",
        R.results_table(results, expected),
        "",
        "## Machine and versions",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in machine().items()),
        f"| load average at start / end | {bench.load_start} / {_load()} |",
        *(f"| {k} | {v} |" for k, v in versions(bench)),
        "",
        "## The benchmark's web",
        "",
        "One local server process (scripts/bench_server.py, aiohttp) on 32 ports of 127.0.0.1, "
        "one per pretend host. Pages: 60% 200, 10% 404, 10% 301 to a 200, 20% 200 after "
        "50–200 ms, fixed per URL. Feeds: RSS 2.0, 50 items with full HTML content, 20% slow; "
        "ETag and Last-Modified on every 200, answered with 304 at once when they match. Every "
        "response carries a `LinkChecker` header, which lifts LinkChecker's per-host throttle "
        "(its `maxrequestspersecond` above 10 applies only to hosts that send it); every "
        f"checker runs with {IN_FLIGHT} requests in flight and no per-host limit where it has "
        "such options. Kits come from scripts/gen_kit.py (seed 8), a third of the resources "
        "with a feed; the Mastodon handles of about 30% go to the same server "
        "(`PLNKIT_MASTODON_BASE`), which answers them as pages. A cold `check-links` or "
        "`fetch-feeds` starts from a store with no link "
        "or feed results but with the kit files' check results (`kit-files.json`), as after a "
        "site build: the kit is read, not validated again. The builds read a warm state store "
        "(`offline: true`, so they render what the store holds and make no requests), with one "
        "kit file edited before each run (a changed kit: the per-file kit cache answers for "
        "the rest; no output is cached); the floor is the same pages written by "
        "`plnkit render` and built with the plugin off, same theme, extensions and nav. "
        "`mkdocs serve`'s figure is from saving a kit file to the end of the rebuild MkDocs "
        "logs, which includes its file watcher's polling (every 0.5 s).",
        "",
        "## Commands",
        "",
        "Run in `.bench/work/kit-N/` with `PLNKIT_ALLOW_LOCAL=1`; shown for the largest scale. "
        "`urls.txt` lists every resource and feed URL of the kit once, except those of the "
        "resources the kit marks archived (about 3%, which `plnkit check-links` does not "
        "request), so every link checker checks the same URLs; `urls.html` is one page "
        "linking each of them (what the peers read), `feeds.txt` every feed. "
        f"`linkcheckerrc` sets `threads={IN_FLIGHT}`, `maxrequestspersecond=1000` and lifts "
        "its 1 MiB parse limit. The slowest measurements (LinkChecker, the sequential feed "
        "floor) get fewer runs at the larger scales; the runs column says how many.",
        "",
        *(f"- {name}: `{_shown(cmd)}`" for name, cmd in bench.commands.items()),
        "",
    ]
    if profiles:
        lines += ["## Profiles of the targets not met", ""]
        for key, text in profiles.items():
            lines += [f"### {key}", "", "```text", text, "```", ""]
    if NOTES.is_file():
        lines += [NOTES.read_text(encoding="utf-8").strip(), ""]
    text = "\n".join(lines)
    args.out.write_text(text, encoding="utf-8")
    return text
