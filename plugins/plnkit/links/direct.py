"""Keep-alive HTTP/1.1 connections on the standard library's `http.client`, for link checks.

A link check is thousands of small requests, and with many threads the interpreter's lock
makes the CPU time of each one the limit: urllib3's pool and response objects cost about as
much again as `http.client` itself. So plain connections (no proxy, TLS verified against the
session's CA bundle) go through this small pool; `Transport` sends everything else (a proxy,
a client certificate, a custom adapter) through the session's urllib3 pools as before.

TLS: `ssl.create_default_context` (certificate and host name always verified, TLS 1.2 or
newer), with the CA bundle the session would use. Bodies compressed with gzip or deflate are
decoded as they are read; `Accept-Encoding` names only those two.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

from plnkit.links.response import Connection, Response, SecureConnection

ACCEPT_ENCODING = "gzip, deflate"


class ConnectTimeout(OSError):
    """Connecting took longer than the timeout (a read that times out is a TimeoutError)."""


class ConnectFailed(OSError):
    """No connection: the network or the host is unreachable."""


class BadEncoding(ValueError):
    """A compressed body that does not decompress."""


STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
         ConnectionAbortedError)  # fmt: skip


@cache
def tls_context(ca_bundle: str) -> ssl.SSLContext:
    """A verifying client context trusting `ca_bundle` (a PEM file or a folder of them)."""
    if Path(ca_bundle).is_dir():
        return ssl.create_default_context(capath=ca_bundle)
    return ssl.create_default_context(cafile=ca_bundle)


Key = tuple[str, str, int]  # scheme, host, port
# What http.client refuses in a request target (it would let a URL inject header lines).
_BAD_TARGET = re.compile("[\x00-\x20\x7f]")


@lru_cache(maxsize=256)
def _host_line(key: Key) -> bytes:
    """The `Host:` header line http.client would write for this connection."""
    scheme, host, port = key
    try:
        name = host.encode("ascii")
    except UnicodeEncodeError:
        name = host.encode("idna")
    if ":" in host:
        name = b"[" + name + b"]"  # an IPv6 address
    if port != (443 if scheme == "https" else 80):
        name += b":%d" % port
    return b"Host: " + name + b"\r\n"


@lru_cache(maxsize=64)
def _header_lines(headers: tuple[tuple[str, str], ...]) -> bytes:
    """The other header lines and the blank line, checked as http.client's `putheader` does."""
    out = []
    for name, value in headers:
        raw_name, raw_value = name.encode("ascii"), value.encode("latin-1")
        if not http.client._is_legal_header_name(raw_name):  # type: ignore[attr-defined]
            raise ValueError(f"Invalid header name {raw_name!r}")
        if http.client._is_illegal_header_value(raw_value):  # type: ignore[attr-defined]
            raise ValueError(f"Invalid header value {raw_value!r}")
        out.append(raw_name + b": " + raw_value + b"\r\n")
    return b"".join(out) + b"\r\n"


def request_head(method: str, target: str, key: Key, headers: dict[str, str]) -> bytes:
    """The bytes of a body-less request, the same as `HTTPConnection.request` sends."""
    if _BAD_TARGET.search(target):
        raise http.client.InvalidURL(f"URL can't contain control characters. {target!r}")
    line = f"{method} {target} HTTP/1.1\r\n".encode("ascii")
    return line + _host_line(key) + _header_lines(tuple(headers.items()))


class DirectReply:
    """One response: status, headers, the (decoded) body in chunks; then `release`."""

    def __init__(self, pool: DirectPool, key: Key, conn: http.client.HTTPConnection,
                 response: Response) -> None:  # fmt: skip
        self._pool, self._key, self._conn, self._response = pool, key, conn, response
        self.status = response.status

    def headers(self) -> dict[str, str]:
        """Lower-cased names; a repeated header's values joined with ", " (as urllib3 does)."""
        return self._response.plain_headers

    def chunks(self, size: int, limit: int) -> Iterator[bytes]:
        """The body, decoded, in pieces of about `size` bytes; at most `limit` bytes decoded."""
        encoding = self._response.plain_headers.get("content-encoding", "").strip().lower()
        decoder = _decoder(encoding)
        while True:
            data = self._response.read(size)
            if not data:
                missing = self._response.length
                if missing:  # http.client leaves a short body to the caller to notice
                    raise http.client.IncompleteRead(b"", missing)
                if decoder is not None:
                    yield decoder.flush()
                return
            if decoder is None:
                yield data
                continue
            try:
                yield decoder.decompress(data, limit)
            except zlib.error as err:
                raise BadEncoding(f"bad {encoding} body: {err}") from err

    def close(self) -> None:
        """Drop the connection (the body was not read to its end)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def release(self) -> None:
        """Done with this response: keep the connection when its answer was read whole."""
        conn, response = self._conn, self._response
        if conn is None:
            return
        self._conn = None
        complete = response.isclosed() or (response.length == 0 and not response.chunked)
        if complete and not response.will_close:
            response.close()
            self._pool.put(self._key, conn)
        else:
            conn.close()


class _Inflate:
    """`deflate` as servers send it: zlib-wrapped, or raw (urllib3 accepts both)."""

    def __init__(self) -> None:
        self._inner = zlib.decompressobj()
        self._first = True

    def decompress(self, data: bytes, limit: int) -> bytes:
        if self._first:
            self._first = False
            try:
                return self._inner.decompress(data, limit)
            except zlib.error:
                self._inner = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._inner.decompress(data, limit)

    def flush(self) -> bytes:
        return self._inner.flush()


def _decoder(encoding: str) -> zlib._Decompress | _Inflate | None:
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return _Inflate()
    return None  # identity, or an encoding we did not ask for: read as it comes


class DirectPool:
    """Idle keep-alive connections by (scheme, host, port); thread-safe.

    At most `per_host` idle connections are kept for one host and `total` in all, the least
    recently used closed first, so a kit of a thousand hosts never holds a thousand sockets."""

    def __init__(self, per_host: int, total: int) -> None:
        self.per_host = max(1, per_host)
        self.total = max(1, total)
        self._idle: dict[Key, list[http.client.HTTPConnection]] = {}
        self._order: OrderedDict[http.client.HTTPConnection, Key] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: Key) -> http.client.HTTPConnection | None:
        with self._lock:
            found = self._idle.get(key)
            if not found:
                return None
            conn = found.pop()
            del self._order[conn]
            return conn

    def put(self, key: Key, conn: http.client.HTTPConnection) -> None:
        dropped = []
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) >= self.per_host:
                dropped.append(conn)
            else:
                idle.append(conn)
                self._order[conn] = key
                while len(self._order) > self.total:
                    old, old_key = self._order.popitem(last=False)
                    self._idle[old_key].remove(old)
                    dropped.append(old)
        for conn in dropped:
            conn.close()

    def close(self) -> None:
        with self._lock:
            conns = list(self._order)
            self._idle.clear()
            self._order.clear()
        for conn in conns:
            conn.close()

    def send(self, key: Key, target: str, method: str, headers: dict[str, str],
             timeout: float, ca_bundle: str | None) -> DirectReply:  # fmt: skip
        """Send one request; a kept connection the server has closed meanwhile is replaced by
        a new one once (the request never reached the server, so asking again is safe).

        The request goes out in one write and the answer is read with `Response`, as
        `HTTPConnection.request` and `getresponse` would do it, minus their bookkeeping:
        the connection object here only connects and holds the socket."""
        data = request_head(method, target, key, headers)
        reused = self.take(key)
        conn = reused or self._connect(key, timeout, ca_bundle)
        while True:
            try:
                sock = conn.sock
                if sock is None:
                    raise http.client.RemoteDisconnected("the kept connection was closed")
                if conn.timeout != timeout:  # a kept connection may come from another timeout
                    conn.timeout = timeout
                    sock.settimeout(timeout)
                sock.sendall(data)
                response = Response(sock, method=method)
                response.begin()
                return DirectReply(self, key, conn, response)
            except STALE:
                conn.close()
                if reused is None:
                    raise
                reused = None
                conn = self._connect(key, timeout, ca_bundle)
            except BaseException:
                conn.close()
                raise

    @staticmethod
    def _connect(key: Key, timeout: float, ca_bundle: str | None) -> http.client.HTTPConnection:
        """A connected socket, or the error that says why not (connect vs. read timeouts
        and unreachable networks are told apart, as with urllib3)."""
        scheme, host, port = key
        conn: http.client.HTTPConnection
        if scheme == "https":
            context = tls_context(ca_bundle or "")
            conn = SecureConnection(host, port, timeout=timeout, context=context)
        else:
            conn = Connection(host, port, timeout=timeout)
        try:
            conn.connect()
        except TimeoutError as err:
            conn.close()
            raise ConnectTimeout(f"connecting to {host} timed out ({timeout} s)") from err
        except (ssl.SSLError, socket.gaierror, ConnectionRefusedError):
            conn.close()
            raise  # TLS, DNS and refused connections are classified as they are
        except OSError as err:  # unreachable network or host, and the like
            conn.close()
            raise ConnectFailed(f"cannot connect: {err}") from err
        return conn
