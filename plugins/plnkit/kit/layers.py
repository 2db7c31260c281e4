"""A fork's kit as layers: upstream `kit/`, then the fork's own folders, minus its exclusions.

The loader merges the layers (a later file replaces an earlier one with the same slug). This
module tells a fork's maintainer what the merge did, so nothing changes silently when upstream
renames or adds a resource.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from plnkit.kit.loader import resource_files


@dataclass(frozen=True)
class LayerReport:
    """How a kit's layers combined."""

    unmatched_excludes: tuple[str, ...]  # excluded slugs no layer has (renamed upstream?)
    overrides: tuple[tuple[Path, Path], ...]  # (fork's file, the file it replaces)


def layer_report(kit_dir: Path, extra_dirs: Iterable[Path], exclude: Iterable[str]) -> LayerReport:
    """Compare the layers' files by slug (file name), the way the loader merges them."""
    layers, excluded = (kit_dir, *extra_dirs), tuple(exclude)
    if len(layers) == 1 and not excluded:  # one layer, nothing excluded: nothing to report
        return LayerReport(unmatched_excludes=(), overrides=())
    seen: dict[str, Path] = {}
    overrides: list[tuple[Path, Path]] = []
    for directory in layers:
        if not directory.is_dir():
            continue  # the loader reports a missing folder
        for path in resource_files(directory):
            earlier = seen.get(path.stem)
            if earlier is not None and earlier.parent.parent != path.parent.parent:
                overrides.append((path, earlier))
            seen[path.stem] = path
    unmatched = tuple(sorted({slug for slug in excluded if slug not in seen}))
    return LayerReport(unmatched_excludes=unmatched, overrides=tuple(overrides))
