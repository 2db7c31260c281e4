"""`http.client` connections whose responses read their header block without the email parser.

`http.client` hands every header block to `email.parser`, which costs more CPU than the rest
of a small request; with many checks in flight that CPU is the limit. A header block is
simple in practice (`Name: value` lines), so it is read here line by line into the same
`HTTPMessage` `email.parser` would build; any line that parser would treat differently (a
folded continuation, a line that is not `Name: value`, a stray carriage return) sends the
whole block to `email.parser` as before. `begin` is the standard library's, step for step.
"""

from __future__ import annotations

import email.parser
import http.client
import re
import socket
from typing import Any

# What email.feedparser accepts as a header line: a name of printable characters other than
# ':' (no spaces), then ':'.
_HEADER = re.compile(r"[\041-\071\073-\176]+:")


def header_pairs(lines: list[bytes]) -> list[tuple[str, str]] | None:
    """(name, value) pairs as `email.parser` (compat32) would store them, or None when the
    block has anything but plain `Name: value` lines. `lines` end with the blank line."""
    pairs = []
    for raw in lines:
        text = raw.decode("iso-8859-1")
        if text.endswith("\r\n"):
            text = text[:-2]
        elif text.endswith("\n"):
            text = text[:-1]
        if not text:
            break  # the blank line that ends the block
        if "\r" in text or "\n" in text or text.startswith("From ") or not _HEADER.match(text):
            return None
        name, _, value = text.partition(":")
        pairs.append((name, value.lstrip(" \t")))
    return pairs


def _read_pairs(fp: object) -> tuple[list[tuple[str, str]], http.client.HTTPMessage | None]:
    """The header block's (name, value) pairs; and the message, when `email.parser` had to
    build it (an unusual block)."""
    lines = http.client._read_headers(fp)  # type: ignore[attr-defined]  # stdlib helper
    pairs = header_pairs(lines)
    if pairs is not None:
        return pairs, None
    text = b"".join(lines).decode("iso-8859-1")
    message = email.parser.Parser(_class=http.client.HTTPMessage).parsestr(text)
    return list(message.items()), message


def _message(pairs: list[tuple[str, str]]) -> http.client.HTTPMessage:
    message = http.client.HTTPMessage()
    for name, value in pairs:
        message.set_raw(name, value)
    return message


def _plain(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """Lower-cased names to their values joined with ", ", and to their first value."""
    plain: dict[str, str] = {}
    first: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        if key in plain:
            plain[key] = f"{plain[key]}, {value}"
        else:
            plain[key] = first[key] = value
    return plain, first


def parse_headers(fp: object) -> tuple[http.client.HTTPMessage, dict[str, str]]:
    """The header block as http.client's `HTTPMessage`, and as a dict of lower-cased names
    (a repeated header's values joined with ", ")."""
    pairs, message = _read_pairs(fp)
    return message or _message(pairs), _plain(pairs)[0]


class Response(http.client.HTTPResponse):
    """An `HTTPResponse` whose headers are also at hand as `plain_headers`.

    The `HTTPMessage` (`headers`, `msg`) is built only if something asks for it: a link
    check reads `plain_headers` alone."""

    plain_headers: dict[str, str]
    _pairs: list[tuple[str, str]] | None = None
    _built: http.client.HTTPMessage | None = None

    @property  # type: ignore[override]
    def headers(self) -> http.client.HTTPMessage | None:
        if self._built is None and self._pairs is not None:
            self._built = _message(self._pairs)
        return self._built

    @headers.setter
    def headers(self, value: http.client.HTTPMessage | None) -> None:
        self._built = value

    @property  # type: ignore[override]
    def msg(self) -> http.client.HTTPMessage | None:
        return self.headers

    @msg.setter
    def msg(self, value: http.client.HTTPMessage | None) -> None:
        self._built = value

    def begin(self) -> None:
        # http.client.HTTPResponse.begin (3.11–3.13), with the header reading above; where it
        # asks `self.headers.get(name)` (the first value), `first` answers.
        if self._pairs is not None or self._built is not None:
            return
        while True:
            version, status, reason = self._read_status()  # type: ignore[attr-defined]
            if status != http.client.CONTINUE:
                break
            http.client._read_headers(self.fp)  # type: ignore[attr-defined]
        self.code = self.status = status
        self.reason = reason.strip()
        if version in ("HTTP/1.0", "HTTP/0.9"):
            self.version = 10
        elif version.startswith("HTTP/1."):
            self.version = 11
        else:
            raise http.client.UnknownProtocol(version)
        pairs, message = _read_pairs(self.fp)
        self._pairs, self._built = pairs, message
        self.plain_headers, first = _plain(pairs)
        encoding = first.get("transfer-encoding")
        if encoding and encoding.lower() == "chunked":
            self.chunked = True
            self.chunk_left = None
        else:
            self.chunked = False
        self.will_close = self._closes(first)
        self.length = None
        length = first.get("content-length")
        if length and not self.chunked:
            try:
                self.length = int(length)
            except ValueError:
                self.length = None
            else:
                if self.length < 0:
                    self.length = None
        if (
            status in (http.client.NO_CONTENT, http.client.NOT_MODIFIED)
            or 100 <= status < 200
            or self._method == "HEAD"  # type: ignore[attr-defined]
        ):
            self.length = 0
        if not self.will_close and not self.chunked and self.length is None:
            self.will_close = True

    def _closes(self, first: dict[str, str]) -> bool:
        """http.client.HTTPResponse._check_close, on the first values of the headers."""
        conn = first.get("connection")
        if self.version == 11:
            return bool(conn and "close" in conn.lower())
        if first.get("keep-alive"):
            return False
        if conn and "keep-alive" in conn.lower():
            return False
        pconn = first.get("proxy-connection")
        return not (pconn and "keep-alive" in pconn.lower())


def _create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
    """`socket.create_connection`, with an ASCII host name given as bytes: the resolver gets
    the same name, without loading the `idna` codec for it (part of a short run's start-up).
    A name that is not ASCII goes as text, through the codec, as before."""
    host, port = address
    if isinstance(host, str) and host.isascii():
        return socket.create_connection((host.encode("ascii"), port), *args, **kwargs)
    return socket.create_connection(address, *args, **kwargs)


class _BytesHostName:
    """Connects through `_create_connection` (http.client sets its own in `__init__`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _create_connection


class Connection(_BytesHostName, http.client.HTTPConnection):
    response_class = Response


class SecureConnection(_BytesHostName, http.client.HTTPSConnection):
    response_class = Response
