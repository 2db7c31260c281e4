"""The MkDocs adapter: wires the PLN Kit library into MkDocs events and does nothing else."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from plnkit.adapters.mkdocs_build import PluginBuild
from plnkit.adapters.mkdocs_config import PlnKitConfig
from plnkit.net.clock import Clock, SystemClock
from plnkit.site import branding, file_site
from plnkit.site.config import KitInvalid

log = get_plugin_logger(__name__)

# ProperDocs support, declared as ProperDocs documents it: the plugin is registered under
# `properdocs.plugins` too (pyproject.toml), and calls ProperDocs' `replacement_warning.setup`,
# which tells people who still run the `mkdocs` executable about the move (silenced with
# DISABLE_MKDOCS_2_WARNING=true). Without ProperDocs installed there is nothing to declare.
try:
    import properdocs.replacement_warning as properdocs_support
except ImportError:  # pragma: no cover - ProperDocs is an extra
    properdocs_support = None
if properdocs_support is not None:
    properdocs_support.setup()


class PlnKitPlugin(BasePlugin[PlnKitConfig]):
    def __init__(self) -> None:
        self.clock: Clock = SystemClock()  # tests set a FakeClock
        self.build: PluginBuild | None = None  # the current build (plnkit.adapters.mkdocs_build)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Load and validate the kit first, so broken kit data stops the build before work."""
        self.build = None
        if not self.config.enabled:
            return None
        build = PluginBuild(self.config, config.config_file_path, self.clock, log)
        try:
            build.configure(config)
        except KitInvalid as err:
            raise PluginError(str(err)) from None
        self.build = build
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        """Add the generated tab pages and assets as virtual files (no Markdown per resource)."""
        if self.build is None:
            return None
        for uri, content in self.build.files().items():
            if isinstance(content, Path):
                files.append(File.generated(config, uri, abs_src_path=str(content)))
            else:
                files.append(File.generated(config, uri, content=content))
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write exports beside the built pages, once the site folder exists."""
        if self.build is None:
            return
        self.build.post_build(Path(config.site_dir))
        if not config.use_directory_urls:  # mkdocs-material's offline plugin: a file:// copy
            file_site.finish_site_for_files(Path(config.site_dir))

    def on_page_markdown(self, markdown: str, /, *, page, config, files) -> str | None:
        """Fill the home page's binder markers (intro, contact) from kit/binder.yml."""
        if self.build is None or self.build.binder is None:
            return None
        return branding.fill_markers(markdown, self.build.binder, self.build.language)
