"""Pure rules: what an HTTP answer means for a link (no I/O here). What a failed request
means is the HTTP client's one classifier (`plnkit.net.errors`)."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from urllib.parse import urlsplit

from plnkit.kit.urls import normalize_url
from plnkit.links.types import LinkState

REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
BOT_HEADERS = (
    "cf-mitigated", "cf-chl-bypass", "x-datadome", "x-sucuri-block", "x-amzn-waf-action",
    "x-px-block", "x-iinfo",
)  # fmt: skip
BOT_SERVERS = ("cloudflare", "akamaighost", "ddos-guard", "sucuri", "imperva", "incapsula")
BOT_WORDS = (
    "captcha", "cf-chl", "just a moment", "attention required", "checking your browser",
    "ddos protection", "bot protection", "are you a robot", "verify you are human",
    "enable javascript and cookies", "perimeterx", "datadome", "incapsula", "access denied",
)  # fmt: skip


def status_text(code: int) -> str:
    """`HTTP 404 Not Found`: our own words, never the server's reason phrase.

    >>> status_text(404), status_text(999)
    ('HTTP 404 Not Found', 'HTTP 999 (the site refuses automated checkers)')
    """
    if code == 999:
        return "HTTP 999 (the site refuses automated checkers)"
    try:
        return f"HTTP {code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"


def bot_protected(headers: Mapping[str, str], body: bytes) -> bool:
    """Signs that a refusal comes from a bot wall (CDN challenge, WAF) rather than the site."""
    lowered = {k.lower(): v for k, v in headers.items()}
    if any(name in lowered for name in BOT_HEADERS):
        return True
    server = lowered.get("server", "").lower()
    if any(name in server for name in BOT_SERVERS):
        return True
    text = body[:16384].decode("utf-8", "replace").lower()
    return any(word in text for word in BOT_WORDS)


def state_for_status(code: int, headers: Mapping[str, str], body: bytes) -> LinkState:
    """The state of a final answer (redirects already followed)."""
    if 200 <= code < 300:
        return LinkState.OK
    if code in (401, 999):
        return LinkState.BLOCKED
    if code in (403, 503) and bot_protected(headers, body):
        return LinkState.BLOCKED
    if code in (408, 429) or 500 <= code < 600:
        return LinkState.TRANSIENT
    return LinkState.BROKEN


def meaningful_move(old: str, new: str) -> bool:
    """Worth editing the file for: not just `www.`, a trailing slash or a fragment.

    >>> meaningful_move("http://a.org/x", "https://a.org/x"), meaningful_move("https://a.org/x", "https://a.org/x/")
    (True, False)
    """
    if urlsplit(old).scheme == "http" and urlsplit(new).scheme == "https":
        return True
    return normalize_url(old) != normalize_url(new)
