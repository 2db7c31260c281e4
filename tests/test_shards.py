"""Sharded link checks and feed fetches: hosts split by a stable hash, shard files merged.

The main test runs `check-links --shard K/4` and `fetch-feeds --shard K/4` as four separate
processes at once against local servers, merges their files with `plnkit merge-state`, and
compares the store with the one a single run leaves, over two rounds of history.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plnkit.links import history
from plnkit.links import shards as link_shards
from plnkit.links.types import CheckResult, Failure, LinkState
from plnkit.net.shards import Shard, parse_shard, shard_of
from plnkit.store import StateStore
from tests.conftest import write_kit
from tests.link_servers import resource_yaml

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<link>http://example.org/</link><description>d</description>
<item><title>Post one</title><link>http://example.org/1</link><guid>p1</guid>
<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item></channel></rss>"""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/ok") or self.path.startswith("/page"):
            self._send(200, b"<html><body>fine</body></html>", "text/html")
        elif self.path.startswith("/feed"):
            self._send(200, RSS, "application/rss+xml")
        elif self.path.startswith("/moved"):
            self.send_response(301)
            self.send_header("Location", "/ok-new")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, b"gone", "text/plain")

    do_HEAD = do_GET

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def servers(count: int) -> Iterator[list[str]]:
    """`count` local HTTP servers, one host each (127.0.0.1 on its own port)."""
    running = []
    for _ in range(count):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        running.append(server)
    try:
        yield [f"http://127.0.0.1:{s.server_address[1]}" for s in running]
    finally:
        for server in running:
            server.shutdown()
            server.server_close()


def plnkit(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PLNKIT_ALLOW_LOCAL": "1", "CI": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "plnkit", *args], env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def finished(*procs: subprocess.Popen[str]) -> list[int]:
    codes = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode in (0, 1), out
        codes.append(proc.returncode)
    return codes


TIMES = {"checked_at", "last_ok_at", "first_failed_at", "last_failed_at", "refreshed_at",
         "next_poll_at", "seen_at", "discovered_at"}  # fmt: skip


def timeless(value: Any) -> Any:
    """A stored document with every time replaced by whether there was one."""
    if isinstance(value, dict):
        return {k: (v is not None) if k in TIMES else timeless(v) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) == 2 and isinstance(value[0], str) and value[0][:2] == "20":
            return ["time", value[1]]  # a `recent` pair: [checked_at, state]
        return [timeless(v) for v in value]
    return value


def stored(cache: Path, name: str) -> Any:
    return timeless(json.loads((cache / f"{name}.json").read_text())["data"])


def test_parse_shard_and_its_mistakes() -> None:
    assert parse_shard(" 3 / 8 ") == Shard(3, 8) and str(Shard(3, 8)) == "3/8"
    for text in ("0/4", "5/4", "1/0", "1/257", "a/b", "2"):
        with pytest.raises(ValueError):
            parse_shard(text)


def test_every_host_in_exactly_one_shard_whatever_its_spelling() -> None:
    urls = [f"https://host{i}.example/p{j}" for i in range(200) for j in range(3)]
    for count in (1, 4, 7):
        owners = {Shard(k, count): [u for u in urls if Shard(k, count).holds(u)]
                  for k in range(1, count + 1)}  # fmt: skip
        assert sorted(u for found in owners.values() for u in found) == sorted(urls)
        by_host: dict[str, set[int]] = {}
        for url in urls:
            by_host.setdefault(url.split("/")[2], set()).add(shard_of(url, count))
        assert all(len(s) == 1 for s in by_host.values())
    same = ["https://Host7.example/a", "https://www.host7.example./b", "http://host7.example/c"]
    assert len({shard_of(u, 16) for u in same}) == 1
    # The same answer in another process (Python's own hash() would differ).
    code = "from plnkit.net.shards import shard_of; print(shard_of('https://a.example/', 97))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "123"}, check=True)  # fmt: skip
    assert int(done.stdout) == shard_of("https://a.example/", 97)


def test_four_shards_in_four_processes_store_what_one_run_stores(tmp_path: Path) -> None:
    with servers(10) as hosts:
        files = {}
        for h, host in enumerate(hosts):
            files[f"communities/ok-{h}.yml"] = resource_yaml(f"Ok {h}", f"{host}/ok{h}",
                                                             feed=f"{host}/feed{h}.xml")
            files[f"blogs/gone-{h}.yml"] = resource_yaml(f"Gone {h}", f"{host}/gone{h}")
            files[f"communities/moved-{h}.yml"] = resource_yaml(f"Moved {h}", f"{host}/moved{h}")
        kit = write_kit(tmp_path, files)
        owners = {shard_of(h, 4) for h in hosts}
        assert len(owners) > 1, "the hosts fall in several shards"
        single, sharded = tmp_path / "single", tmp_path / "sharded"
        limits = ("--min-interval", "0", "--timeout", "5")
        for round_ in (1, 2):
            out = tmp_path / f"round{round_}"
            for command, doc in (("check-links", "links"), ("fetch-feeds", "feeds")):
                extra = ("--max-age-hours", "0") if command == "check-links" else ("--force",)
                finished(plnkit(command, str(kit), "--cache-dir", str(single), *limits, *extra))
                shard_files = [out / f"{doc}-{k}.json" for k in range(1, 5)]
                finished(*(
                    plnkit(command, str(kit), "--cache-dir", str(sharded), *limits, *extra,
                           "--shard", f"{k}/4", "--shard-file", str(shard_files[k - 1]))
                    for k in range(1, 5)
                ))  # fmt: skip
                assert not (sharded / f"{doc}.json").exists() or round_ > 1
                report = out / f"{doc}-report.json"
                merge = plnkit("merge-state", *map(str, shard_files), "--cache-dir",
                               str(sharded), "--json", str(report))  # fmt: skip
                finished(merge)
                assert stored(sharded, doc) == stored(single, doc), (command, round_)
            states = {r["slug"]: (r["state"], r["health"])
                      for r in json.loads((out / "links-report.json").read_text())["results"]
                      if r["kind"] == "url"}  # fmt: skip
            assert states["gone-0"] == ("broken", "failing")
            assert states["moved-0"] == ("redirected", "healthy") and len(states) == 30
        links = json.loads((single / "links.json").read_text())["data"]["urls"]
        assert links[f"{hosts[0]}/gone0"]["failures_in_a_row"] == 2


def _result(url: str, state: LinkState, failure: Failure | None = None) -> dict[str, Any]:
    return link_shards.result_json(
        CheckResult(url, state, "2026-01-05T10:00:00Z", failure=failure)
    )


def _document(shard: str, results: list[dict[str, Any]], outage: bool) -> dict[str, Any]:
    return {
        "format": link_shards.FORMAT, "version": link_shards.VERSION, "document": "links",
        "shard": shard, "generated_at": "2026-01-05T10:00:00Z", "offline": False,
        "outage": outage, "requests": len(results), "seconds": 1.0, "archives": {},
        "results": {r["url"]: r for r in results}, "entries": [],
    }  # fmt: skip


def test_an_outage_in_one_shard_changes_nothing_of_its_hosts(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    earlier = CheckResult("https://a.example/", LinkState.OK, "2026-01-01T10:00:00Z")
    kept = history.updated(None, earlier, dead_after_runs=3, dead_after_days=7)
    history.save(store, {"https://a.example/": kept, "https://b.example/": kept})
    down = _document("1/2", [_result("https://a.example/", LinkState.TRANSIENT,
                                     Failure.REFUSED)], outage=True)  # fmt: skip
    up = _document("2/2", [_result("https://b.example/", LinkState.BROKEN)], outage=False)
    merged = link_shards.merge(store, [down, up], dead_after_runs=3, dead_after_days=7)
    assert merged.outages == ["1/2"] and merged.applied == 1 and merged.stored
    records = history.load(store)
    assert records["https://a.example/"] == kept
    assert records["https://b.example/"]["state"] == "broken"
    assert merged.report is not None and not merged.report.outage


def test_merge_state_refuses_mixed_or_repeated_shards(tmp_path: Path) -> None:
    from plnkit.cli import main

    paths = []
    for name, shard in (("a", "1/2"), ("b", "1/2"), ("c", "1/3")):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(_document(shard, [], outage=False)))
        paths.append(str(path))
    cache = ["--cache-dir", str(tmp_path / "c")]
    assert main(["merge-state", paths[0], paths[1], *cache]) == 2  # shard 1/2 twice
    assert main(["merge-state", paths[0], paths[2], *cache]) == 2  # N of 2 and of 3
    (tmp_path / "junk.json").write_text("{}")
    assert main(["merge-state", str(tmp_path / "junk.json"), *cache]) == 2
    assert main(["merge-state", paths[0], *cache]) == 0  # 2/2 missing: a warning
