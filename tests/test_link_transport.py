"""The link checker's connections: kept alive and replaced when a server closed them, capped,
compressed bodies decoded, and a proxy still honoured (through the session). Real local
servers, fake clock."""

from __future__ import annotations

import gzip
import http.client
import socket
import threading
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from plnkit.links.direct import DirectPool
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


def test_idle_connections_are_capped_oldest_first() -> None:
    pool = DirectPool(per_host=2, total=3)
    conns = [http.client.HTTPConnection("127.0.0.1", 9) for _ in range(5)]
    for conn in conns[:3]:
        pool.put(("http", "a", 80), conn)  # the third is over the per-host cap: closed
    pool.put(("http", "b", 80), conns[3])
    pool.put(("http", "c", 80), conns[4])  # over the total: a's oldest goes
    assert pool.take(("http", "a", 80)) is conns[1]
    assert pool.take(("http", "a", 80)) is None
    assert pool.take(("http", "c", 80)) is conns[4]


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


# -- the direct path: the same bytes as the standard library, no requests or urllib3 ----------


class _Capture:
    """Stands in for a connected socket: keeps what `HTTPConnection.request` writes."""

    def __init__(self) -> None:
        self.data = b""

    def sendall(self, data: bytes) -> None:
        self.data += data


_TARGETS = st.text(alphabet="abcxyz019-._~!$&'()*+,;=:@/?%", min_size=0, max_size=20)
_HOSTS = st.sampled_from(["example.org", "127.0.0.1", "::1", "bücherei.example", "a-b.example"])


@given(
    method=st.sampled_from(["GET", "HEAD"]),
    scheme=st.sampled_from(["http", "https"]),
    host=_HOSTS,
    port=st.sampled_from([80, 443, 8080]),
    path=_TARGETS,
    agent=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=30),
)
def test_a_direct_request_is_byte_for_byte_what_http_client_sends(
    method: str, scheme: str, host: str, port: int, path: str, agent: str
) -> None:
    from plnkit.links.direct import request_head

    target = "/" + path
    headers = {"User-Agent": agent, "Accept-Encoding": "gzip, deflate", "Accept": "*/*"}
    kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    conn = kind(host, port)
    conn.sock = _Capture()  # type: ignore[assignment]
    conn.request(method, target, headers=headers)
    assert request_head(method, target, (scheme, host, port), headers) == conn.sock.data


def test_a_direct_request_refuses_what_http_client_refuses() -> None:
    from plnkit.links.direct import request_head

    with pytest.raises(http.client.InvalidURL):
        request_head("GET", "/a b", ("http", "example.org", 80), {})
    with pytest.raises(ValueError, match="header value"):
        request_head("GET", "/", ("http", "example.org", 80), {"User-Agent": "x\r\nEvil: 1"})


@given(
    path=st.text(alphabet='abc/.%2fAé ?#[]{}|\\^`"<>', max_size=16),
    query=st.one_of(st.none(), st.text(alphabet="ab=&%2f é?/", max_size=8)),
)
def test_the_request_target_is_the_one_urllib3_would_send(path: str, query: str | None) -> None:
    from urllib3.util import parse_url

    from plnkit.links.transport import request_target

    url = "http://example.org/" + path + ("" if query is None else "?" + query)
    assert request_target(url) == (parse_url(url).request_uri or "/")


def test_without_a_session_the_headers_are_those_of_make_session() -> None:
    from plnkit.links.direct import ACCEPT_ENCODING
    from plnkit.links.transport import Transport
    from plnkit.net.http_client import make_session

    session = make_session("PLNKit-test/1")
    expected = {**session.headers, "Accept-Encoding": ACCEPT_ENCODING}
    transport = Transport(None, user_agent="PLNKit-test/1")
    assert list(transport.direct_headers.items()) == list(expected.items())
    transport.close()
