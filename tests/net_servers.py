"""Test doubles for the HTTP client: a resolver that answers from a table, and raw servers on
127.0.0.1 that drip, never end their headers, or count the requests they serve at once."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

from aiohttp.abc import AbstractResolver, ResolveResult

from tests.link_servers import read_request


class TableResolver(AbstractResolver):
    """Resolves the names of `table` (folded: case, a trailing dot) to its addresses; any
    other name does not exist. The stand-in for a DNS that points names where it likes."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = {"localhost": "127.0.0.1"}  # where pytest-httpserver listens
        self.table.update((k.lower().rstrip("."), v) for k, v in table.items())
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        address = self.table.get(host.lower().rstrip("."))
        if address is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        kind = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [{"hostname": host, "host": address, "port": port, "family": kind,
                 "proto": 0, "flags": socket.AI_NUMERICHOST}]  # fmt: skip

    async def close(self) -> None:
        pass


def resolving(table: dict[str, str]) -> Callable[[], AbstractResolver]:
    return lambda: TableResolver(table)


def drip_body(conn: socket.socket, stop: threading.Event) -> None:
    """Headers at once, then the body a byte a second."""
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: text/html\r\n\r\n")
    while not stop.wait(1):
        conn.sendall(b"x")


def drip_headers(conn: socket.socket, stop: threading.Event) -> None:
    """The status line and headers a byte a second."""
    read_request(conn)
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"y" * 1000:
        if stop.wait(1):
            return
        conn.sendall(bytes([byte]))


def endless_headers(conn: socket.socket, stop: threading.Event) -> None:
    """A status line, then header after header, never the blank line that ends them."""
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    n = 0
    while not stop.is_set():
        conn.sendall(b"X-Pad-%d: y\r\n" % n)
        n += 1
        time.sleep(0.001)


class BusyCounter:
    """Counts the requests a server is busy with at once, across all its connections.

    Each path answers 503 the first `fail_first` times (so retries happen), then 200; each
    answer takes `hold` seconds, long enough for requests to overlap if nothing stops them.
    `log`, shared by several servers, gets (`name`, path) of every request as it arrives."""

    def __init__(
        self, hold: float = 0.05, fail_first: int = 1, name: str = "",
        log: list[tuple[str, bytes]] | None = None,
    ) -> None:  # fmt: skip
        self.hold, self.fail_first = hold, fail_first
        self.name, self.log = name, log if log is not None else []
        self.busy = self.peak = self.served = 0
        self.seen: dict[bytes, int] = {}
        self.hosts: set[bytes] = set()
        self.lock = threading.Lock()

    def __call__(self, conn: socket.socket, stop: threading.Event) -> None:
        conn.settimeout(5)
        buffer = b""
        while not stop.is_set():
            while b"\r\n\r\n" not in buffer:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                buffer += chunk
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            path = lines[0].split(b" ")[1]
            host = next((ln[5:].strip() for ln in lines if ln.lower().startswith(b"host:")), b"")
            with self.lock:
                self.busy += 1
                self.peak = max(self.peak, self.busy)
                self.served += 1
                self.log.append((self.name, path))
                self.hosts.add(host.lower())
                count = self.seen[path] = self.seen.get(path, 0) + 1
            time.sleep(self.hold)
            status = b"503 Service Unavailable" if count <= self.fail_first else b"200 OK"
            with self.lock:
                self.busy -= 1
            conn.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Length: 2\r\n\r\nok")
