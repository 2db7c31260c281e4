"""The benchmark's verdicts and tables: ratios and targets first, then every measurement.

Pure: measurements in, Markdown text out. Ratios are only ever taken between measurements of
the same run, because these machines are noisy and only side-by-side figures mean anything.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from bench_run import Measurement

Results = dict[int, dict[str, Measurement]]  # scale -> measurement name -> measurement

# Names of measurements, shared with bench.py.
VALIDATE = "plnkit validate"
LINKS_COLD = "plnkit check-links (cold)"
LINKS_WARM = "plnkit check-links (warm, all cached)"
FEEDS_COLD = "plnkit fetch-feeds (cold)"
FEEDS_WARM = "plnkit fetch-feeds (warm, all 304)"
# Builds of a changed kit: one resource file edited before each run (scripts/bench_builds.py).
BUILD = "mkdocs build + plnkit plugin (changed kit)"
FLOOR_BUILD = "floor: mkdocs build of plain Markdown"
# The same kit through the engine-neutral docs tree, with each engine (issue 13).
ENGINE_BUILDS = {
    engine: f"plnkit build --engine {engine} (changed kit)"
    for engine in ("mkdocs", "properdocs", "zensical")
}
SERVE = "mkdocs serve: rebuild after one kit edit"
ENGINE_OWN = "engine's own build s"
FLOOR_LINKS = "floor: aiohttp checker, 64 in flight"
FLOOR_FEEDS = "floor: requests + feedparser, one by one"
LYCHEE = "peer: lychee"
LINKCHECKER = "peer: LinkChecker"
LINKINATOR = "peer: linkinator"
IN_PROCESS = "in-process s"
MISMATCH = "did not check the same URLs"


class Verdict(enum.Enum):
    MET = "met"
    NOT_MET = "NOT MET"
    UNAVAILABLE = "not available in this build"
    NOT_MEASURED = "not measured in this run"


@dataclass(frozen=True)
class Target:
    what: str
    scale: int
    limit: str  # the target in words
    value: str  # the measured figure
    verdict: Verdict
    profile_key: str = ""  # which profile explains it when not met


def _get(results: Results, scale: int, name: str) -> Measurement | None:
    return results.get(scale, {}).get(name)


def _why_missing(results: Results, scale: int, *names: str) -> Verdict:
    if scale not in results:
        return Verdict.NOT_MEASURED
    for name in names:
        found = _get(results, scale, name)
        if found is None or not found.ok:
            return (
                Verdict.UNAVAILABLE
                if found is not None and found.unavailable
                else (Verdict.NOT_MEASURED)
            )
    return Verdict.NOT_MEASURED


def _ratio_target(
    results: Results,
    what: str,
    scale: int,
    mine: str,
    other: str,
    test: Callable[[float], bool],
    limit: str,
    profile_key: str,
) -> Target:
    a, b = _get(results, scale, mine), _get(results, scale, other)
    if a is None or b is None or not a.ok or not b.ok:
        return Target(what, scale, limit, "–", _why_missing(results, scale, mine, other))
    odd = [m.name for m in (a, b) if MISMATCH in m.extra]
    if odd:
        return Target(what, scale, limit, f"{odd[0]} {MISMATCH}", Verdict.NOT_MEASURED)
    ratio = a.median / b.median
    verdict = Verdict.MET if test(ratio) else Verdict.NOT_MET
    value = f"{ratio:.2f}× ({a.median:.2f} s vs {b.median:.2f} s)"
    return Target(what, scale, limit, value, verdict, profile_key)


def _seconds_target(
    results: Results,
    what: str,
    scale: int,
    name: str,
    limit_s: float,
    limit: str,
    profile_key: str,
    in_process: bool = False,
) -> Target:
    m = _get(results, scale, name)
    if m is None or not m.ok:
        return Target(what, scale, limit, "–", _why_missing(results, scale, name))
    if in_process:
        if IN_PROCESS not in m.extra:
            why = m.note or "no in-process figure"
            return Target(what, scale, limit, why, Verdict.NOT_MEASURED)
        seconds = m.extra[IN_PROCESS]
        value = f"{seconds:.3f} s in-process ({m.median:.2f} s whole process)"
    else:
        seconds = m.median
        value = f"{seconds:.2f} s"
    verdict = Verdict.MET if seconds <= limit_s else Verdict.NOT_MET
    return Target(what, scale, limit, value, verdict, profile_key)


def _build_targets(results: Results) -> list[Target]:
    out = [
        _ratio_target(results, "changed-kit build vs plain-Markdown floor", scale, BUILD,
                      FLOOR_BUILD, lambda r: r <= 1.15, "≤ 1.15×", f"build-{scale}")
        for scale in (1000, 10000)
    ]  # fmt: skip
    big, small = _get(results, 10000, BUILD), _get(results, 1000, BUILD)
    what, limit = "build time, 10,000 vs 1,000 resources", "≤ 12×"
    if big and small and big.ok and small.ok:
        ratio = big.median / small.median
        value = f"{ratio:.1f}× ({big.median:.2f} s vs {small.median:.2f} s)"
        verdict = Verdict.MET if ratio <= 12 else Verdict.NOT_MET
        out.append(Target(what, 10000, limit, value, verdict, "build-10000"))
    else:
        out.append(Target(what, 10000, limit, "–", _why_missing(results, 10000, BUILD)))
    out.append(_seconds_target(results, "mkdocs serve: saved edit to rebuilt site", 1000, SERVE,
                               1.5, "≤ 1.5 s", "serve-1000"))  # fmt: skip
    runs = [
        m
        for m in results.get(10000, {}).values()
        if m.ok and m.name.startswith(("plnkit", "mkdocs")) and m.name != SERVE
    ]
    what, limit = "peak memory of any PLN Kit process", "≤ 400 MiB"
    if runs:
        worst = max(runs, key=lambda m: m.peak_mib)
        value = f"{worst.peak_mib:.0f} MiB ({worst.name})"
        verdict = Verdict.MET if worst.peak_mib <= 400 else Verdict.NOT_MET
        out.append(Target(what, 10000, limit, value, verdict, "memory-10000"))
    else:
        out.append(Target(what, 10000, limit, "–", Verdict.NOT_MEASURED))
    return out


def _network_targets(results: Results) -> list[Target]:
    return [
        _ratio_target(results, "links cold vs lychee", 1000, LINKS_COLD, LYCHEE,
                      lambda r: r <= 1.4, "≤ 1.4×", "links-cold"),
        _ratio_target(results, "links cold vs lychee", 10000, LINKS_COLD, LYCHEE,
                      lambda r: r <= 1.0, "≤ 1.0×", "links-cold-10000"),
        _ratio_target(results, "links cold vs linkinator", 1000, LINKS_COLD, LINKINATOR,
                      lambda r: r < 1.0, "< 1× (faster)", "links-cold"),
        _ratio_target(results, "links cold vs LinkChecker", 1000, LINKS_COLD, LINKCHECKER,
                      lambda r: r < 1.0, "< 1× (faster)", "links-cold"),
        _seconds_target(results, "links warm (all cached), whole process", 1000, LINKS_WARM,
                        0.5, "≤ 0.5 s", "links-warm"),
        _ratio_target(results, "feeds cold vs sequential requests + feedparser", 1000,
                      FEEDS_COLD, FLOOR_FEEDS, lambda r: r <= 0.30, "≤ 0.30×", "feeds-cold"),
        _seconds_target(results, "feeds warm (all 304), fetch time", 1000, FEEDS_WARM, 0.15,
                        "≤ 0.15 s", "feeds-warm", in_process=True),
    ]  # fmt: skip


def targets(results: Results) -> list[Target]:
    """Every target of the benchmark (issues 12, 17 and 18), judged on this run."""
    return [
        *_build_targets(results),
        *_network_targets(results),
        _seconds_target(results, "validate", 10000, VALIDATE, 3.0, "≤ 3 s", "validate-10000"),
    ]


def targets_table(found: list[Target]) -> str:
    rows = [
        "| target | resources | limit | measured (medians, same run) | verdict |",
        "|---|---:|---|---|---|",
    ]
    for t in found:
        mark = {Verdict.MET: "✅ met", Verdict.NOT_MET: "❌ NOT MET"}.get(
            t.verdict, t.verdict.value
        )
        rows.append(f"| {t.what} | {t.scale:,} | {t.limit} | {t.value} | {mark} |")
    return "\n".join(rows)


def ratios_table(results: Results) -> str:
    """Each PLN Kit figure over its floor and peers, per scale."""
    pairs = [
        (BUILD, FLOOR_BUILD),
        *((name, FLOOR_BUILD) for name in ENGINE_BUILDS.values()),
        (LINKS_COLD, FLOOR_LINKS),
        (LINKS_COLD, LYCHEE),
        (LINKS_COLD, LINKINATOR),
        (LINKS_COLD, LINKCHECKER),
        (FEEDS_COLD, FLOOR_FEEDS),
        (FLOOR_LINKS, LYCHEE),
        (LYCHEE, LINKINATOR),
        (LYCHEE, LINKCHECKER),
    ]
    scales = sorted(results)
    rows = [
        "| ratio (median ÷ median) | " + " | ".join(f"{s:,}" for s in scales) + " |",
        "|---|" + "---:|" * len(scales),
    ]
    for mine, other in pairs:
        cells = []
        for scale in scales:
            a, b = _get(results, scale, mine), _get(results, scale, other)
            if a is not None and a.unavailable:
                cells.append("not available in this build")
            elif a is None or b is None or not a.ok or not b.ok:
                cells.append("–")
            elif MISMATCH in a.extra or MISMATCH in b.extra:
                cells.append("not comparable")
            else:
                cells.append(f"{a.median / b.median:.2f}×")
        rows.append(f"| {mine} ÷ {other} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def results_table(results: Results, expected_broken: dict[int, int]) -> str:
    rows = [
        "| resources | measurement | median s | min–max s | CPU s | peak MiB | runs | "
        "broken found | notes |",
        "|---:|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for scale in sorted(results):
        for m in results[scale].values():
            if m.unavailable:
                rows.append(f"| {scale:,} | {m.name} | – | – | – | – | 0 | – | {m.unavailable} |")
                continue
            if not m.samples:
                rows.append(f"| {scale:,} | {m.name} | – | – | – | – | 0 | – | {m.note} |")
                continue
            broken = m.extra.get("broken")
            found = "" if broken is None else f"{int(broken)} / {expected_broken.get(scale, 0)}"
            notes = m.note
            if IN_PROCESS in m.extra:
                notes = f"in-process {m.extra[IN_PROCESS]:.3f} s. {notes}".strip()
            if ENGINE_OWN in m.extra:
                notes = f"MkDocs' own build {m.extra[ENGINE_OWN]:.2f} s. {notes}".strip()
            rows.append(
                f"| {scale:,} | {m.name} | {m.median:.3f} | {m.low:.3f}–{m.high:.3f} | "
                f"{m.cpu_median:.2f} | {m.peak_mib:.0f} | {len(m.samples)} | {found} | {notes} |"
            )
    return "\n".join(rows)
