"""Archived copies of dead pages: the Wayback Machine's availability API, or its search form.

The API's base URL is configurable (`--wayback-url`), so tests point it at a local server.
Offline, or when the API has no snapshot, readers get the generic
`https://web.archive.org/web/*/URL` page, which lists every capture there is.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from plnkit.kit.urls import url_problem

if TYPE_CHECKING:  # a build reads `generic_archive_url` only; the lookup is the checker's
    from plnkit.net.client import Client

WAYBACK_WEB = "https://web.archive.org/web/"


class NoAnswer(Exception):
    """The API could not be asked (no answer, an error status, a garbled body)."""


def generic_archive_url(url: str) -> str:
    """The Wayback Machine's list of captures of `url` (works without asking the API).

    >>> generic_archive_url("http://tlvirtualcafe.wikispaces.com")
    'https://web.archive.org/web/*/http://tlvirtualcafe.wikispaces.com'
    """
    return f"{WAYBACK_WEB}*/{quote(url, safe=':/?&=%#~+!$,;@')}"


def _snapshot_from(payload: object) -> str | None:
    if not isinstance(payload, dict):
        return None
    closest = (payload.get("archived_snapshots") or {}).get("closest")
    if not isinstance(closest, dict) or closest.get("available") is False:
        return None
    found = closest.get("url")
    if not isinstance(found, str) or url_problem(found, allow_local=True):
        return None
    if found.startswith("http://web.archive.org/"):
        found = "https://" + found[len("http://") :]
    return found


async def lookup_snapshot(client: Client, api_url: str, url: str) -> str | None:
    """The closest snapshot of `url`, or None when there is none.

    Raises `NoAnswer` when the API cannot be asked, so the caller can keep the generic form
    and try again another day.
    """
    joiner = "&" if "?" in api_url else "?"
    reply = await client.fetch(f"{api_url}{joiner}{urlencode({'url': url})}", retries=0)
    if not reply.ok:
        raise NoAnswer(reply.error or f"HTTP {reply.status}")
    try:
        return _snapshot_from(json.loads(reply.body))
    except ValueError as err:
        raise NoAnswer("the answer is not JSON") from err
