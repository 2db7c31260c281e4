"""The MkDocs adapter: wires the PLN Kit library into MkDocs events and does nothing else."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from plnkit.adapters.mkdocs_build import PluginBuild
from plnkit.adapters.mkdocs_config import PlnKitConfig
from plnkit.net.clock import Clock, SystemClock
from plnkit.render.head import insert_head
from plnkit.render.i18n import using
from plnkit.site import branding, file_site
from plnkit.site.config import KitInvalid
from plnkit.site.html_blocks import SetAside, set_aside
from plnkit.site.page_head import page_tags

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
        self.generated: set[str] = set()  # the generated pages' paths in the docs tree
        self.set_aside: dict[str, SetAside] = {}  # a generated page's HTML blocks, by path

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
        _use_theme_overrides(config)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        """Add the generated tab pages and assets as virtual files (no Markdown per resource)."""
        if self.build is None:
            return None
        in_nav = set(_nav_pages(config.nav or []))
        generated = self.build.files()
        for uri, content in generated.items():
            # Pages reached by links (print, link health, recent posts, every resource) are
            # meant to be outside the nav: say so, and MkDocs has nothing to report.
            inclusion = InclusionLevel.UNDEFINED
            if uri.endswith(".md") and uri not in in_nav:
                inclusion = InclusionLevel.NOT_IN_NAV
            if isinstance(content, Path):
                file = File.generated(config, uri, abs_src_path=str(content), inclusion=inclusion)
            else:
                file = File.generated(config, uri, content=content, inclusion=inclusion)
            files.append(file)
        self.generated = {uri for uri in generated if uri.endswith(".md")}
        return files

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder) -> None:
        """`mkdocs serve` rebuilds when a kit file changes: watch the kit and a fork's folders
        (MkDocs watches docs_dir and mkdocs.yml only)."""
        if self.build is None:
            return
        for folder in self.build.watched_dirs():
            if folder.is_dir():
                server.watch(str(folder))

    def on_page_context(self, context, /, *, page: Page, config: MkDocsConfig, nav):
        """Generated pages have no source file in docs/: no "edit this page" link to one."""
        if page.file.src_uri in self.generated:
            page.edit_url = None
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Open Graph, Twitter-card and feed tags in the head of every page."""
        if self.build is None or self.build.kit is None:
            return None
        with using(self.build.language):  # the feed's title is in the site's language
            tags = page_tags(
                self.build.kit,
                title=str(page.title or "") if not page.is_homepage else "",
                description=str(page.meta.get("description") or config.site_description or ""),
                page_url=page.url,
                canonical=page.canonical_url or "",
                root_url=self.build.setup.render.root_url,
            )
        return insert_head(output, tags)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write exports beside the built pages, once the site folder exists."""
        if self.build is None:
            return
        self.build.post_build(Path(config.site_dir))
        if not config.use_directory_urls:  # mkdocs-material's offline plugin: a file:// copy
            file_site.finish_site_for_files(Path(config.site_dir))

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build leaves no generated pages behind in the temporary folder."""
        if self.build is not None:
            self.build.finish()

    def on_shutdown(self) -> None:
        if self.build is not None:
            self.build.finish()

    def on_page_markdown(self, markdown: str, /, *, page, config, files) -> str | None:
        """Fill the home page's markers: intro and contact from kit/binder.yml, the Subscribe and
        Suggest blocks from the kit."""
        if self.build is None or self.build.binder is None:
            return None
        if page.file.src_uri in self.generated:
            # Its big HTML blocks skip Python-Markdown and come back in on_page_content.
            aside = set_aside(markdown)
            self.set_aside[page.file.src_uri] = aside
            return aside.markdown
        filled = branding.fill_markers(markdown, self.build.binder, self.build.language)
        return self.build.fill_home(filled)

    def on_page_content(self, html: str, /, *, page: Page, config, files) -> str | None:
        """A generated page's HTML blocks back in place of their markers, and its Markdown
        let go: MkDocs keeps every page's source and HTML until the build ends, and a large
        kit's generated pages would sit in memory twice over (the title is in the front
        matter, already read)."""
        if page.file.src_uri not in self.generated:
            return None
        page.markdown = ""
        aside = self.set_aside.pop(page.file.src_uri, None)
        return aside.put_back(html) if aside else None


def _nav_pages(items: object) -> list[str]:
    """Every page path in a MkDocs nav setting (nested lists and mappings)."""
    if isinstance(items, str):
        return [items]
    if isinstance(items, dict):
        return [p for value in items.values() for p in _nav_pages(value)]
    if isinstance(items, list):
        return [p for item in items for p in _nav_pages(item)]
    return []


def _use_theme_overrides(config: MkDocsConfig) -> None:
    """mkdocs-material's templates, with PLN Kit's few overrides in front of the theme's own
    (behind a site's `custom_dir`): the repository link without the call to GitHub's API."""
    theme = config.theme
    if theme.name != "material":
        return
    ours = str(resources.files("plnkit").joinpath("overrides", "material"))
    if ours in theme.dirs:
        return
    custom = theme.custom_dir
    at = 1 if custom and theme.dirs and theme.dirs[0] == custom else 0
    theme.dirs.insert(at, ours)
