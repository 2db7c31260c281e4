"""The complete, engine-neutral docs tree of a site: what any engine turns into HTML.

`write_docs_tree` lays out, in one folder: the hand-written docs (home page markers filled from
kit/binder.yml), every generated page, the binder's stylesheet and script, and every export
(feed, OPML, CSV, JSON, calendar) as a static file at its published path. Beside the folder it
writes `site.json`: the navigation (tab order and titles), the stylesheets and scripts every
page loads, and the binder's identity. An engine needs nothing else from PLN Kit; the adapters
only turn this into an engine's configuration.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from plnkit.exports.site_exports import write_exports
from plnkit.kit.model import Kit
from plnkit.net.clock import SystemClock
from plnkit.render.i18n import _, using
from plnkit.render.pages import nav as kit_nav
from plnkit.render.state import SiteState
from plnkit.site.branding import Branding, branding_of, fill_markers
from plnkit.site.build import Settings, build_state, fill_home_blocks, generated_files
from plnkit.site.config import CSS_URI, JS_URI

Log = logging.Logger | logging.LoggerAdapter
MANIFEST = "site.json"


@dataclass(frozen=True)
class DocsTree:
    """A docs tree on disk and what an engine's configuration must say about it."""

    docs_dir: Path
    nav: list[dict[str, str]]  # [{title: page}], titles escaped for HTML as MkDocs themes want
    nav_titles: list[tuple[str, str]]  # the same entries, titles as plain text
    extra_css: list[str] = field(default_factory=lambda: [CSS_URI])
    extra_javascript: list[str] = field(default_factory=lambda: [JS_URI])
    branding: Branding | None = None
    pages: list[str] = field(default_factory=list)  # generated pages, by docs path
    exports: list[str] = field(default_factory=list)  # export files, by docs path

    def manifest(self) -> dict[str, object]:
        """What `site.json` holds: everything but the folder's own path."""
        return {
            "nav": self.nav_titles,
            "extra_css": self.extra_css,
            "extra_javascript": self.extra_javascript,
            "branding": asdict(self.branding) if self.branding else None,
            "pages": self.pages,
            "exports": self.exports,
        }


def write_docs_tree(
    kit: Kit,
    setup: Settings,
    source_docs: Path,
    target: Path,
    log: Log,
    state: SiteState | None = None,
    now: dt.datetime | None = None,
) -> DocsTree:
    """Write the site's whole docs tree into `target` (emptied first); `source_docs` holds the
    hand-written pages. `state` is the build's (`build_state`); `now` stamps the exports."""
    if state is None:
        state = build_state(kit, setup, log)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    language = setup.render.language
    if source_docs.is_dir():
        _copy_docs(source_docs, target, kit, setup)
    # The pages are written straight into the tree, one by one; the assets are copied in.
    generated = generated_files(kit, setup, log, state, pages_dir=target)
    pages = []
    for uri, source in generated.items():
        path = target / uri
        if source == path:
            pages.append(uri)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
    written = write_exports(kit, state, target, now or SystemClock().now())
    branding, _problems = branding_of(kit.binder)  # problems are logged by the config step
    with using(language):
        entries = kit_nav(kit)
        home = _("Home")
    plain = [(home, "index.md")] + [(tab.title, f"{tab.id}/index.md") for tab in kit.binder.tabs]
    tree = DocsTree(
        docs_dir=target,
        nav=entries,
        nav_titles=plain,
        branding=branding,
        pages=sorted(pages),
        exports=sorted(p.relative_to(target).as_posix() for p in written),
    )
    (target.parent / MANIFEST).write_text(
        json.dumps(tree.manifest(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return tree


def _copy_docs(source: Path, target: Path, kit: Kit, setup: Settings) -> None:
    """The hand-written docs, with the home page's binder markers and blocks filled."""
    for folder, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(folder)
        out = target / here.relative_to(source)
        out.mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            if name.startswith("."):
                continue
            if name.endswith(".md"):
                text = (here / name).read_text(encoding="utf-8")
                with using(setup.render.language):
                    text = fill_markers(text, kit.binder, setup.render.language)
                    text = fill_home_blocks(text, kit, setup)
                (out / name).write_text(text, encoding="utf-8")
            else:
                shutil.copyfile(here / name, out / name)
