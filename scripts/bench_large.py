"""`make bench-large`: a very large generated kit (default 100,000 resources) through
`plnkit validate` and an offline `mkdocs build`, timed, with peak memory (issue 17, point 2).

It records, never asserts: validate's wall time (target ≤ 30 s), the build's wall time and
peak memory (target ≤ 1.5 GiB), the biggest generated page (must stay under 300 KB), and
whether every resource's card is on exactly one page of its tab. No network: the kit's
addresses name 127.0.0.1 and the build is offline.

    python scripts/bench_large.py                       # 100,000 resources
    python scripts/bench_large.py --resources 10000     # a quicker look
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import gen_kit
from bench_run import Sample, run_measured

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VALIDATE_TARGET_S = 30.0
BUILD_PEAK_TARGET_MIB = 1.5 * 1024
PAGE_MAX_BYTES = 300 * 1024
CARD_ID = re.compile(rb'<article class="plnkit-card" id="([^"]+)"')
THEME = "theme:\n  name: material\n  features: [navigation.tabs]\n"


@dataclass
class LargeResult:
    resources: int
    validate_cold_s: float
    validate_warm_s: float
    validate_peak_mib: float
    build_s: float
    build_peak_mib: float
    build_exit: int
    pages: int
    biggest_page: str
    biggest_page_bytes: int
    pages_over_300kb: int
    cards_once: bool
    api_json_bytes: int

    def verdicts(self) -> list[str]:
        def mark(ok: bool) -> str:
            return "met" if ok else "MISSED"

        memory_ok = self.build_peak_mib <= BUILD_PEAK_TARGET_MIB
        return [
            f"validate (cold) {self.validate_cold_s:.1f} s, target ≤ {VALIDATE_TARGET_S:.0f} s: "
            f"{mark(self.validate_cold_s <= VALIDATE_TARGET_S)}",
            f"build peak memory {self.build_peak_mib:,.0f} MiB, target ≤ "
            f"{BUILD_PEAK_TARGET_MIB:,.0f} MiB: {mark(memory_ok)}",
            f"biggest page {self.biggest_page} {self.biggest_page_bytes / 1024:,.0f} KB, "
            f"{self.pages_over_300kb} over 300 KB: {mark(self.pages_over_300kb == 0)}",
            f"every resource on exactly one page: {mark(self.cards_once)}",
        ]


def workspace(bench: Path, resources: int) -> Path:
    """A generated kit, a home page and an offline MkDocs config, under `bench`."""
    work = bench / "work" / f"large-{resources}"
    if work.exists():
        shutil.rmtree(work)
    (work / "docs").mkdir(parents=True)
    schema = ROOT / "kit" / "schema" / "resource.schema.json"
    ports = tuple(range(18300, 18332))
    gen_kit.write_kit(work / "kit", gen_kit.Spec(resources, ports), schema)
    (work / "docs" / "index.md").write_text("# Large kit\n\nGenerated.\n", encoding="utf-8")
    (work / "mkdocs.yml").write_text(
        f"site_name: Large kit\n{THEME}plugins:\n  - search\n  - plnkit:\n"
        "      kit_dir: kit\n      cache_dir: .cache/plnkit\n      offline: true\n",
        encoding="utf-8",
    )
    return work


def _check(sample: Sample, what: str) -> None:
    if sample.exit_code != 0:
        print(f"{what} failed (exit {sample.exit_code}):\n{sample.output[-4000:]}", flush=True)


def site_pages(site: Path, kit: Path) -> tuple[int, str, int, int, bool]:
    """(pages, biggest page, its bytes, pages over 300 KB, every card on exactly one page)."""
    pages = [p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "assets"]
    sizes = {p: p.stat().st_size for p in pages}
    biggest = max(sizes, key=sizes.__getitem__)
    over = sum(size > PAGE_MAX_BYTES for size in sizes.values())
    slugs = {p.stem for p in kit.glob("*/*.yml")}
    seen: dict[bytes, int] = {}
    for page in pages:
        for slug in CARD_ID.findall(page.read_bytes()):
            seen[slug] = seen.get(slug, 0) + 1
    once = len(seen) == len(slugs) and all(n == 1 for n in seen.values())
    return len(pages), biggest.relative_to(site).as_posix(), sizes[biggest], over, once


def run_large(
    bench: Path, resources: int, timeout: float = 3600, validate: bool = True
) -> LargeResult:
    work = workspace(bench, resources)
    env = {**os.environ, "PLNKIT_ALLOW_LOCAL": "1", "NO_MKDOCS_2_WARNING": "1",
           "DISABLE_MKDOCS_2_WARNING": "true", "PLNKIT_OFFLINE": "1"}  # fmt: skip
    cold = warm = Sample(0.0, 0.0, 0.0, 0)
    if validate:
        command = [str(BIN / "plnkit"), "validate", "--allow-local"]
        print(f"validate {resources:,} resources (cold)...", flush=True)
        cold = run_measured(command, work, env, timeout)
        _check(cold, "validate")
        warm = run_measured(command, work, env, timeout)
    print(f"build {resources:,} resources (offline)...", flush=True)
    build = run_measured([str(BIN / "mkdocs"), "build", "--site-dir", "site"], work, env, timeout)
    _check(build, "build")
    pages, biggest, biggest_bytes, over, once = site_pages(work / "site", work / "kit")
    api = work / "site" / "api" / "kit.json"
    return LargeResult(
        resources=resources,
        validate_cold_s=cold.seconds,
        validate_warm_s=warm.seconds,
        validate_peak_mib=max(cold.peak_mib, warm.peak_mib),
        build_s=build.seconds,
        build_peak_mib=build.peak_mib,
        build_exit=build.exit_code,
        pages=pages,
        biggest_page=biggest,
        biggest_page_bytes=biggest_bytes,
        pages_over_300kb=over,
        cards_once=once,
        api_json_bytes=api.stat().st_size if api.exists() else 0,
    )


def report(result: LargeResult) -> str:
    lines = [
        f"Large kit: {result.resources:,} resources",
        f"  validate: cold {result.validate_cold_s:.1f} s, warm {result.validate_warm_s:.1f} s, "
        f"peak {result.validate_peak_mib:,.0f} MiB",
        f"  build: {result.build_s:.1f} s, peak {result.build_peak_mib:,.0f} MiB, "
        f"{result.pages:,} pages, api/kit.json {result.api_json_bytes / 2**20:,.1f} MiB",
        *(f"  {line}" for line in result.verdicts()),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--bench-dir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--timeout", type=float, default=3600, help="per process, seconds")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument(
        "--skip-validate", action="store_true", help="measure the build only (validate: 0 s)"
    )
    args = parser.parse_args()
    result = run_large(
        args.bench_dir.resolve(), args.resources, args.timeout, validate=not args.skip_validate
    )
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(asdict(result), indent=2) + "\n", encoding="utf-8")
    return 0 if result.build_exit == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
