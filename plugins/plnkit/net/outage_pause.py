"""After a build finds no server reachable, the builds that follow leave the network alone.

`mkdocs serve` rebuilds on every save; on a train or in a school with the Wi-Fi down, waiting
for the link checker and the feed fetcher to time out on each save would make editing painful.
A build that meets an outage notes when; builds in the next half hour use the stored state
and say they are offline. The commands (`plnkit check-links`, `plnkit fetch-feeds`) always try.
"""

from __future__ import annotations

import datetime as dt

from plnkit.net.clock import iso, parse_iso
from plnkit.store import StateStore

DOCUMENT = "feed-runs"  # the name it had when only the feed fetcher paused
PAUSE = dt.timedelta(minutes=30)


def paused(store: StateStore, now: dt.datetime) -> bool:
    """True within `PAUSE` of the last outage a build met."""
    stamp = store.read(DOCUMENT).get("outage_at")
    if not isinstance(stamp, str):
        return False
    try:
        return dt.timedelta(0) <= now - parse_iso(stamp) < PAUSE
    except ValueError:
        return False


def note_outage(store: StateStore, now: dt.datetime) -> None:
    """Remember that a build just found the network down."""
    store.write(DOCUMENT, {"outage_at": iso(now)})
