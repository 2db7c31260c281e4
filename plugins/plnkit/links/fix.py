"""What `--fix-redirects` and `--write-archive-urls` would change in the kit's files.

Only the decisions live here; the edits are made by `plnkit.edit.yaml_edit`, the one editor
of files in place (called by `plnkit check-links`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plnkit.kit.model import Kit
from plnkit.links.types import Health, LinkState, RunReport


@dataclass(frozen=True)
class Redirect:
    """`field: old` in `path` has moved for good to `new`."""

    path: Path
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Snapshot:
    """`path` should record `url` as its `archive_url`."""

    path: Path
    url: str


def redirects(report: RunReport) -> list[Redirect]:
    """Every permanently moved URL with its new address."""
    return [
        Redirect(entry.use.path, entry.use.kind, entry.url, entry.result.suggested_url)
        for entry in report.entries
        if entry.result.state is LinkState.REDIRECTED and entry.result.suggested_url
    ]


def snapshots(report: RunReport, kit: Kit) -> list[Snapshot]:
    """Found snapshots of dead and curator-archived resources that have no `archive_url`."""
    by_slug = kit.by_slug()
    found = []
    for entry in report.entries:
        resource = by_slug[entry.use.slug]
        if entry.use.kind != "url" or resource.archive_url or not entry.snapshot_url:
            continue
        if entry.health is Health.DEAD or not resource.is_current:
            found.append(Snapshot(entry.use.path, entry.snapshot_url))
    return found
