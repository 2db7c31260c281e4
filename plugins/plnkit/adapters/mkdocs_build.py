"""One site build, step by step, as an engine's events call it.

The MkDocs adapter calls `configure` from `on_config`, `files` from `on_files` and
`post_build` from `on_post_build`; each step delegates to `build_support`.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from plnkit.kit.model import Binder, Kit
from plnkit.net.clock import Clock
from plnkit.render.i18n import using
from plnkit.render.state import SiteState
from plnkit.site import build as build_support

Log = logging.Logger | logging.LoggerAdapter


class PluginBuild:
    def __init__(self, options: Any, config_file: str | None, clock: Clock, log: Log) -> None:
        self.options = options
        self.setup = build_support.settings(options, config_file)
        self.clock, self.log = clock, log
        self.kit: Kit | None = None
        self.state: SiteState | None = None
        self.pages_dir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def binder(self) -> Binder | None:
        return self.kit.binder if self.kit else None

    def configure(self, config: Any) -> None:
        """Load the kit (KitInvalid on errors) and set the site's nav and styles from it."""
        self.kit = build_support.load_or_fail(self.setup, self.log)
        language = build_support.site_language(self.options, config)
        self.setup = build_support.with_language(self.setup, language, self.log)
        build_support.configure_site(config, self.kit, self.log, language)
        self.setup = build_support.with_site_config(self.setup, self.kit, config, self.clock.now())

    @property
    def language(self) -> str:
        return self.setup.render.language

    def files(self) -> dict[str, Path]:
        """The generated pages and assets, as MkDocs' virtual files: the pages are written
        one by one into a temporary folder that MkDocs reads them from (`finish` removes it)."""
        assert self.kit is not None
        self.state = build_support.build_state(self.kit, self.setup, self.log, self.clock)
        self.finish()
        self.pages_dir = tempfile.TemporaryDirectory(prefix="plnkit-pages-")
        pages = Path(self.pages_dir.name)
        return build_support.generated_files(
            self.kit, self.setup, self.log, self.state, pages_dir=pages
        )

    def post_build(self, site_dir: Path) -> None:
        """Write the exports beside the built pages; the generated pages' folder goes."""
        assert self.kit is not None and self.state is not None
        self.finish()
        build_support.write_outputs(
            self.kit, self.setup, site_dir, self.log, self.state, self.clock.now()
        )

    def finish(self) -> None:
        """Remove the generated pages' temporary folder, once MkDocs has read it (at the end
        of a build, or when a build fails)."""
        if self.pages_dir is not None:
            self.pages_dir.cleanup()
            self.pages_dir = None

    def fill_home(self, markdown: str) -> str:
        """The home page's Subscribe and Suggest blocks in place of their markers."""
        if self.kit is None:
            return markdown
        with using(self.language):
            return build_support.fill_home_blocks(markdown, self.kit, self.setup)

    def watched_dirs(self) -> list[Path]:
        """The folders whose files the site is built from, besides docs/: the kit and a
        fork's own kit folders."""
        return [self.setup.kit_dir, *self.setup.extra_kit_dirs]
