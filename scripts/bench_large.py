"""`make bench-large`: a very large generated kit (default 100,000 resources) through
`plnkit validate` and an offline `mkdocs build`, timed, with peak memory (issue 17, point 2).

It records, never asserts: validate's wall time, cold and warm (target for cold ≤ 30 s;
measured by scripts/bench_validate_large.py's `measure_kit`, which `make bench-validate`
records), the build's wall time and peak memory (target ≤ 1.5 GiB), the biggest generated
page (must stay under 300 KB) and the biggest of each part of the site (each tab,
all-resources, link-health, print, ...), whether every resource's card is on exactly one page
of its tab, every archived resource listed once on the Link health pages, and every resource
led to its page by all-resources/'s page map. No network: the kit's addresses name 127.0.0.1
and the build is offline.

    python scripts/bench_large.py                       # 100,000 resources
    python scripts/bench_large.py --resources 10000     # a quicker look
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import gen_kit
from bench_run import Sample, run_measured
from bench_validate_large import KIT_TARGET_SECONDS, measure_kit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VALIDATE_TARGET_S = KIT_TARGET_SECONDS
BUILD_PEAK_TARGET_MIB = 1.5 * 1024
PAGE_MAX_BYTES = 300 * 1024
CARD_ID = re.compile(rb'<article class="plnkit-card" id="([^"]+)"')
HEALTH_SLUG = re.compile(rb'<li class="plnkit-health-item"[^>]*><a href="[^"#]*#([^"]+)"')
THEME = "theme:\n  name: material\n  features: [navigation.tabs]\n"


@dataclass
class LargeResult:
    resources: int
    validate_cold_s: float
    validate_warm_s: float
    validate_peak_mib: float
    validate_same_report: bool
    build_s: float
    build_peak_mib: float
    build_exit: int
    api_json_bytes: int
    pages: int
    biggest_page: str
    biggest_page_bytes: int
    pages_over_300kb: int
    cards_once: bool
    history_once: bool
    whole_kit_mapped: bool
    biggest_by_part: dict[str, int]

    def verdicts(self) -> list[str]:
        def mark(ok: bool) -> str:
            return "met" if ok else "MISSED"

        memory_ok = self.build_peak_mib <= BUILD_PEAK_TARGET_MIB
        return [
            f"validate (cold) {self.validate_cold_s:.1f} s, target ≤ {VALIDATE_TARGET_S:.0f} s: "
            f"{mark(self.validate_cold_s <= VALIDATE_TARGET_S)}",
            f"validate warm and cold print the same report: {mark(self.validate_same_report)}",
            f"build peak memory {self.build_peak_mib:,.0f} MiB, target ≤ "
            f"{BUILD_PEAK_TARGET_MIB:,.0f} MiB: {mark(memory_ok)}",
            f"biggest page {self.biggest_page} {self.biggest_page_bytes / 1024:,.0f} KB, "
            f"{self.pages_over_300kb} over 300 KB: {mark(self.pages_over_300kb == 0)}",
            f"every resource on exactly one page: {mark(self.cards_once)}",
            f"every archived resource listed once on Link health: {mark(self.history_once)}",
            f"all-resources/ leads every resource to its page: {mark(self.whole_kit_mapped)}",
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


@dataclass
class SiteCheck:
    """What the built site holds, page by page."""

    pages: int
    biggest_page: str
    biggest_page_bytes: int
    pages_over_300kb: int
    cards_once: bool  # every resource's card on exactly one page
    history_once: bool  # every archived resource listed once on the Link health pages
    whole_kit_mapped: bool  # all-resources/ leads every slug to the page holding its card
    biggest_by_part: dict[str, int]  # the biggest page of each part (a tab, link-health, ...)


def _whole_kit_map(site: Path) -> dict[str, Any]:
    """The page map all-resources/ carries (inline or as its pages.json), or {}."""
    text = (site / "all-resources" / "index.html").read_text(encoding="utf-8")
    inline = re.search(r'data-page-map="([^"]*)"', text)
    if inline:
        return json.loads(html.unescape(inline.group(1)))
    file = site / "all-resources" / "pages.json"
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}


def check_site(site: Path, kit: Path) -> SiteCheck:
    """Sizes of the built pages, and whether every resource is found where it should be."""
    pages = [p for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "assets"]
    sizes = {p: p.stat().st_size for p in pages}
    biggest = max(sizes, key=sizes.__getitem__)
    by_part: dict[str, int] = {}
    for page, size in sizes.items():
        parts = page.relative_to(site).parts
        part = parts[0] if len(parts) > 1 else "home"
        by_part[part] = max(by_part.get(part, 0), size)
    files = list(kit.glob("*/*.yml"))
    slugs = {p.stem for p in files}
    archived = {p.stem for p in files if "\nstatus: archived" in p.read_text(encoding="utf-8")}
    seen: dict[bytes, int] = {}
    listed: list[bytes] = []
    for page in pages:
        data = page.read_bytes()
        for slug in CARD_ID.findall(data):
            seen[slug] = seen.get(slug, 0) + 1
        if page.relative_to(site).parts[0] == "link-health":
            listed += HEALTH_SLUG.findall(data)
    page_map = _whole_kit_map(site)
    return SiteCheck(
        pages=len(pages),
        biggest_page=biggest.relative_to(site).as_posix(),
        biggest_page_bytes=sizes[biggest],
        pages_over_300kb=sum(size > PAGE_MAX_BYTES for size in sizes.values()),
        cards_once=len(seen) == len(slugs) and all(n == 1 for n in seen.values()),
        history_once=sorted(s.decode() for s in listed) == sorted(archived),
        whole_kit_mapped=set(page_map.get("slugs", ())) == slugs,
        biggest_by_part=dict(sorted(by_part.items())),
    )


def run_large(
    bench: Path, resources: int, timeout: float = 3600, validate: bool = True
) -> LargeResult:
    work = workspace(bench, resources)
    env = {**os.environ, "PLNKIT_ALLOW_LOCAL": "1", "NO_MKDOCS_2_WARNING": "1",
           "DISABLE_MKDOCS_2_WARNING": "true", "PLNKIT_OFFLINE": "1"}  # fmt: skip
    checked = None
    if validate:
        print(f"validate {resources:,} resources (cold, then warm)...", flush=True)
        checked = measure_kit(work, env, timeout)
        shutil.rmtree(work / ".cache")  # the build starts without a state store, as a first one
    print(f"build {resources:,} resources (offline)...", flush=True)
    build = run_measured([str(BIN / "mkdocs"), "build", "--site-dir", "site"], work, env, timeout)
    _check(build, "build")
    site = check_site(work / "site", work / "kit")
    api = work / "site" / "api" / "kit.json"
    return LargeResult(
        resources=resources,
        validate_cold_s=checked.cold.seconds if checked else 0.0,
        validate_warm_s=checked.warm.seconds if checked else 0.0,
        validate_peak_mib=max(checked.cold.peak_mib, checked.warm.peak_mib) if checked else 0.0,
        validate_same_report=checked.same_report if checked else True,
        build_s=build.seconds,
        build_peak_mib=build.peak_mib,
        build_exit=build.exit_code,
        api_json_bytes=api.stat().st_size if api.exists() else 0,
        **asdict(site),
    )


def report(result: LargeResult) -> str:
    parts = result.biggest_by_part
    lines = [
        f"Large kit: {result.resources:,} resources",
        f"  validate: cold {result.validate_cold_s:.1f} s, warm {result.validate_warm_s:.1f} s, "
        f"peak {result.validate_peak_mib:,.0f} MiB",
        f"  build: {result.build_s:.1f} s, peak {result.build_peak_mib:,.0f} MiB, "
        f"{result.pages:,} pages, api/kit.json {result.api_json_bytes / 2**20:,.1f} MiB",
        "  biggest page of each part: "
        + ", ".join(f"{part} {size / 1024:,.0f} KB" for part, size in parts.items()),
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
