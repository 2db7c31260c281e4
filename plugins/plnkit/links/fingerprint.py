"""A page's fingerprint, and whether the address seems to have changed hands.

A 200 proves little: the domains of closed blogs and wikis are bought and turned into parking
pages or worse. Each successful check keeps a small fingerprint of the page (its final host,
its `<title>`, and whether it matches a parking or for-sale signature); the next check
compares. The signatures are data (`data/parking.json`), maintained beside their tests.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

WORD = re.compile(r"[^\W_]{3,}")
SIMILAR_TITLES = 0.5  # below this SequenceMatcher ratio (and no shared word), a new page


@dataclass(frozen=True)
class Fingerprint:
    host: str  # the final URL's registrable domain (example.org for www.example.org)
    title: str  # the page's <title>, whitespace folded; "" when it has none
    parked: str | None = None  # the parking or for-sale sign found, if any

    def to_json(self) -> dict[str, Any]:
        return {"host": self.host, "title": self.title, "parked": self.parked}

    @staticmethod
    def from_json(data: object) -> Fingerprint | None:
        if not isinstance(data, dict):
            return None
        host, title, parked = data.get("host"), data.get("title"), data.get("parked")
        if not isinstance(host, str) or not isinstance(title, str):
            return None
        return Fingerprint(host, title, parked if isinstance(parked, str) else None)


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list the package ships: no download


def registrable_domain(url: str) -> str:
    """The part of a URL's host that one owner registers.

    >>> registrable_domain("https://www.schoollibrary.example.co.uk/a"), registrable_domain(
    ...     "https://tl-cafe.blogspot.com/"), registrable_domain("http://127.0.0.1:8080/")
    ('example.co.uk', 'tl-cafe.blogspot.com', '127.0.0.1')
    """
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host or host.replace(".", "").isdigit() or ":" in host:
        return host
    return _suffixes().privatesuffix(host) or host


@lru_cache(maxsize=1)
def signatures() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(phrases, hosts) from the packaged parking list."""
    data = json.loads(resources.files("plnkit.links").joinpath("data/parking.json").read_text())
    return tuple(data["phrases"]), tuple(data["hosts"])


class _Page(HTMLParser):
    """The title, the visible text and the hosts a page links to or loads from."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.text: list[str] = []
        self.hosts: set[str] = set()
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        for name, value in attrs:
            if name in ("href", "src", "action") and value and "//" in value:
                self.hosts.add((urlsplit(value).hostname or "").lower())

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        where = self._in[-1] if self._in else ""
        if where == "title":
            self.title.append(data)
        elif where not in ("script", "style"):
            self.text.append(data)


def _on(host: str, domains: tuple[str, ...]) -> str | None:
    return next((d for d in domains if host == d or host.endswith("." + d)), None)


def fingerprint(final_url: str, body: bytes, charset: str | None = None) -> Fingerprint:
    """The fingerprint of a page reached at `final_url` (the first bytes of its body suffice)."""
    page = _Page()
    try:
        page.feed(body.decode(charset or "utf-8", "replace"))
        page.close()
    except (LookupError, AssertionError):  # an unknown charset; a parser given broken markup
        pass
    title = " ".join("".join(page.title).split())[:300]
    phrases, hosts = signatures()
    final_host = (urlsplit(final_url).hostname or "").lower()
    parked = _on(final_host, hosts)
    if parked:
        parked = f"the address now leads to {parked}"
    else:
        text = " ".join(" ".join(page.text).split()).lower()
        phrase = next((p for p in phrases if p in title.lower() or p in text), None)
        service = next((h for h in map(lambda x: _on(x, hosts), page.hosts) if h), None)
        if phrase and (service or phrase != "related searches"):
            parked = f'the page says "{phrase}"'
        elif service and (phrase or not text.strip() or len(text) < 400):
            parked = f"the page is served by the parking service {service}"
    return Fingerprint(registrable_domain(final_url), title, parked)


def titles_differ(old: str, new: str) -> bool:
    """Whether two titles name different things (not a tagline or year changing).

    >>> titles_differ("Knowledge Quest | AASL", "Knowledge Quest – AASL blog")
    False
    >>> titles_differ("TL Virtual Café", "Best Online Casino Bonuses 2026")
    True
    """
    if not old or not new:
        return False
    a, b = old.casefold(), new.casefold()
    if set(WORD.findall(a)) & set(WORD.findall(b)):
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() < SIMILAR_TITLES


def change_of_hands(
    resource_url: str, before: Fingerprint | None, now: Fingerprint
) -> str | None:
    """Why the page may no longer be the resource the curator chose; None when it looks the
    same. `before` is the fingerprint kept from the last good check."""
    if now.parked:
        return now.parked
    if now.host != registrable_domain(resource_url):
        return f"the address now leads to another site ({now.host})"
    if before is not None and titles_differ(before.title, now.title):
        return f'the page title changed from "{before.title}" to "{now.title}"'
    return None
