"""`make bench`: PLN Kit against its peers and the floor, side by side, at growing scale.

For each scale it generates a kit (scripts/gen_kit.py), serves its pages and feeds from a
local server on many ports (scripts/bench_server.py), then times whole processes, a warm-up
first, several runs kept: PLN Kit's commands, the floors (scripts/bench_floors.py and a plain
Markdown MkDocs build) and the peers (lychee, LinkChecker, linkinator; scripts/bench_setup.py
installs them into .bench/). A PLN Kit command this build lacks is reported as "not available
in this build", never guessed. It prints the tables and writes BENCHMARKS.md.

    python scripts/bench.py                  # 100, 1,000 and 10,000 resources
    python scripts/bench.py --quick          # 100 and 1,000 only, for development
    python scripts/bench.py --large 100000   # also the large-kit step (scripts/bench_large.py)
    python scripts/bench.py --parts feeds --scales 1000   # one part alone, to its own file

Parts (`--parts`, a comma list; all by default): validate; links (plnkit check-links cold and
warm, and the aiohttp floor); feeds (plnkit fetch-feeds cold and warm, and the sequential
floor); peers (lychee, linkinator, LinkChecker); builds (the plugin, the floor and Zensical).
A run of some parts only writes .bench/BENCHMARKS-parts.md unless --out says otherwise, so
the full record in BENCHMARKS.md is never replaced by a partial one.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import bench_report as R
from bench_large import report as large_report
from bench_large import run_large
from bench_profile import profile_unmet
from bench_run import Measurement, measure, run_measured
from bench_setup import Peer, setup
from bench_workspace import (
    BIN,
    IN_FLIGHT,
    PY,
    Plnkit,
    Scale,
    broken_count,
    json_line,
    start_server,
    stop_server,
)
from bench_write import write_markdown

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
# scale -> (runs, warm-ups, runs of heavy measurements, their warm-ups)
PLANS = {
    "quick": {100: (3, 1, 2, 0), 1000: (3, 1, 1, 0)},
    "full": {100: (5, 1, 5, 1), 1000: (5, 1, 3, 1), 10000: (3, 1, 1, 0)},
}
HEAVY = {R.LINKCHECKER, R.FLOOR_FEEDS}
PARTS = ("validate", "links", "feeds", "peers", "builds")
# The library calls timed in-process (scripts/bench_inproc.py) for the warm targets.
LINKS_API = "plnkit.links.run:check_kit_links"
FEEDS_API = "plnkit.feeds.runner:fetch_kit_feeds"


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.bench = args.bench_dir.resolve()
        self.env = {**os.environ, "PLNKIT_ALLOW_LOCAL": "1", "NO_MKDOCS_2_WARNING": "1",
                    "DISABLE_MKDOCS_2_WARNING": "true"}
        self.env.pop("PLNKIT_OFFLINE", None)
        self.plnkit = Plnkit(self.env)
        self.peers: dict[str, Peer] = {}
        self.commands: dict[str, list[str]] = {}
        # Other work on the machine skews every figure; the report shows how busy it was.
        self.load_start = " ".join(f"{x:.1f}" for x in os.getloadavg())

    def log(self, text: str) -> None:
        print(text, flush=True)

    def run(
        self,
        m: Measurement,
        scale: Scale,
        plan: tuple[int, int, int, int],
        before_each: Callable[[], None] | None = None,
    ) -> Measurement:
        runs, warmups, heavy_runs, heavy_warmups = plan
        if m.name in HEAVY:
            runs, warmups = heavy_runs, heavy_warmups
        self.commands[m.name] = m.command
        started = time.perf_counter()
        measure(m, scale.dir, self.env, runs, warmups, before_each, timeout=self.args.timeout)
        if m.samples:
            broken = broken_count(m.name, m.samples[-1].output, scale)
            if broken is not None:
                m.extra["broken"] = broken
                if abs(broken - scale.expected_broken) > max(2, 0.05 * scale.expected_broken):
                    m.extra[R.MISMATCH] = 1
                    m.note = (
                        f"reported {broken:.0f} broken where {scale.expected_broken} URLs "
                        "answer 404: it did not check the same URLs, so it is not compared"
                    )
        took = time.perf_counter() - started
        shown = f"median {m.median:.3f} s, peak {m.peak_mib:.0f} MiB" if m.ok else m.note
        self.log(f"  {m.name}: {shown} ({took:.0f} s)")
        return m

    def unavailable(self, name: str, why: str) -> Measurement:
        self.log(f"  {name}: {why}")
        return Measurement(name, [], unavailable=why)

    def plnkit_command(self, command: str, scale: Scale, report: str) -> list[str]:
        cmd = [str(BIN / "plnkit"), command, "kit"]
        option = self.plnkit.option
        if option(command, "--allow-local"):
            cmd.append("--allow-local")
        if flag := option(command, "--cache-dir"):
            cmd += [flag, str(scale.store.relative_to(scale.dir))]
        if flag := option(command, "--json"):
            cmd += [flag, report]
        if flag := option(command, "--concurrency", "--max-concurrency"):
            cmd += [flag, str(IN_FLIGHT)]
        if flag := option(command, "--per-host", "--host-concurrency"):
            cmd += [flag, str(IN_FLIGHT)]
        if flag := option(command, "--min-interval", "--host-interval", "--per-host-interval"):
            cmd += [flag, "0"]
        return cmd

    def in_process(self, m: Measurement, api: str, scale: Scale) -> None:
        # The same limits as the whole-process command (plnkit_command), so both measure
        # the same work; without them the library's polite defaults would apply.
        lifted = {"concurrency": IN_FLIGHT, "per_host": IN_FLIGHT, "min_interval": 0}
        sets = [f"--set={name}={value}" for name, value in lifted.items()]
        times = []
        for _ in range(3):
            sample = run_measured(
                [PY, str(SCRIPTS / "bench_inproc.py"), api, "kit", str(scale.store), *sets],
                scale.dir,
                self.env,
            )
            found = json_line(sample.output)
            if "seconds" not in found:
                m.note = found.get("error") or "in-process call failed"
                return
            times.append(found["seconds"])
        m.extra[R.IN_PROCESS] = sorted(times)[1]

    def network_pair(
        self,
        scale: Scale,
        plan,
        command: str,
        cold_name: str,
        warm_name: str,
        report: str,
        api: str,
        snapshot: Path | None,
    ) -> list[Measurement]:
        if not self.plnkit.has(command):
            why = "not available in this build"
            return [self.unavailable(cold_name, why), self.unavailable(warm_name, why)]
        cmd = self.plnkit_command(command, scale, report)
        cold = self.run(Measurement(cold_name, cmd), scale, plan, scale.reset_store(snapshot))
        warm = self.run(Measurement(warm_name, cmd), scale, plan)
        self.in_process(warm, api, scale)
        return [cold, warm]

    def peer(self, name: str, key: str, args: list[str], scale: Scale, plan) -> Measurement:
        peer = self.peers.get(key)
        if peer is None or not peer.available:
            return self.unavailable(name, f"not installed: {peer.problem if peer else '?'}")
        return self.run(Measurement(name, [*peer.command, *args], ok_codes=(0, 1, 2)), scale, plan)

    def scale(self, resources: int, ports: list[int]) -> tuple[Scale, dict[str, Measurement]]:
        plan = PLANS["quick" if self.args.quick else "full"][resources]
        parts = self.args.parts
        self.log(f"\n{resources:,} resources")
        scale = Scale(self.bench, resources, ports)
        out: list[Measurement] = []
        if "validate" in parts:
            validate = [str(BIN / "plnkit"), "validate", "kit", "--allow-local"]
            out.append(self.run(Measurement(R.VALIDATE, validate), scale, plan))
        floors = [PY, str(SCRIPTS / "bench_floors.py")]
        if "links" in parts:
            out += self.network_pair(
                scale,
                plan,
                "check-links",
                R.LINKS_COLD,
                R.LINKS_WARM,
                "links.json",
                LINKS_API,
                None,
            )
        elif {"feeds", "builds"} & set(parts) and self.plnkit.has("check-links"):
            # The cold feed run starts from the store a link run leaves (the kit cache in it,
            # the link records): one link run, not measured, makes that store.
            run_measured(self.plnkit_command("check-links", scale, "links.json"), scale.dir,
                         self.env, self.args.timeout)  # fmt: skip
        links_state = scale.dir / "store-after-links"
        shutil.rmtree(links_state, ignore_errors=True)
        if scale.store.exists():
            shutil.copytree(scale.store, links_state)
        if "feeds" in parts:
            out += self.network_pair(
                scale,
                plan,
                "fetch-feeds",
                R.FEEDS_COLD,
                R.FEEDS_WARM,
                "feeds.json",
                FEEDS_API,
                links_state,
            )
        elif "builds" in parts and self.plnkit.has("fetch-feeds"):  # builds read a warm store
            run_measured(self.plnkit_command("fetch-feeds", scale, "feeds.json"), scale.dir,
                         self.env, self.args.timeout)  # fmt: skip
        if "links" in parts:
            out.append(
                self.run(Measurement(R.FLOOR_LINKS, [*floors, "links", "urls.txt"]), scale, plan)
            )
        if "feeds" in parts:
            out.append(
                self.run(Measurement(R.FLOOR_FEEDS, [*floors, "feeds", "feeds.txt"]), scale, plan)
            )
        if "peers" in parts:
            out += self.peers_of(scale, plan)
        if "builds" in parts:
            out += self.builds(scale, plan)
        return scale, {m.name: m for m in out}

    def peers_of(self, scale: Scale, plan) -> list[Measurement]:
        out: list[Measurement] = []
        n = str(IN_FLIGHT)
        out.append(
            self.peer(
                R.LYCHEE,
                "lychee",
                [
                    "--no-progress",
                    "--max-concurrency",
                    n,
                    "--host-concurrency",
                    n,
                    "--host-request-interval",
                    "0ms",
                    "--format",
                    "json",
                    "-o",
                    "lychee.json",
                    "urls.html",
                ],
                scale,
                plan,
            )
        )
        out.append(
            self.peer(
                R.LINKINATOR,
                "linkinator",
                ["urls.html", "--concurrency", n, "--format", "json"],
                scale,
                plan,
            )
        )
        out.append(
            self.peer(
                R.LINKCHECKER,
                "linkchecker",
                [
                    "-f",
                    "linkcheckerrc",
                    "-t",
                    n,
                    "--check-extern",
                    "--no-status",
                    "-o",
                    "text",
                    "urls.html",
                ],
                scale,
                plan,
            )
        )
        return out

    def builds(self, scale: Scale, plan) -> list[Measurement]:
        floor_docs = scale.dir / "floor" / "docs"
        shutil.copytree(scale.dir / "docs", floor_docs)
        render = [str(BIN / "plnkit"), "render", "kit", "--to", "floor/docs"]
        render += ["--cache-dir", str(scale.store.relative_to(scale.dir))]
        done = run_measured(render, scale.dir, self.env)
        if done.exit_code:
            why = f"plnkit render failed: {done.output.strip()[-300:]}"
            return [
                self.unavailable(name, why)
                for name in (R.BUILD, R.FLOOR_BUILD, R.ZENSICAL_BUILD)
            ]
        self.commands["plnkit render (floor's Markdown, once)"] = render
        scale.write_floor_config()
        mkdocs = str(BIN / "mkdocs")
        plugin = Measurement(R.BUILD, [mkdocs, "build", "-q", "-f", "mkdocs.yml", "-d", "site"])
        floor = Measurement(
            R.FLOOR_BUILD, [mkdocs, "build", "-q", "-f", "floor/mkdocs.yml", "-d", "floor-site"]
        )
        zensical = Measurement(
            R.ZENSICAL_BUILD,
            [str(BIN / "plnkit"), "build", "--engine", "zensical", "-d", "site-zensical"],
        )
        # Alternate them, run by run, so drift on a noisy machine hits all alike.
        runs, warmups, _, _ = plan
        builds = (plugin, floor, zensical)
        for index in range(warmups + runs):
            for m in builds:
                measure(m, scale.dir, self.env, 1, 0, timeout=self.args.timeout)
                if index < warmups:
                    m.samples.clear()
        for m in builds:
            self.commands[m.name] = m.command
            self.log(
                f"  {m.name}: median {m.median:.3f} s, peak {m.peak_mib:.0f} MiB"
                if m.ok
                else f"  {m.name}: {m.note}"
            )
        return [plugin, floor, zensical]


def parts_list(text: str) -> tuple[str, ...]:
    """`--parts`: known part names, in the order given.

    >>> parts_list("feeds,links")
    ('feeds', 'links')
    """
    parts = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        named = ", ".join(unknown) or "(none given)"
        known = ", ".join(PARTS)
        raise argparse.ArgumentTypeError(f"unknown part(s) {named}; choose among {known}")
    return parts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 resources only")
    parser.add_argument("--scales", help="comma-separated, e.g. 100,1000 (default: by mode)")
    parser.add_argument("--bench-dir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--out", type=Path, default=None, help="default: BENCHMARKS.md")
    parser.add_argument(
        "--parts",
        type=parts_list,
        default=PARTS,
        help=f"comma-separated, among {', '.join(PARTS)} (default: all)",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="per process, seconds")
    parser.add_argument("--no-profile", action="store_true", help="skip profiling unmet targets")
    parser.add_argument(
        "--large",
        type=int,
        default=None,
        help="resources of the large-kit step: validate and an offline build, timed, with "
        "peak memory and page sizes (default: 100000 for a full run, 0 = skip)",
    )
    args = parser.parse_args()
    args.bin_dir = str(BIN)
    partial = args.partial = set(args.parts) != set(PARTS)
    if args.out is None:
        args.out = args.bench_dir / "BENCHMARKS-parts.md" if partial else ROOT / "BENCHMARKS.md"
    bench = Bench(args)
    plan = PLANS["quick" if args.quick else "full"]
    scales = [int(s) for s in args.scales.split(",")] if args.scales else sorted(plan)
    if "peers" in args.parts:
        bench.log("Installing or finding the peers in .bench/ ...")
        bench.peers = setup(bench.bench)
    # PLN Kit is installed editable, so unlike MkDocs and its theme it has no compiled bytecode
    # when PYTHONDONTWRITEBYTECODE is set (as on some CI machines): every measured process
    # would compile its modules again. Compile them once, as an ordinary install does.
    compileall.compile_dir(str(ROOT / "plugins"), quiet=1)
    for peer in bench.peers.values():
        bench.log(
            f"  {peer.name}: {peer.version if peer.available else 'MISSING: ' + peer.problem}"
        )
    started = time.time()
    server, ports = start_server(lifetime=args.timeout * 4 + 3600)
    # The kits' Mastodon handles (@name@mastodon.social) are fetched from the local server
    # too: the benchmark never asks the real network (whose DNS alone can stall a run).
    bench.env["PLNKIT_MASTODON_BASE"] = f"http://127.0.0.1:{ports[0]}"
    results: R.Results = {}
    expected: dict[int, int] = {}
    try:
        for resources in scales:
            scale, results[resources] = bench.scale(resources, ports)
            expected[resources] = scale.expected_broken
        found = R.targets(results)
        profiles = {} if args.no_profile else profile_unmet(found, bench, results)
    finally:
        stop_server(server)
    text = write_markdown(args, bench, results, expected, found, profiles, time.time() - started)
    print("\n" + text.split("\n## Commands")[0])
    large = args.large if args.large is not None else (0 if args.quick or partial else 100_000)
    if large:
        bench.log(f"Large kit: {large:,} resources (validate, offline build) ...")
        figures = large_report(run_large(bench.bench, large, args.timeout))
        print(figures)
        with args.out.open("a", encoding="utf-8") as out:
            out.write(f"\n## Large kit (issue 17)\n\n```\n{figures}\n```\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
