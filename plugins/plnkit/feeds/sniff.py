"""A first look at fetched bytes, before any XML parser sees them.

Feeds and OPML files come from strangers. Two things are refused up front, cheaply:
HTML pages served where a feed should be (a failure, not "zero posts"), and documents that
declare their own XML entities (billion laughs, external entities reading local files).
"""

from __future__ import annotations

import re

HEAD_BYTES = 4096

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_PROLOGUE_NOISE = re.compile(rb"^(\s|<\?xml[^>]*\?>|<!--.*?-->)*", re.S)
_HTML_START = re.compile(rb"^<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I)
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_ENTITY = re.compile(rb"<!ENTITY\s+(?P<decl>[^>]*)>", re.S | re.I)
# The only entity declaration let through: a name standing for one character reference.
_SAFE_ENTITY = re.compile(rb"^%?\s*[\w.-]+\s+(\"&#x?[0-9a-f]+;\"|'&#x?[0-9a-f]+;')\s*$", re.I)


def _utf8_view(data: bytes) -> bytes:
    """The bytes with UTF-16 collapsed to ASCII-ish bytes, so the patterns also see UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return data.replace(b"\x00", b"")
    return data


def looks_like_html(data: bytes) -> bool:
    """True when the document starts like an HTML page rather than a feed.

    >>> looks_like_html(b"<!DOCTYPE html><html><body>hi</body></html>")
    True
    >>> looks_like_html(b'<?xml version="1.0"?><rss version="2.0"></rss>')
    False
    """
    head = _utf8_view(data[:HEAD_BYTES])
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    head = head[_PROLOGUE_NOISE.match(head).end() :]  # type: ignore[union-attr]
    return bool(_HTML_START.match(head))


def _prolog(data: bytes) -> bytes:
    """Everything before the root element: where a DOCTYPE and its entities must stand."""
    root = _ROOT_START.search(data)
    return data[: root.start()] if root else data


def entity_problem(data: bytes) -> str | None:
    """Why a document's DOCTYPE is refused, or None.

    Simple character entities (`<!ENTITY nbsp "&#160;">`) are harmless and stay; anything that
    expands into other entities or reaches outside the document is refused.

    >>> entity_problem(b'<!DOCTYPE rss [<!ENTITY nbsp "&#160;">]><rss/>') is None
    True
    >>> entity_problem(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x/>')
    'the document declares its own XML entities (<!ENTITY e SYSTEM ...>); refused for safety'
    """
    prolog = _prolog(_utf8_view(data))
    declared = prolog.upper().count(b"<!ENTITY")
    if not declared:
        return None
    found = [m.group("decl").strip() for m in _ENTITY.finditer(prolog)]
    unsafe = [decl for decl in found if not _SAFE_ENTITY.match(decl)]
    if not unsafe and len(found) == declared:
        return None
    decl = unsafe[0] if unsafe else b"?"
    words = decl.split() or [b"?"]
    name = b" ".join(words[:2] if words[0] == b"%" else words[:1]).decode("ascii", "replace")
    external = re.search(rb"\b(SYSTEM|PUBLIC)\b", decl, re.I) is not None
    return (
        f"the document declares its own XML entities (<!ENTITY {name}"
        f"{' SYSTEM' if external else ''} ...>); refused for safety"
    )
