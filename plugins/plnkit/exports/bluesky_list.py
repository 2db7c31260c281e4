"""The kit's Bluesky accounts as plain text: one handle per line, for a list or starter pack.

Bluesky has no import file for follows; a reader opens each handle, or a curator pastes the
list into a Bluesky list or starter pack. Handles pass the same check as the cards' follow
links, so nothing else can reach the file.
"""

from __future__ import annotations

from plnkit.exports.common import offered
from plnkit.kit.model import Kit
from plnkit.render.follow import follow_link


def bluesky_list(kit: Kit, *, tab: str | None = None) -> str:
    """`@name.host` of every current resource with a Bluesky handle, once each, one a line."""
    seen: dict[str, None] = {}
    for resource in offered(kit, tab):
        handle = resource.handles.get("bluesky")
        link = follow_link("bluesky", handle) if handle else None
        if link is not None:
            seen.setdefault(link.handle, None)
    return "".join(f"{handle}\n" for handle in seen)
