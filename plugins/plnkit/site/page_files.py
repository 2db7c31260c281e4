"""Generated pages written to a folder as they are rendered, so a build never holds them all.

A kit of 100,000 resources renders to some 150 MB of Markdown; kept as strings until the
engine reads them, that is one more copy of the whole site in memory beside the engine's own.
Written out page by page, the engine reads each from disk (MkDocs' `File.generated` with a
source path) and only the paths are kept. The MkDocs build writes them into a temporary folder
(the system's, or TMPDIR) that it removes when the build ends.
"""

from __future__ import annotations

from pathlib import Path

from plnkit.kit.model import Kit
from plnkit.render.pages import RenderOptions, emit_site_pages
from plnkit.render.state import SiteState


def write_site_pages(
    kit: Kit, state: SiteState, options: RenderOptions, folder: Path
) -> dict[str, Path]:
    """Render every generated page into `folder` (files in it that are not pages are kept),
    one page at a time; each page's path in the docs tree and the file it was written to."""
    written: dict[str, Path] = {}

    def write(uri: str, text: str) -> None:
        path = folder / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        written[uri] = path

    emit_site_pages(kit, state, options, write)
    return written
