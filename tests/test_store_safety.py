"""The state store under real concurrent runs, bad records, newer formats and bad options.

Every test here runs the real commands as separate processes (`python -m plnkit …`), as the
workflows do; nothing is threads pretending to be runs.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MKDOCS_YML, write_kit
from tests.link_servers import resource_yaml

SLUGS = ("alpha", "beta", "gamma", "delta", "epsilon")
GONE = "/gone.xml"


def plnkit(*args: str, cwd: Path, env: dict[str, str] | None = None,
           timeout: float = 120) -> subprocess.CompletedProcess[str]:  # fmt: skip
    full = {**os.environ, "PLNKIT_ALLOW_LOCAL": "1", "CI": "1", **(env or {})}
    full.pop("PLNKIT_OFFLINE", None)
    return subprocess.run(
        [sys.executable, "-m", "plnkit", *args], cwd=cwd, env=full, capture_output=True,
        text=True, timeout=timeout, check=False,
    )  # fmt: skip


def start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PLNKIT_ALLOW_LOCAL": "1", "CI": "1"}
    env.pop("PLNKIT_OFFLINE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "plnkit", *args], cwd=cwd, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


@contextlib.contextmanager
def slow_server(delay: float) -> Iterator[str]:
    """Pages that answer 200 after `delay` seconds; GONE answers 404 (a failing feed)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delay)
            status = 404 if self.path == GONE else 200
            body = b"<!doctype html><title>t</title>page"
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_GET

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def five_kit(root: Path, base: str) -> None:
    """Five resources with their own pages, all naming the one failing feed."""
    write_kit(root, {
        f"communities/{slug}.yml": resource_yaml(slug, f"{base}/{slug}", f"{base}{GONE}")
        for slug in SLUGS
    })  # fmt: skip


def stored(cache: Path, name: str = "links") -> dict:
    return json.loads((cache / f"{name}.json").read_text())


def seed_failures(cache: Path, url: str, count: int) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    record = {"state": "broken", "http_status": 404, "checked_at": "2026-01-01T00:00:00Z",
              "first_failed_at": "2026-01-01T00:00:00Z", "failures_in_a_row": count,
              "health": "failing"}  # fmt: skip
    (cache / "links.json").write_text(json.dumps({"version": 1, "data": {"urls": {url: record}}}))


def test_five_concurrent_only_runs_keep_every_result_and_count_every_failure(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    with slow_server(delay=0.6) as base:
        five_kit(tmp_path, base)
        seed_failures(cache, f"{base}{GONE}", 2)
        common = ("--cache-dir", str(cache), "--min-interval", "0", "--timeout", "20")
        runs = [start("check-links", "kit", "--only", slug, *common, cwd=tmp_path)
                for slug in SLUGS]  # fmt: skip
        outputs = [run.communicate(timeout=180) for run in runs]
    # The failing feed becomes dead in exactly one of the runs (judged on the merged history).
    assert sorted(run.returncode for run in runs) == [0, 0, 0, 0, 1], outputs
    assert sum("newly dead" in out for out, _err in outputs) == 1
    urls = stored(cache)["data"]["urls"]
    assert {f"{base}/{slug}" for slug in SLUGS} <= urls.keys(), "every run's result is kept"
    assert all(urls[f"{base}/{slug}"]["state"] == "ok" for slug in SLUGS)
    gone = urls[f"{base}{GONE}"]
    assert gone["failures_in_a_row"] == 7, "2 stored + one failure from each of five runs"
    assert len(gone["recent"]) == 5
    assert not list(cache.glob(".links.*.tmp"))


def hold_lock(cache: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the store's lock (as a long write would)."""
    code = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(cache / '.lock')!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "os.write(fd, b'pid %d: a test holding the lock' % os.getpid())\n"
        "print('held', flush=True)\n"
        f"time.sleep({seconds})\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_held_lock_is_waited_for_then_refused_with_a_clear_message(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    with slow_server(delay=0) as base:
        five_kit(tmp_path, base)
        holder = hold_lock(cache, 30)
        try:
            done = plnkit("check-links", "kit", "--only", "alpha", "--cache-dir", str(cache),
                          "--min-interval", "0", cwd=tmp_path,
                          env={"PLNKIT_STORE_LOCK_WAIT": "1"})  # fmt: skip
        finally:
            holder.kill()
            holder.wait()
        assert done.returncode == 0, done.stderr
        assert "waiting up to 1 s for the state store lock" in done.stderr
        assert "a test holding the lock" in done.stderr
        assert "this run stores nothing there" in done.stderr
        assert not (cache / "links.json").exists()
        # Once the lock is free, the next run waits for nobody and stores.
        again = plnkit("check-links", "kit", "--only", "alpha", "--cache-dir", str(cache),
                       "--min-interval", "0", cwd=tmp_path)  # fmt: skip
        assert again.returncode == 0 and "waiting" not in again.stderr
        assert f"{base}/alpha" in stored(cache)["data"]["urls"]


BAD_RECORD = {"state": ["ok"], "checked_at": "2026-01-01T00:00:00Z"}


def test_a_wrong_typed_record_is_one_warning_for_check_links_and_the_build(
    tmp_path: Path,
) -> None:
    cache = tmp_path / ".cache" / "plnkit"
    cache.mkdir(parents=True)
    with slow_server(delay=0) as base:
        five_kit(tmp_path, base)
        good = {"state": "ok", "checked_at": "2026-01-01T00:00:00Z", "http_status": 200}
        urls = {f"{base}/bad": BAD_RECORD, f"{base}/kept-elsewhere": good}
        (cache / "links.json").write_text(json.dumps({"version": 1, "data": {"urls": urls}}))
        done = plnkit("check-links", "kit", "--only", "alpha", "--min-interval", "0",
                      cwd=tmp_path)  # fmt: skip
        assert done.returncode == 0, done.stderr
        warnings = [line for line in done.stderr.splitlines() if f"{base}/bad" in line]
        assert len(warnings) == 1 and "links.json" in warnings[0], done.stderr
        assert "Traceback" not in done.stderr
        after = stored(cache)["data"]["urls"]
        assert f"{base}/bad" not in after and f"{base}/kept-elsewhere" in after
        assert f"{base}/alpha" in after
        # The site build reads the same store: a bad record is a warning there too.
        (cache / "links.json").write_text(json.dumps({"version": 1, "data": {"urls": urls}}))
        (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "index.md").write_text("# Home\n")
        build = subprocess.run(
            [Path(sys.executable).parent / "mkdocs", "build", "--site-dir", "site"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
            env={**os.environ, "PLNKIT_OFFLINE": "1", "PLNKIT_ALLOW_LOCAL": "1"},
        )  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    assert f"{base}/bad" in build.stderr and "dropped the record" in build.stderr


def test_a_newer_store_file_is_left_alone_unless_migrate(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    with slow_server(delay=0) as base:
        five_kit(tmp_path, base)
        future = {"version": 2, "data": {"urls": {
            f"{base}/beta": {"state": "ok", "checked_at": "2026-01-01T00:00:00Z",
                             "new_field": {"only": "v2 knows"}},
            f"{base}/odd": {"state": {"v2": "shape"}},
        }, "v2_index": [1, 2, 3]}}  # fmt: skip
        raw = json.dumps(future).encode()
        (cache / "links.json").write_bytes(raw)
        args = ("check-links", "kit", "--only", "alpha", "--cache-dir", str(cache),
                "--min-interval", "0")  # fmt: skip
        done = plnkit(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "format version 2, newer than this plnkit knows (1)" in done.stderr
        assert (cache / "links.json").read_bytes() == raw, "never overwritten"
        migrated = plnkit(*args, "--migrate", cwd=tmp_path)
        assert migrated.returncode == 0, migrated.stderr
    after = stored(cache)
    assert after["version"] == 1
    assert {f"{base}/alpha", f"{base}/beta"} <= after["data"]["urls"].keys()
    assert f"{base}/odd" not in after["data"]["urls"], "what this version cannot read is dropped"


def test_fetch_feeds_leaves_a_newer_feeds_file_alone(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    raw = b'{"version": 3, "data": {"feeds": {"alpha": {"posts": "v3"}}}}'
    (cache / "feeds.json").write_bytes(raw)
    with slow_server(delay=0) as base:
        five_kit(tmp_path, base)
        done = plnkit("fetch-feeds", "kit", "--cache-dir", str(cache), "--min-interval", "0",
                      "--no-discover", cwd=tmp_path)  # fmt: skip
    assert "format version 3" in done.stdout + done.stderr
    assert (cache / "feeds.json").read_bytes() == raw


@pytest.mark.parametrize(
    ("command", "option"),
    [("check-links", "--timeout=nan"), ("check-links", "--min-interval=inf"),
     ("check-links", "--concurrency=1000000"), ("check-links", "--max-age-hours=-1"),
     ("fetch-feeds", "--per-host=0"), ("fetch-feeds", "--timeout=-1"),
     ("fetch-feeds", "--min-interval=nan"), ("fetch-feeds", "--max-age-hours=inf")],
)  # fmt: skip
def test_numeric_options_refuse_values_out_of_sense(
    tmp_path: Path, command: str, option: str
) -> None:
    write_kit(tmp_path)
    done = plnkit(command, "kit", option, "--offline", cwd=tmp_path)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert f"argument {option.split('=')[0]}" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["check-links", "fetch-feeds"])
@pytest.mark.parametrize(
    "option",
    ["--timeout", "--min-interval", "--concurrency", "--per-host", "--max-age-hours"],
)
@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "-1", "1e12", "x"])
def test_every_numeric_option_parses_only_sensible_values(
    command: str, option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from plnkit.cli import build_parser

    parser = build_parser(("plnkit.commands.check_links", "plnkit.commands.fetch_feeds"))
    with pytest.raises(SystemExit) as refused:
        parser.parse_args([command, f"{option}={value}"])
    assert refused.value.code == 2
    assert f"argument {option}" in capsys.readouterr().err


def test_a_file_of_100000_unknown_keys_validates_in_seconds_with_a_capped_report(
    tmp_path: Path,
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from bench_validate_large import write_kit as big_kit

    path = big_kit(tmp_path, 100_000)
    assert 800_000 < path.stat().st_size < 1_000_000
    started = time.perf_counter()
    done = plnkit("validate", "kit", cwd=tmp_path)
    seconds = time.perf_counter() - started
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert len(lines) <= 53, "at most 50 problems a file, the '…and N more' line, a summary"
    assert lines[-2].startswith("kit/blogs/big.yml:")
    more = re.search(r"error: …and ([\d,]+) more problems in this file$", lines[-2])
    assert more, lines[-2]
    counted = re.fullmatch(r"kit: (\d+) error\(s\), (\d+) warning\(s\)", lines[-1])
    assert counted, lines[-1]
    total = int(counted[1]) + int(counted[2])
    assert total > 100_000, "the count is of them all"
    assert len(lines) - 2 + int(more[1].replace(",", "")) == total
    assert seconds < 60, f"{seconds:.1f} s (a shared machine; about 2 s of CPU when idle)"
    every = plnkit("validate", "kit", "--max-problems", "0", cwd=tmp_path)
    assert len(every.stdout.splitlines()) == total + 1
