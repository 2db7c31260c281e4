"""Keeping a build's output for the next build (`build_cache`): only when handing it out
again would give exactly what a fresh build gives."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plnkit import build_cache as bc
from plnkit.site_state import SiteState

if TYPE_CHECKING:
    from plnkit.site_build import Recording

log = logging.getLogger("plnkit.build_cache")

STEPS = ("load", "state", "exports")


def export_kinds(data: bytes, moment: dt.datetime) -> list[str] | None:
    """Which of the known time stamps an export carries; None when it shows the build's moment
    anywhere else (it could not be brought up to date when handed out again)."""
    kinds, rest = [], data
    for kind, pattern in bc.stamp_patterns(moment).items():
        if pattern in rest:
            kinds.append(kind)
            rest = rest.replace(pattern, b"")
    if any(text in rest for text in bc.moment_texts(moment)):
        return None
    return kinds


def keep_output(
    cache_dir: Path,
    recording: Recording,
    state: SiteState,
    options: Any,
    moment: dt.datetime,
    site_dir: Path,
    written: list[Path],
) -> bool:
    """Keep the pages and exports this build made; False when they cannot be kept."""
    if recording.binder is None or any(step not in recording.logs for step in STEPS):
        return False
    if not os.access(cache_dir, os.W_OK):
        return False  # a read-only store: the next build is as fast as this one
    texts = bc.moment_texts(moment)
    if any(post.published and post.published[:19].encode() in texts for post in state.river):
        return False  # a post's date would be taken for the build's own time stamp
    pages = {uri: text.encode("utf-8") for uri, text in recording.pages.items()}
    if any(text in data for data in pages.values() for text in texts):
        return False
    exports: dict[str, tuple[bytes, list[str]]] = {}
    try:
        for path in written:
            data = path.read_bytes()
            kinds = export_kinds(data, moment)
            if kinds is None:
                return False
            exports[path.relative_to(site_dir).as_posix()] = (data, kinds)
        folder = bc.new_folder(cache_dir)
        page_files = []  # a list: MkDocs is handed the pages in the order they were made
        for number, (uri, data) in enumerate(pages.items()):
            bc.write_file(folder / f"p{number}.md", data)
            page_files.append([uri, f"p{number}.md", len(data)])
        export_files = []
        for number, (name, (data, kinds)) in enumerate(exports.items()):
            bc.write_file(folder / f"x{number}", data)
            export_files.append([name, f"x{number}", len(data), kinds])
    except OSError as err:
        log.warning("could not keep this build's output in %s: %s", cache_dir, err.strerror or err)
        return False
    feeds = options["feeds"]
    until = bc.freshness_deadline(
        [view.last_post for view in state.feeds.values()],
        (feeds["active_days"], feeds["quiet_days"]),
        moment,
    )
    manifest = {
        "format": bc.FORMAT,
        "key": recording.key,
        "made": moment.isoformat(),
        "until": until.isoformat() if until else None,
        "inputs": recording.paths,
        "digest": recording.digest,
        "folder": folder.name,
        "binder": recording.binder,
        "nav": recording.nav,
        "pages": page_files,
        "exports": export_files,
        "logs": {step: [list(r) for r in recording.logs[step]] for step in STEPS},
    }
    if not bc.write_manifest(cache_dir, manifest):
        return False
    bc.drop_others(cache_dir, folder.name)
    return True
