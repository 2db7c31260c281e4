"""The benchmark's own parts: a deterministic kit generator, a server with the promised mix of
answers, and verdicts that never claim what was not measured. Nothing here is timed."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import feedparser
import pytest
import requests

from plnkit.kit.loader import load_kit

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

import bench_inproc  # noqa: E402
import bench_polite  # noqa: E402
import bench_report as R  # noqa: E402
import bench_server  # noqa: E402
import gen_kit  # noqa: E402
from bench_builds import KitEdit  # noqa: E402
from bench_run import Measurement, Sample  # noqa: E402

PORTS = (18001, 18002, 18003)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.yml")}


def test_generator_is_deterministic_and_its_kit_validates(tmp_path: Path) -> None:
    spec = gen_kit.Spec(90, PORTS, seed=8)
    first = _files(gen_kit.write_kit(tmp_path / "a", spec))
    second = _files(gen_kit.write_kit(tmp_path / "b", spec))
    other = _files(gen_kit.write_kit(tmp_path / "c", gen_kit.Spec(90, PORTS, seed=9)))
    assert first == second
    assert first != other
    result = load_kit(tmp_path / "a", allow_local=True)
    assert result.ok, [p.format() for p in result.problems][:5]
    assert result.kit is not None and len(result.kit.resources) == 90
    assert sum(r.feed is not None for r in result.kit.resources) == 30
    assert {r.url.split("/")[2] for r in result.kit.resources} == {
        f"127.0.0.1:{port}" for port in PORTS
    }
    lengths = [len(r.description) for r in result.kit.resources]
    assert min(lengths) >= 20 and max(lengths) <= 300


def test_generated_kit_is_refused_without_the_local_opt_in(tmp_path: Path) -> None:
    gen_kit.write_kit(tmp_path / "kit", gen_kit.Spec(5, PORTS))
    result = load_kit(tmp_path / "kit", allow_local=False)
    assert not result.ok
    assert any("local or private address" in p.message for p in result.problems)


def test_status_mix_follows_the_issue() -> None:
    pages = Counter(bench_server.classify(f"/tab/resource-{i}/").outcome for i in range(4000))
    feeds = Counter(bench_server.classify(f"/tab/r-{i}/feed.xml").outcome for i in range(2000))
    share = {k: v / 4000 for k, v in pages.items()}
    assert share[bench_server.Outcome.OK] == pytest.approx(0.60, abs=0.03)
    assert share[bench_server.Outcome.NOT_FOUND] == pytest.approx(0.10, abs=0.02)
    assert share[bench_server.Outcome.REDIRECT] == pytest.approx(0.10, abs=0.02)
    assert share[bench_server.Outcome.SLOW] == pytest.approx(0.20, abs=0.02)
    assert set(feeds) == {bench_server.Outcome.OK, bench_server.Outcome.SLOW}
    delays = {bench_server.classify(f"/s/{i}/").delay_ms for i in range(4000)} - {0}
    assert min(delays) >= 50 and max(delays) <= 200


def _first(outcome: bench_server.Outcome, feed: bool = False) -> str:
    for i in range(1000):
        path = f"/blogs/r-{i}/feed.xml" if feed else f"/blogs/r-{i}/"
        if bench_server.classify(path).outcome is outcome:
            return path
    raise AssertionError(outcome)


@pytest.fixture
def server():
    process = subprocess.Popen(
        [sys.executable, str(SCRIPTS / "bench_server.py"), "--base-port", "0", "--hosts", "2",
         "--lifetime", "60"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        ports = json.loads(process.stdout.readline())["ports"]
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0  # a graceful stop


def test_server_answers_each_kind_of_url(server: list[str]) -> None:
    ok, gone = _first(bench_server.Outcome.OK), _first(bench_server.Outcome.NOT_FOUND)
    moved = _first(bench_server.Outcome.REDIRECT)
    for base in server:
        page = requests.get(base + ok, timeout=5)
        assert page.status_code == 200 and "<h1>" in page.text
        assert "LinkChecker" in page.headers
        assert requests.get(base + gone, timeout=5).status_code == 404
        first = requests.get(base + moved, timeout=5, allow_redirects=False)
        assert first.status_code == 301
        assert requests.get(base + moved, timeout=5).status_code == 200


def test_server_feeds_have_fifty_items_and_answer_conditional_requests(server) -> None:
    url = server[0] + _first(bench_server.Outcome.OK, feed=True)
    response = requests.get(url, timeout=5)
    parsed = feedparser.parse(response.content)
    assert len(parsed.entries) == 50
    assert "<p>" in parsed.entries[0].content[0].value
    tag, modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert requests.get(url, headers={"If-None-Match": tag}, timeout=5).status_code == 304
    assert requests.get(url, headers={"If-Modified-Since": modified}, timeout=5).status_code == 304
    assert requests.get(url, headers={"If-None-Match": '"other"'}, timeout=5).status_code == 200


def _measured(name: str, *seconds: float, peak: float = 50) -> Measurement:
    return Measurement(name, ["x"], [Sample(s, s, peak, 0) for s in seconds])


def _verdicts(results: R.Results) -> dict[tuple[str, int], R.Verdict]:
    return {(t.what, t.scale): t.verdict for t in R.targets(results)}


def test_verdicts_compare_medians_and_never_invent_figures() -> None:
    results: R.Results = {
        1000: {
            R.BUILD: _measured(R.BUILD, 1.0, 1.2, 5.0),
            R.FLOOR_BUILD: _measured(R.FLOOR_BUILD, 1.0, 1.0, 1.1),
            R.LINKS_COLD: Measurement(R.LINKS_COLD, [], unavailable="not available in this build"),
            R.LYCHEE: _measured(R.LYCHEE, 1.0),
        }
    }
    verdicts = _verdicts(results)
    assert verdicts["changed-kit build vs plain-Markdown floor", 1000] is R.Verdict.NOT_MET
    assert verdicts["links cold vs lychee", 1000] is R.Verdict.UNAVAILABLE
    assert verdicts["validate", 10000] is R.Verdict.NOT_MEASURED
    results[1000][R.BUILD] = _measured(R.BUILD, 1.05, 1.0, 9.0)
    assert _verdicts(results)["changed-kit build vs plain-Markdown floor", 1000] is R.Verdict.MET
    assert "not available in this build" in R.results_table(results, {1000: 0})


def test_links_against_lychee_are_judged_at_each_scale_by_its_own_limit() -> None:
    results: R.Results = {
        1000: {R.LINKS_COLD: _measured(R.LINKS_COLD, 1.3), R.LYCHEE: _measured(R.LYCHEE, 1.0)},
        10000: {R.LINKS_COLD: _measured(R.LINKS_COLD, 1.05), R.LYCHEE: _measured(R.LYCHEE, 1.0)},
    }
    verdicts = _verdicts(results)
    assert verdicts["links cold vs lychee", 1000] is R.Verdict.MET  # ≤ 1.4×
    assert verdicts["links cold vs lychee", 10000] is R.Verdict.NOT_MET  # ≤ 1.0×


def test_a_changed_kit_edit_changes_one_file_every_time(tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    for tab, name in (("blogs", "a"), ("blogs", "b"), ("social", "c")):
        (kit / tab).mkdir(parents=True, exist_ok=True)
        (kit / tab / f"{name}.yml").write_text(f'name: {name}\ndescription: "Old."\n')
    edit = KitEdit(kit)
    seen = set()
    for _ in range(3):
        edit()
        seen.add((kit / "blogs" / "a.yml").read_text())
    assert len(seen) == 3 and all("Edited for the benchmark" in text for text in seen)
    assert (kit / "blogs" / "b.yml").read_text() == 'name: b\ndescription: "Old."\n'


def test_in_process_driver_fills_only_arguments_it_knows() -> None:
    def api(kit, cache_dir, *, allow_local=False, retries=3):
        return kit, cache_dir, allow_local, retries

    args, kwargs = bench_inproc.bind(api, {"kit": 1, "cache_dir": 2, "allow_local": True})
    assert api(*args, **kwargs) == (1, 2, True, 3)
    with pytest.raises(ValueError, match="clock"):
        bench_inproc.bind(lambda kit, clock: None, {"kit": 1})


def test_a_checker_that_checked_other_urls_is_not_compared() -> None:
    lychee = _measured(R.LYCHEE, 1.0)
    lychee.extra[R.MISMATCH] = 1
    results: R.Results = {1000: {R.LINKS_COLD: _measured(R.LINKS_COLD, 0.5), R.LYCHEE: lychee}}
    assert _verdicts(results)["links cold vs lychee", 1000] is R.Verdict.NOT_MEASURED
    assert "not comparable" in R.ratios_table(results)


def test_peers_get_exactly_the_urls_plnkit_checks(tmp_path: Path) -> None:
    """Archived resources are not checked by plnkit, so the list the peers read leaves them
    out; otherwise plnkit would seem to miss the 404s among them."""
    from plnkit.links.collector import collect_targets

    kit_dir = gen_kit.write_kit(tmp_path / "kit", gen_kit.Spec(300, PORTS))
    kit = load_kit(kit_dir, allow_local=True).kit
    assert kit is not None
    archived = gen_kit.archived_urls(kit_dir)
    assert archived, "the generated kit has archived resources (about 3%)"
    urls, feeds = gen_kit.kit_urls(kit_dir)
    given = {u for u in urls + feeds if u not in archived}
    checked = {t.url for t in collect_targets(kit) if not t.excluded}
    assert given == checked


def test_in_process_calls_get_the_commands_settings() -> None:
    """The in-process link check runs with the limits the whole-process command was given
    (and local addresses allowed), not the library's polite defaults."""
    from plnkit.links.options import CheckOptions
    from plnkit.links.run import check_kit_links

    options = bench_inproc.options_for(
        check_kit_links, {"allow_local": True, "concurrency": 64, "min_interval": 0}
    )
    assert isinstance(options, CheckOptions)
    assert (options.allow_local, options.concurrency, options.min_interval) == (True, 64, 0)
    assert bench_inproc.setting("min_interval=0") == ("min_interval", 0)
    with pytest.raises(ValueError, match="no bogus"):
        bench_inproc.options_for(check_kit_links, {"bogus": 1})


def test_the_harness_names_parts_and_library_calls_that_exist() -> None:
    import importlib

    import bench

    for api in (bench.LINKS_API, bench.FEEDS_API):
        module, _, name = api.partition(":")
        assert callable(getattr(importlib.import_module(module), name)), api
    assert bench.parts_list("feeds, links,feeds") == ("feeds", "links")
    with pytest.raises(Exception, match="choose among validate"):
        bench.parts_list("feeds,lynx")


def test_the_polite_bound_is_the_hosts_schedule_not_each_limit_alone() -> None:
    """A slow answer keeps one of the two slots while the starts go on in the other, so the
    host takes longer than its starts 200 ms apart, its latencies over two slots or its
    slowest answer say one at a time; the bound is the schedule with all of them at once."""
    slow_first = [2.0] + [0.3] * 9
    assert bench_polite.host_floor(slow_first) == 2.35  # the latencies over two slots
    # 0.3 s answers one after another in one slot until the slow one ends at 2.0 s; then
    # three more, 200 ms apart: the last ends at 2.4 + 0.3.
    assert bench_polite.host_schedule(slow_first) == 2.7
    assert bench_polite.host_floor(slow_first) <= bench_polite.host_bound(slow_first) <= 2.7
    real = [bench_polite.latency(f"/blogs/post-{n}/") for n in range(300)]
    floor, bound = bench_polite.host_floor(real), bench_polite.host_bound(real)
    assert floor < bound <= bench_polite.host_schedule(real)
    assert bench_polite.host_schedule([0.1]) == 0.1  # one URL: its own answer


def test_the_kit_cache_comparison_builds_both_ways(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench_kit_cache.py"), "--resources", "12", "--runs", "1",
         "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "no cache / cache: wall" in done.stdout
    assert (tmp_path / "cache" / ".cache" / "plnkit" / "kit-files.json").is_file()
    assert not (tmp_path / "no-cache" / ".cache" / "plnkit" / "kit-files.json").exists()


def test_the_validate_benchmark_runs_both_inputs_and_records_one_section(tmp_path: Path) -> None:
    """scripts/bench_validate_large.py, small: the huge-file case and a generated kit cold,
    filling its cache and warm, with the same report each time, as one BENCHMARKS section."""
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench_validate_large.py"), "--keys", "300",
         "--resources", "30", "--runs", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert text.count("<!-- bench_validate_large: start -->") == 1
    assert "…and 255 more problems in this file" in text
    assert "a generated kit of 30 resource files" in text
    assert "the same report each time: yes" in text


def test_bench_compare_runs_a_past_commit_beside_this_checkout(tmp_path: Path) -> None:
    """`make bench-compare REV=...` on a small kit: both versions run, cold and warm, in the
    same loop as the floor, and the table has a row for each; a bad revision is refused."""
    script = [sys.executable, str(SCRIPTS / "bench_compare.py")]
    bad = subprocess.run([*script, "no-such-commit-xyz", "--bench-dir", str(tmp_path)],
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert bad.returncode != 0 and "is not a commit" in bad.stderr + bad.stdout
    out = tmp_path / "compare.md"
    try:
        done = subprocess.run(
            [*script, "HEAD", "--scales", "20", "--runs", "1", "--bench-dir", str(tmp_path),
             "--out", str(out)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        for place in (tmp_path / "compare").glob("*"):  # the checkout's list of worktrees
            subprocess.run(["git", "worktree", "remove", "--force", str(place)],
                           cwd=SCRIPTS.parent, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = [line for line in out.read_text().splitlines() if line.startswith("| 20 |")]
    names = {row.split(" | ")[1] for row in rows}
    assert {"check-links cold, past", "check-links cold, now", "check-links warm, past",
            "check-links warm, now", "floor: aiohttp checker"} <= names  # fmt: skip
