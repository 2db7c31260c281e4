"""Real local servers that misbehave on purpose, for the link checker tests (127.0.0.1 only)."""

from __future__ import annotations

import contextlib
import http.server
import socket
import ssl
import struct
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import trustme

from plnkit.kit.loader import load_kit
from plnkit.kit.model import Kit
from tests.conftest import write_kit


class RawServer:
    """A TCP server on 127.0.0.1 that runs `behave(conn)` for each connection it accepts."""

    def __init__(self, behave: Callable[[socket.socket, threading.Event], None]) -> None:
        self.behave = behave
        self.connections = 0
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            self._open.append(conn)
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            self.behave(conn, self.stop)

    def close(self) -> None:
        self.stop.set()
        self._thread.join(2)
        for conn in self._open:
            with contextlib.suppress(OSError):
                conn.close()
        self.sock.close()


def read_request(conn: socket.socket) -> None:
    conn.settimeout(2)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk


def silent(conn: socket.socket, stop: threading.Event) -> None:
    """Accepts, reads the request, never answers."""
    read_request(conn)
    stop.wait(10)


def reset(conn: socket.socket, stop: threading.Event) -> None:
    """Reads the request, then resets the connection (RST, not a clean close)."""
    read_request(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def truncated(conn: socket.socket, stop: threading.Event) -> None:
    """Promises 1000 bytes, sends 10, hangs up."""
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: text/html\r\n\r\n")
    conn.sendall(b"<html>cut ")
    conn.close()


@contextlib.contextmanager
def raw_server(behave: Callable[[socket.socket, threading.Event], None]) -> Iterator[RawServer]:
    server = RawServer(behave)
    try:
        yield server
    finally:
        server.close()


def refused_url() -> str:
    """A local port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


class _Ok(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        body = b"<html>fine</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@contextlib.contextmanager
def ok_server(tls: ssl.SSLContext | None = None) -> Iterator[tuple[str, type[_Ok]]]:
    """A plain server answering 200 to every GET; yields (base URL, handler class with hits)."""
    handler = type("Handler", (_Ok,), {"hits": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    scheme = "https" if tls else "http"
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def self_signed(names: tuple[str, ...] = ("127.0.0.1",)) -> tuple[ssl.SSLContext, trustme.CA]:
    """A server TLS context with a certificate (for `names`) from a throwaway CA nobody
    trusts."""
    ca = trustme.CA()
    cert = ca.issue_cert(*names)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    return context, ca


def resource_yaml(name: str, url: str, feed: str | None = None, extra: str = "") -> str:
    body = (
        f"name: {name}\nurl: {url}\nkind: community\n"
        "description: A resource used by the link checker tests, nothing more.\n"
    )
    if feed:
        body += f"feed: {feed}\n"
    return body + extra


def link_kit(root: Path, urls: dict[str, str], feeds: dict[str, str] | None = None) -> Kit:
    """A kit with one community resource per slug → URL (local URLs allowed)."""
    feeds = feeds or {}
    write_kit(
        root,
        {
            f"communities/{slug}.yml": resource_yaml(slug, url, feeds.get(slug))
            for slug, url in urls.items()
        },
    )
    result = load_kit(root / "kit", allow_local=True)
    assert result.kit is not None and result.ok, [p.format() for p in result.problems]
    return result.kit
