"""`make bench`: PLN Kit against its peers and the floor, side by side, at growing scale.

For each scale it generates a kit (scripts/gen_kit.py), serves its pages and feeds from a
local server on many ports (scripts/bench_server.py), then times whole processes, a warm-up
first, several runs kept: PLN Kit's commands, the floors (scripts/bench_floors.py and a plain
Markdown MkDocs build) and the peers (lychee, LinkChecker, linkinator; scripts/bench_setup.py
installs them into .bench/). A PLN Kit command this build lacks is reported as "not available
in this build", never guessed. It prints the tables and writes BENCHMARKS.md.

    python scripts/bench.py                  # 100, 1,000 and 10,000 resources
    python scripts/bench.py --quick          # 100 and 1,000 only, for development
    python scripts/bench.py --parts links,peers --scales 1000   # some parts, one scale

Parts (`--parts`, a comma list; all by default): validate; links (plnkit check-links cold and
warm, and the aiohttp floor); feeds (plnkit fetch-feeds cold and warm, and the sequential
floor); peers (lychee, linkinator, LinkChecker); builds (the floor, a changed-kit build with
the plugin and with each engine, mkdocs serve's rebuild); large; polite. A run of some parts
only writes .bench/BENCHMARKS-parts.md unless --out says otherwise, so the full record in
BENCHMARKS.md is never replaced by a partial one.
    python scripts/bench.py --large 100000   # the large-kit step's size (scripts/bench_large.py)

A full run ends with the large-kit step and the polite run (scripts/bench_polite.py).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import bench_report as R
from bench_builds import KitEdit, serve_rebuilds
from bench_large import report as large_report
from bench_large import run_large
from bench_polite import markdown as polite_markdown
from bench_polite import run as polite_run
from bench_profile import profile_unmet
from bench_run import Measurement, Sample, measure, run_measured
from bench_setup import Peer, setup
from bench_workspace import (
    BIN,
    IN_FLIGHT,
    PY,
    Plnkit,
    Scale,
    broken_count,
    json_line,
    lychee_args,
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
SERVE_SCALES = {1000}
PARTS = ("validate", "links", "feeds", "peers", "builds", "large", "polite")


# The library calls timed in-process (scripts/bench_inproc.py) for the warm targets.
LINKS_API = "plnkit.links.run:check_kit_links"
FEEDS_API = "plnkit.feeds.runner:fetch_kit_feeds"


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


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.bench = args.bench_dir.resolve()
        self.env = {
            **os.environ,
            "PLNKIT_ALLOW_LOCAL": "1",
            "NO_MKDOCS_2_WARNING": "1",
            "DISABLE_MKDOCS_2_WARNING": "true",
        }
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
        links_state = scale.dir / "store-after-links"
        shutil.rmtree(links_state, ignore_errors=True)
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
            if scale.store.exists():
                shutil.copytree(scale.store, links_state)
            floor = Measurement(R.FLOOR_LINKS, [*floors, "links", "urls.txt"])
            out.append(self.run(floor, scale, plan))
        elif {"feeds", "builds"} & set(parts):
            # The cold feed run starts from the store a link run leaves (the kit cache in it,
            # the link records): one link run, not measured, makes that store.
            self.unmeasured("check-links", scale, "links.json")
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
            floor = Measurement(R.FLOOR_FEEDS, [*floors, "feeds", "feeds.txt"])
            out.append(self.run(floor, scale, plan))
        elif "builds" in parts:  # the builds read a warm store
            self.unmeasured("fetch-feeds", scale, "feeds.json")
        if "peers" in parts:
            out += self.peers_of(scale, plan)
        if "builds" in parts:
            out += self.builds(scale, plan)
        return scale, {m.name: m for m in out}

    def unmeasured(self, command: str, scale: Scale, report: str) -> None:
        if self.plnkit.has(command):
            cmd = self.plnkit_command(command, scale, report)
            run_measured(cmd, scale.dir, self.env, self.args.timeout)

    def peers_of(self, scale: Scale, plan) -> list[Measurement]:
        n = str(IN_FLIGHT)
        lychee = lychee_args()
        linkinator = ["urls.html", "--concurrency", n, "--format", "json"]
        linkchecker = [
            "-f",
            "linkcheckerrc",
            "-t",
            n,
            "--check-extern",
            "--no-status",
            "-o",
            "text",
            "urls.html",
        ]
        return [
            self.peer(R.LYCHEE, "lychee", lychee, scale, plan),
            self.peer(R.LINKINATOR, "linkinator", linkinator, scale, plan),
            self.peer(R.LINKCHECKER, "linkchecker", linkchecker, scale, plan),
        ]  # fmt: skip

    def builds(self, scale: Scale, plan) -> list[Measurement]:
        """The plain-Markdown floor and a changed-kit build with each engine, alternated run
        by run so drift on a noisy machine hits all alike; then `mkdocs serve`'s rebuild."""
        floor_docs = scale.dir / "floor" / "docs"
        shutil.copytree(scale.dir / "docs", floor_docs)
        render = [str(BIN / "plnkit"), "render", "kit", "--to", "floor/docs"]
        render += ["--cache-dir", str(scale.store.relative_to(scale.dir))]
        done = run_measured(render, scale.dir, self.env)
        names = (R.BUILD, R.FLOOR_BUILD, *R.ENGINE_BUILDS.values(), R.SERVE)
        if done.exit_code:
            why = f"plnkit render failed: {done.output.strip()[-300:]}"
            return [self.unavailable(name, why) for name in names]
        self.commands["plnkit render (floor's Markdown, once)"] = render
        scale.write_floor_config()
        mkdocs = str(BIN / "mkdocs")
        floor = Measurement(
            R.FLOOR_BUILD, [mkdocs, "build", "-q", "-f", "floor/mkdocs.yml", "-d", "floor-site"]
        )
        plugin = Measurement(R.BUILD, [mkdocs, "build", "-q", "-f", "mkdocs.yml", "-d", "site"])
        plnkit = str(BIN / "plnkit")
        engines = [
            Measurement(name, [plnkit, "build", "--engine", engine, "-d", f"site-{engine}"])
            for engine, name in R.ENGINE_BUILDS.items()
        ]
        edit = KitEdit(scale.kit)
        runs, warmups, _, _ = plan
        builds = (floor, plugin, *engines)
        for index in range(warmups + runs):
            for m in builds:
                before = None if m is floor else edit
                measure(m, scale.dir, self.env, 1, 0, before, timeout=self.args.timeout)
                if index < warmups:
                    m.samples.clear()
        for m in builds:
            self.commands[m.name] = m.command
            self.log(
                f"  {m.name}: median {m.median:.3f} s, peak {m.peak_mib:.0f} MiB"
                if m.ok
                else f"  {m.name}: {m.note}"
            )
        return [*builds, self.serve(scale, runs + 2)]

    def serve(self, scale: Scale, edits: int) -> Measurement:
        m = Measurement(R.SERVE, [str(BIN / "mkdocs"), "serve"])
        self.commands[m.name] = [*m.command, "(then one kit file edited, one edit at a time)"]
        if scale.resources not in SERVE_SCALES:
            return self.unavailable(R.SERVE, "measured at 1,000 resources only")
        try:
            waited, built = serve_rebuilds(BIN / "mkdocs", scale.dir, self.env, edits)
        except (OSError, RuntimeError, TimeoutError) as err:
            m.note = f"mkdocs serve failed: {err}"
            self.log(f"  {m.name}: {m.note}")
            return m
        m.samples = [Sample(w, 0.0, 0.0, 0) for w in waited]
        m.extra[R.ENGINE_OWN] = sorted(built)[len(built) // 2]
        self.log(f"  {m.name}: median {m.median:.3f} s (MkDocs' own build "
                 f"{m.extra[R.ENGINE_OWN]:.2f} s)")  # fmt: skip
        return m


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 resources only")
    parser.add_argument("--scales", help="comma-separated, e.g. 100,1000 (default: by mode)")
    parser.add_argument("--bench-dir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--out", type=Path, default=None, help="default: BENCHMARKS.md")
    parser.add_argument("--timeout", type=float, default=1800, help="per process, seconds")
    parser.add_argument(
        "--parts",
        type=parts_list,
        default=PARTS,
        help=f"comma-separated parts to run (default: all of {','.join(PARTS)})",
    )
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
    # A run of some parts only goes to its own file: BENCHMARKS.md keeps the full record.
    partial = args.partial = set(args.parts) != set(PARTS)
    if args.out is None:
        args.out = args.bench_dir / "BENCHMARKS-parts.md" if partial else ROOT / "BENCHMARKS.md"
    bench = Bench(args)
    plan = PLANS["quick" if args.quick else "full"]
    scales = [int(s) for s in args.scales.split(",")] if args.scales else sorted(plan)
    if {"peers", "polite"} & set(args.parts):
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
    large = args.large if args.large is not None else (0 if args.quick else 100_000)
    if large and "large" in args.parts:
        bench.log(f"Large kit: {large:,} resources (validate, offline build) ...")
        figures = large_report(run_large(bench.bench, large, args.timeout))
        print(figures)
        with args.out.open("a", encoding="utf-8") as out:
            out.write(f"\n## Large kit (issue 17)\n\n```\n{figures}\n```\n")
    if "polite" in args.parts and not args.quick:
        bench.log("Polite run: 5,000 URLs on 100 hosts, 2 per host, 200 ms apart ...")
        with tempfile.TemporaryDirectory(prefix="plnkit-polite-") as work:
            polite = polite_run(5000, 100, bench.peers.get("lychee"), Path(work))
        figures = polite_markdown(polite)
        print(figures)
        with args.out.open("a", encoding="utf-8") as out:
            out.write(f"\n## Polite run, side by side with lychee (issue 17)\n\n{figures}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
