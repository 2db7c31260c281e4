"""The feed fault cases in tests/feeds/*.case: reading and serving them (format: its README)."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Response

CASES_DIR = Path(__file__).parent / "feeds"
SEPARATOR = b"\n---\n"


@dataclass
class Case:
    name: str
    keys: dict[str, list[str]] = field(default_factory=dict)
    body: bytes = b""

    def get(self, key: str, default: str | None = None) -> str | None:
        values = self.keys.get(key)
        return values[-1] if values else default

    def all(self, key: str) -> list[str]:
        return self.keys.get(key, [])

    def items(self, key: str) -> list[str]:
        value = self.get(key)
        return [part.strip() for part in value.split(" | ")] if value else []


def load_case(path: Path) -> Case:
    raw = path.read_bytes()
    head, sep, body = raw.partition(SEPARATOR)
    if not sep and raw.rstrip().endswith(b"---"):
        head, body = raw.rstrip()[:-3], b""
    case = Case(path.stem, body=body)
    for line in head.decode("utf-8").splitlines():
        if not line.startswith("# ") or ":" not in line:
            continue
        key, _, value = line[2:].partition(":")
        case.keys.setdefault(key.strip(), []).append(value.strip())
    return case


def all_cases() -> list[Path]:
    return sorted(CASES_DIR.glob("*.case"))


def _body(case: Case) -> tuple[bytes | None, dict[str, str], object | None]:
    """Body bytes, extra headers, or a streaming generator, for a `body-generator`."""
    generator = case.get("body-generator")
    if not generator:
        return case.body, {}, None
    kind, size_text = generator.split()
    size = int(size_text)
    if kind == "huge":
        return b"x" * size, {}, None
    if kind == "huge-stream":

        def chunks() -> Iterator[bytes]:
            block = b"<!-- padding -->" * 4096
            sent = 0
            while sent < size:
                sent += len(block)
                yield block

        return None, {}, chunks()
    if kind == "gzip-bomb":
        return gzip.compress(b"\0" * size, compresslevel=9), {"Content-Encoding": "gzip"}, None
    raise ValueError(f"unknown body-generator {generator!r} in {case.name}")


def serve(case: Case, server: HTTPServer, path: str) -> None:
    """Make the local server answer `path` the way the case says."""
    body, headers, stream = _body(case)
    for header in case.all("header"):
        name, _, value = header.partition("=")
        headers[name.strip()] = value.strip()
    status = int(case.get("status", "200") or 200)
    content_type = case.get("content-type", "application/rss+xml")
    if stream is not None:
        server.expect_request(path).respond_with_response(
            Response(stream, status=status, headers=headers, content_type=content_type)
        )
    else:
        server.expect_request(path).respond_with_data(
            body or b"", status=status, headers=headers, content_type=content_type
        )


@contextmanager
def silent_server() -> Iterator[str]:
    """A listening socket that never accepts: connections open, no byte ever comes back."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/feed.xml"
    finally:
        sock.close()


def crashing_get(crash_on: str):
    """The real feed GET, crashing on one address: the stand-in for a bug in one feed."""
    from plnkit.feeds import one_feed

    real = one_feed.get

    async def get(client, url, **kwargs):
        if url == crash_on:
            raise RuntimeError("simulated crash while fetching this feed")
        return await real(client, url, **kwargs)

    return get
