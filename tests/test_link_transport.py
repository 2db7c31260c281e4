"""The link checker's connections through the one client: kept alive and replaced when a
server closed them, compressed bodies decoded, a proxy from the environment honoured. Real
local servers, fake clock."""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from plnkit.links.options import CheckOptions
from plnkit.links.run import check_kit_links
from plnkit.links.types import LinkState
from plnkit.net.clock import FakeClock
from plnkit.store import StateStore
from tests.link_servers import link_kit, raw_server, read_request

FAST = {"allow_local": True, "min_interval": 0, "timeout": 2.0, "canaries": 0}
WALL = b"<html><title>Just a moment...</title>Please complete the captcha.</html>"


def check(root: Path, urls: dict[str, str], **options):
    kit = link_kit(root, urls)
    report = check_kit_links(
        kit, StateStore(root / "cache"), CheckOptions(**{**FAST, **options}), clock=FakeClock()
    )
    return {e.use.slug: e.result for e in report.entries}


def raw_deflate(data: bytes) -> bytes:
    squeeze = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return squeeze.compress(data) + squeeze.flush()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [("gzip", gzip.compress(WALL)), ("deflate", zlib.compress(WALL)),
     ("deflate", raw_deflate(WALL))],
    ids=["gzip", "deflate-zlib", "deflate-raw"],
)  # fmt: skip
def test_a_compressed_bot_wall_is_read_decoded(
    httpserver: HTTPServer, tmp_path: Path, encoding: str, body: bytes
) -> None:
    httpserver.expect_request("/wall").respond_with_data(
        body, status=403, headers={"Content-Encoding": encoding}
    )
    result = check(tmp_path, {"site": httpserver.url_for("/wall")})["site"]
    assert result.state is LinkState.BLOCKED, "the challenge words are seen once decoded"


def test_a_corrupt_compressed_body_is_cut_short(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/bad").respond_with_data(
        b"\x1f\x8b\x08\x00 certainly not gzip", headers={"Content-Encoding": "gzip"}
    )
    result = check(tmp_path, {"site": httpserver.url_for("/bad")}, retries=0)["site"]
    assert result.state is LinkState.TRANSIENT and "cut short" in (result.error or "")


def keep_alive(answers_per_connection: int):
    """Answers up to `answers_per_connection` requests on a connection, each without
    `Connection: close`, then hangs up without a word (as servers do with idle ones)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        for _ in range(answers_per_connection):
            read_request(conn)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        conn.close()

    return behave


@pytest.mark.parametrize(("per_connection", "connections"), [(10, 1), (1, 4)])
def test_connections_are_kept_alive_and_replaced_once_closed(
    tmp_path: Path, per_connection: int, connections: int
) -> None:
    with raw_server(keep_alive(per_connection)) as server:
        urls = {f"page-{n}": server.url(f"/{n}") for n in range(4)}
        results = check(tmp_path, urls, concurrency=1, retries=0)
        assert {r.state for r in results.values()} == {LinkState.OK}
        assert {r.attempts for r in results.values()} == {1}, "a closed connection is no retry"
        assert server.connections == connections


def test_a_proxy_from_the_environment_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines: list[bytes] = []

    def proxy(conn: socket.socket, stop: threading.Event) -> None:
        conn.settimeout(2)
        lines.append(conn.recv(4096).split(b"\r\n", 1)[0])
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        conn.close()

    with raw_server(proxy) as server:
        monkeypatch.setenv("HTTP_PROXY", server.url())
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        result = check(tmp_path, {"site": "http://pln.example.invalid/page"})["site"]
    assert result.state is LinkState.OK, result.error
    assert lines == [b"GET http://pln.example.invalid/page HTTP/1.1"]


# -- what a run loads ------------------------------------------------------------------


def test_a_link_check_loads_one_http_library_and_a_cached_one_none(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """A check asks through aiohttp alone (no requests, no urllib3); a run where every URL is
    fresh in the store asks nobody, so it does not even load aiohttp."""
    httpserver.expect_request("/fine").respond_with_data("fine")
    kit = link_kit(tmp_path, {"fine": httpserver.url_for("/fine")})
    script = (
        "import sys\n"
        "from plnkit.cli import main\n"
        f"code = main(['check-links', {str(kit.root)!r}, '--allow-local', '--cache-dir', "
        f"{str(tmp_path / 'c')!r}, '--min-interval', '0'])\n"
        "avoided = ('requests', 'urllib3')\n"
        "loaded = sorted(m for m in avoided if m in sys.modules)\n"
        "print('loaded:', loaded)\n"
        "sys.exit(code)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "loaded: []" in done.stdout
    assert len(httpserver.log) == 1
    cached = script.replace("avoided = (", "avoided = ('aiohttp', ")
    done = subprocess.run(
        [sys.executable, "-c", cached], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "loaded: []" in done.stdout, "a fully cached run loaded the HTTP client"
    assert len(httpserver.log) == 1
