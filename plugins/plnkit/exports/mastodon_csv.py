"""A Mastodon following list: Preferences → Import and export → Import → Following list."""

from __future__ import annotations

import csv
import io

from plnkit.exports.common import offered
from plnkit.kit.model import Kit

HEADER = ("Account address", "Show boosts", "Notify on new posts", "Languages")


def mastodon_csv(kit: Kit, *, tab: str | None = None) -> str:
    """`user@host` of every current resource with a Mastodon handle, once each."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    seen: set[str] = set()
    for resource in offered(kit, tab):
        handle = resource.handles.get("mastodon")
        if not handle:
            continue
        account = handle.lstrip("@")
        if account.lower() in seen:
            continue
        seen.add(account.lower())
        writer.writerow((account, "true", "false", ""))
    return out.getvalue()
