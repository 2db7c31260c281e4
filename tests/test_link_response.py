"""The link checker's own header reading gives exactly what `http.client` gives, whatever the
header block looks like (plain, repeated, folded, malformed), and its responses behave like
the standard library's on a real local server."""

from __future__ import annotations

import http.client
import io
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from plnkit.links.response import Connection, Response, header_pairs, parse_headers

BLOCKS = [
    b"Content-Type: text/html\r\nContent-Length: 12\r\n\r\n",
    b"Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Frame-Options: DENY\r\n\r\n",
    b"X-Trailing: value with spaces   \r\nX-Leading:\t  tabbed\r\n\r\n",
    b"X-Empty:\r\nX-Colon: a:b:c\r\n\r\n",
    b"X-Folded: first\r\n  second line\r\nServer: x\r\n\r\n",
    b"Not a header line\r\nServer: x\r\n\r\n",
    b"Name With Space: x\r\n\r\n",
    b"X-Cr: a\rb\r\n\r\n",
    b"From someone\r\n\r\n",
    b"X-Latin: caf\xe9\r\nX-Bare-Newline: yes\n\n",
    b"Server: x\r\n",  # the connection ended before the blank line
    b"\r\n",
]


def stdlib(block: bytes) -> list[tuple[str, str]]:
    return http.client.parse_headers(io.BytesIO(block)).items()


@pytest.mark.parametrize("block", BLOCKS)
def test_headers_match_the_standard_library(block: bytes) -> None:
    message, plain = parse_headers(io.BytesIO(block))
    assert message.items() == stdlib(block)
    expected: dict[str, str] = {}
    for name, value in stdlib(block):
        key = name.lower()
        expected[key] = f"{expected[key]}, {value}" if key in expected else value
    assert plain == expected


def test_unusual_blocks_go_to_the_email_parser() -> None:
    folded = http.client._read_headers(io.BytesIO(BLOCKS[4]))
    assert header_pairs(folded) is None
    plain = http.client._read_headers(io.BytesIO(BLOCKS[0]))
    assert header_pairs(plain) == [("Content-Type", "text/html"), ("Content-Length", "12")]


line = st.text(alphabet=string.printable.replace("\x0b", "").replace("\x0c", ""), max_size=40)


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(st.lists(line, max_size=6))
def test_any_block_matches_the_standard_library(lines: list[str]) -> None:
    block = "".join(f"{text}\r\n" for text in lines if text.strip("\r\n")) + "\r\n"
    raw = block.encode("latin-1")
    assert parse_headers(io.BytesIO(raw))[0].items() == stdlib(raw)


def test_a_response_reads_like_the_standard_librarys(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/page").respond_with_data(
        "hello", headers={"X-Frame-Options": "DENY", "Set-Cookie": "a=1"}
    )
    conn = Connection("127.0.0.1", httpserver.port, timeout=5)
    try:
        conn.request("GET", "/page")
        response = conn.getresponse()
        assert isinstance(response, Response)
        assert response.status == 200 and response.read() == b"hello"
        assert response.getheader("x-frame-options") == "DENY"
        assert response.plain_headers["content-length"] == "5"
        conn.request("HEAD", "/page")  # the same connection, kept alive or reopened
        head = conn.getresponse()
        assert head.status in (200, 405) and head.read() == b""
    finally:
        conn.close()


class _Sock:
    """Enough of a socket for `HTTPResponse`: `makefile` gives the canned bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def makefile(self, mode: str) -> io.BytesIO:
        return io.BytesIO(self.data)


HEADS = [
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nhello",
    b"HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n",
    b"HTTP/1.0 200 OK\r\nKeep-Alive: timeout=5\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.0 200 OK\r\nProxy-Connection: keep-alive\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nX-Folded: a\r\n  b\r\nContent-Length: 2\r\n\r\nok",
]


@pytest.mark.parametrize("raw", HEADS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_response_decides_like_the_standard_library(raw: bytes, method: str) -> None:
    """Keep-alive, length and chunking come out as http.client decides them, and the
    message built on demand is the one it builds."""
    ours = Response(_Sock(raw), method=method)  # type: ignore[arg-type]
    theirs = http.client.HTTPResponse(_Sock(raw), method=method)  # type: ignore[arg-type]
    ours.begin()
    theirs.begin()
    seen = ("status", "version", "will_close", "length", "chunked")
    assert {k: getattr(ours, k) for k in seen} == {k: getattr(theirs, k) for k in seen}
    assert ours.headers.items() == theirs.headers.items()
    assert ours.getheader("content-length") == theirs.getheader("content-length")
    assert ours.read() == theirs.read()
