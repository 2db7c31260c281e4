"""One resource's link health as the site shows it (what `links.site_view` gives a build)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinkView:
    health: str = "unchecked"  # a key of HEALTH_LABELS
    checked_at: str | None = None
    final_url: str | None = None  # where a permanent redirect leads
    archive_url: str | None = None  # an archived copy, for dead resources
    embeddable: bool | None = None  # may the page be framed in a preview
    error: str | None = None
    since: str | None = None  # first failure, for failing and dead
    verified_on: str | None = None  # a person's check (the resource's `verified`), YYYY-MM-DD
    verified_by: str | None = None
    needs_look: bool = False  # turns checkers away, and no person has looked lately
    changed: str | None = None  # why the address may have changed hands (health "changed")
