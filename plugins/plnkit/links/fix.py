"""What `--fix-redirects` and `--write-archive-urls` would change in the kit's files.

Only the decisions live here; the edits are made by `plnkit.edit.yaml_edit`, the one editor
of files in place (called by `plnkit check-links`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plnkit.kit.model import Kit
from plnkit.kit.urls import normalize_url
from plnkit.links.types import Health, LinkState, RunReport


@dataclass(frozen=True)
class Redirect:
    """`field: old` in `path` has moved for good to `new`."""

    path: Path
    field: str
    old: str
    new: str
    refused: str | None = None  # why the file must not be changed


@dataclass(frozen=True)
class Snapshot:
    """`path` should record `url` as its `archive_url`."""

    path: Path
    url: str


def redirects(report: RunReport, kit: Kit) -> list[Redirect]:
    """Every permanently moved URL with its new address.

    A fresh stored result counts as much as a request made now (a run right after a check asks
    nothing again). A new address that another resource already has is refused: the two
    files would then be duplicates, and a curator should merge them."""
    owners = {normalize_url(r.url): r for r in kit.resources}
    found = []
    for entry in report.entries:
        result = entry.result
        moved = result.state in (LinkState.REDIRECTED, LinkState.SKIPPED)
        if not (moved and result.suggested_url):
            continue
        other = owners.get(normalize_url(result.suggested_url))
        refused = None
        if entry.use.kind == "url" and other is not None and other.slug != entry.use.slug:
            refused = (f"{result.suggested_url} is already the address of {other.path.name}; "
                       "merge the two files by hand")  # fmt: skip
        found.append(
            Redirect(entry.use.path, entry.use.kind, entry.url, result.suggested_url, refused)
        )
    return found


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
