"""Social handles as follow links: one profile URL per network, built only from safe handles.

The schema already restricts each handle's characters; these functions still refuse anything
that does not match, so a renderer called with unvalidated data never builds a strange URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from plnkit.kit.model import HANDLE_NETWORKS
from plnkit.render.i18n import N_, _
from plnkit.render.text import esc

NETWORK_LABELS = {
    "twitter": N_("X (Twitter)"),
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "youtube": "YouTube",
    "facebook": "Facebook",
    "instagram": "Instagram",
}

_SIMPLE = re.compile(r"^@?([A-Za-z0-9_.]{1,64})$")
_MASTODON = re.compile(r"^@?([A-Za-z0-9_.]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})$")
_BLUESKY = re.compile(r"^@?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$")
_YOUTUBE = re.compile(r"^(@[A-Za-z0-9_.-]+|UC[A-Za-z0-9_-]{22})$")


@dataclass(frozen=True)
class Follow:
    network: str
    label: str  # the network's display name
    handle: str  # as a reader would type it, e.g. "@aasl" or "@user@host"
    url: str


def follow_link(network: str, handle: str) -> Follow | None:
    """The profile URL for one handle, or None when the handle is not a safe handle.

    >>> follow_link("twitter", "@aasl").url
    'https://x.com/aasl'
    >>> follow_link("mastodon", "@anna@mastodon.social").url
    'https://mastodon.social/@anna'
    >>> follow_link("bluesky", "aaslala.bsky.social").url
    'https://bsky.app/profile/aaslala.bsky.social'
    """
    handle = handle.strip()
    label = _(NETWORK_LABELS[network]) if network in NETWORK_LABELS else network
    if network == "mastodon":
        match = _MASTODON.match(handle)
        if not match:
            return None
        user, host = match.groups()
        return Follow(network, label, f"@{user}@{host}", f"https://{host.lower()}/@{user}")
    if network == "bluesky":
        match = _BLUESKY.match(handle)
        if not match:
            return None
        name = match.group(1).lower()
        return Follow(network, label, f"@{name}", f"https://bsky.app/profile/{name}")
    if network == "youtube":
        match = _YOUTUBE.match(handle)
        if not match:
            return None
        name = match.group(1)
        path = name if name.startswith("@") else f"channel/{name}"
        return Follow(network, label, name, f"https://www.youtube.com/{path}")
    match = _SIMPLE.match(handle)
    if not match:
        return None
    name = match.group(1)
    if network == "twitter":
        return Follow(network, label, f"@{name}", f"https://x.com/{name}")
    if network == "facebook":
        return Follow(network, label, name, f"https://www.facebook.com/{name}")
    if network == "instagram":
        return Follow(network, label, f"@{name}", f"https://www.instagram.com/{name}/")
    return None


def follow_links(handles: Mapping[str, str]) -> list[Follow]:
    """Follow links in a stable network order, skipping unknown networks and unsafe handles."""
    links = (follow_link(net, handles[net]) for net in HANDLE_NETWORKS if net in handles)
    return [link for link in links if link]


def render_follow(handles: Mapping[str, str], name: str) -> str:
    """The card's "Follow" list, or "" when there is nothing to follow."""
    links = follow_links(handles)
    if not links:
        return ""
    items = "".join(
        f'<li><a href="{esc(f.url)}" rel="noopener">'
        f'<span class="plnkit-follow__net">{esc(f.label)}</span> {esc(f.handle)}</a></li>'
        for f in links
    )
    return (
        f'<div class="plnkit-card__follow"><p class="plnkit-card__label">{esc(_("Follow"))}</p>'
        f'<ul aria-label="{esc(_("Follow {name}").format(name=name))}">{items}</ul></div>'
    )
