"""The MkDocs adapter: wires the PLN Kit library into MkDocs events and does nothing else."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from plnkit import branding, build_support, file_site, heap
from plnkit.config import PlnKitConfig
from plnkit.model import Kit
from plnkit.site_state import SiteState

log = get_plugin_logger(__name__)


class PlnKitPlugin(BasePlugin[PlnKitConfig]):
    def __init__(self) -> None:
        self.kit: Kit | None = None
        self.state: SiteState | None = None  # this build's, for its pages and its exports

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Load and validate the kit first, so broken kit data stops the build before work."""
        if not self.config.enabled:
            return None
        heap.release()  # in case an earlier build (mkdocs serve) stopped halfway
        setup = build_support.settings(self.config, config.config_file_path)
        self.state = None
        try:
            self.kit = build_support.load_or_fail(setup, log)
        except build_support.KitInvalid as err:
            raise PluginError(str(err)) from None
        build_support.configure_site(config, self.kit)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        """Add the generated tab pages and assets as virtual files (no Markdown per resource)."""
        if not self.config.enabled or self.kit is None:
            return None
        setup = build_support.settings(self.config, config.config_file_path)
        with heap.collector_paused():
            self.state = build_support.build_state(self.kit, setup, log)  # the one store read
            generated = build_support.generated_files(self.kit, setup, log, self.state)
        for uri, content in generated.items():
            if isinstance(content, Path):
                files.append(File.generated(config, uri, abs_src_path=str(content)))
            else:
                files.append(File.generated(config, uri, content=content))
        heap.set_aside()  # the kit and its state live on, unscanned, while pages render
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write exports beside the built pages, once the site folder exists."""
        heap.release()
        if not self.config.enabled or self.kit is None or self.state is None:
            return
        setup = build_support.settings(self.config, config.config_file_path)
        with heap.collector_paused():
            build_support.write_outputs(self.kit, setup, Path(config.site_dir), log, self.state)
        if not config.use_directory_urls:  # mkdocs-material's offline plugin: a file:// copy
            file_site.finish_site_for_files(Path(config.site_dir))

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build gives the set-aside objects back to the collector."""
        heap.release()

    def on_page_markdown(self, markdown: str, /, *, page, config, files) -> str | None:
        """Fill the home page's binder markers (intro, contact) from kit/binder.yml."""
        if not self.config.enabled or self.kit is None:
            return None
        return branding.fill_markers(markdown, self.kit.binder)
