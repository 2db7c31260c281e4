"""What a site build needs from the library, kept out of the MkDocs adapter.

The adapter calls these from MkDocs events; `plnkit render` calls the same functions, so the
plain-Markdown output and the plugin build never drift apart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from plnkit.exports.ics import calendar_slugs
from plnkit.exports.site_exports import site_url, write_exports
from plnkit.kit.layers import layer_report
from plnkit.kit.loader import load_kit
from plnkit.kit.model import Kit
from plnkit.net.clock import Clock, SystemClock
from plnkit.net.offline import env_offline
from plnkit.kit.problems import Level, display_path
from plnkit.render.i18n import DEFAULT_LANGUAGE, catalogue, using
from plnkit.render.pages import RenderOptions, nav
from plnkit.render.paging import DEFAULT_MAX_RESOURCES
from plnkit.site.config import ASSETS as ASSETS  # re-exported for scripts and tests
from plnkit.site.config import CSS_URI as CSS_URI
from plnkit.site.config import JS_URI as JS_URI
from plnkit.site.config import KitInvalid, asset_files, configure
from plnkit.site.page_files import write_site_pages
from plnkit.site.state import Refresh, gather_state, offline_notice
from plnkit.render.contribute import Contribute, branch_of, suggest_link
from plnkit.render.subscribe import render_subscribe
from plnkit.render.state import SiteState


@dataclass(frozen=True)
class Settings:
    root: Path  # the folder of mkdocs.yml; messages name files relative to it
    kit_dir: Path
    extra_kit_dirs: tuple[Path, ...]
    exclude: tuple[str, ...]
    cache_dir: Path
    refresh: Refresh
    render: RenderOptions
    kit_cache: bool = True  # `cache: false` reads and checks every kit file on each build


def settings(options: Any, config_file: str | None) -> Settings:
    """Resolve plugin options (paths against the config file's folder)."""
    root = Path(config_file).resolve().parent if config_file else Path.cwd()
    offline = bool(options["offline"]) or env_offline()
    links, feeds = options["links"], options["feeds"]
    pages = options.get("pages") or {}
    return Settings(
        root=root,
        kit_dir=root / options["kit_dir"],
        extra_kit_dirs=tuple(root / d for d in options["extra_kit_dirs"]),
        exclude=tuple(options["exclude"]),
        cache_dir=root / options["cache_dir"],
        refresh=Refresh(
            offline=offline,
            check_links=bool(links["check"]) and not offline,
            fetch_feeds=bool(feeds["fetch"]) and not offline,
            links_max_age_hours=links["max_age_hours"],
            feeds_max_age_hours=feeds["max_age_hours"],
            river_size=feeds["river_size"],
            links_concurrency=links["concurrency"],
            links_per_host=links["per_host"],
            links_timeout=links["timeout"],
            links_min_interval=links["min_interval"],
            links_verified_max_age_days=links["verified_max_age_days"],
            feeds_active_days=feeds["active_days"],
            feeds_quiet_days=feeds["quiet_days"],
        ),
        render=RenderOptions(
            posts_shown=feeds["posts_per_resource"],
            max_resources_per_page=pages.get("max_resources_per_page", DEFAULT_MAX_RESOURCES),
        ),
        kit_cache=bool(options.get("cache", True)),
    )


def with_site_config(
    setup: Settings, kit: Kit, config: Any, now: dt.datetime | None = None
) -> Settings:
    """The settings, with what pages need from the site's configuration and the kit: the
    repository contributions go to, the site's address, and which resources the calendar
    written by this build (write_outputs) holds an event for."""
    now = now or SystemClock().now()
    render = dataclasses.replace(
        setup.render,
        calendar_events=calendar_slugs(kit, now),
        contribute=Contribute(
            repo_url=str(config.get("repo_url") or ""),
            branch=branch_of(config.get("edit_uri")),
            root=setup.root,
        ),
        root_url=site_url(kit, str(config.get("site_url") or "")),
    )
    return dataclasses.replace(setup, render=render)


def load_or_fail(setup: Settings, log: logging.Logger | logging.LoggerAdapter) -> Kit:
    """The validated kit; every problem logged (file:line:col); KitInvalid on errors."""
    result = load_kit(
        setup.kit_dir,
        extra_dirs=setup.extra_kit_dirs,
        exclude=setup.exclude,
        base=setup.root,
        # unchanged files are not checked again (plnkit.kit.cache), unless `cache: false`
        cache_dir=setup.cache_dir if setup.kit_cache else None,
    )
    for problem in result.problems:
        if problem.level is Level.ERROR:
            log.error("%s", problem.format())
        else:
            log.info("%s", problem.format())
    if not result.ok or result.kit is None:
        errors = [p.format() for p in result.problems if p.level is Level.ERROR]
        raise KitInvalid(
            f"the kit has {len(errors)} error(s); fix them and build again:\n" + "\n".join(errors)
        )
    report_layers(setup, log)
    return result.kit


def report_layers(setup: Settings, log: logging.Logger | logging.LoggerAdapter) -> None:
    """Tell a fork's maintainer what its own folders and `exclude` did to the upstream kit."""
    report = layer_report(setup.kit_dir, setup.extra_kit_dirs, setup.exclude)
    for slug in report.unmatched_excludes:
        log.warning(
            "mkdocs.yml: `exclude` lists %r, but no resource file has that name; "
            "was it renamed upstream? Remove it or use the new name",
            slug,
        )
    for mine, theirs in report.overrides:
        log.info("%s replaces %s", display_path(mine, setup.root), display_path(theirs, setup.root))


def site_language(options: Any, config: Any) -> str:
    """The language plnkit renders in: the plugin's `language`, else the theme's, else English.

    >>> site_language({"language": None}, {"theme": {"language": "fr"}})
    'fr'
    """
    chosen = options.get("language") if hasattr(options, "get") else None
    theme = config.get("theme") if hasattr(config, "get") else None
    from_theme = theme.get("language") if theme is not None and hasattr(theme, "get") else None
    return str(chosen or from_theme or DEFAULT_LANGUAGE)


def with_language(
    setup: Settings, language: str, log: logging.Logger | logging.LoggerAdapter
) -> Settings:
    """`setup` rendering in `language`; a language without a catalogue renders English, said
    once at INFO (the theme may well speak it: a warning would fail a strict build)."""
    if language.split("_")[0].split("-")[0].lower() != DEFAULT_LANGUAGE:
        if not catalogue(language).has_catalogue:
            log.info(
                "plnkit has no %r catalogue yet, so its labels stay English "
                "(CONTRIBUTING.md: Translations)",
                language,
            )
    return replace(setup, render=replace(setup.render, language=language))


def configure_site(
    config: Any, kit: Kit, log: logging.Logger | logging.LoggerAdapter, language: str = "en"
) -> None:
    """Navigation from the binder (unless mkdocs.yml sets its own) and the binder's styles."""
    with using(language):
        configure(config, nav(kit), kit.binder, log)


def build_state(
    kit: Kit,
    setup: Settings,
    log: logging.Logger | logging.LoggerAdapter,
    clock: Clock | None = None,
) -> SiteState:
    """The state one build renders its pages and exports from: the store is refreshed where
    allowed and read once. A build that did not use the network says so, once, at INFO (a
    warning would fail `mkdocs build --strict` for a laptop on a train)."""
    gathered = gather_state(kit, setup.cache_dir, setup.refresh, clock)
    notice = offline_notice(gathered)
    if notice:
        log.info("%s", notice)
    return gathered.state


def write_outputs(
    kit: Kit,
    setup: Settings,
    site_dir: Path,
    log: logging.Logger | logging.LoggerAdapter,
    state: SiteState,
    now: dt.datetime | None = None,
) -> list[Path]:
    """Files written beside the pages after the build (exports, feeds); returns their paths.

    `state` is the one the pages were rendered from (`build_state`), not read again; `now`
    is the build's moment (default: the system clock's)."""
    written: list[Path] = []
    # Exports: the river's feed.xml, OPML, follow list, JSON API, calendar.
    try:
        now = now or SystemClock().now()
        written += write_exports(kit, state, site_dir, now)
    except OSError as err:
        log.warning("could not write the exports into %s: %s", site_dir, err.strerror or err)
    return written


def generated_files(
    kit: Kit,
    setup: Settings,
    log: logging.Logger | logging.LoggerAdapter,
    state: SiteState | None = None,
    *,
    pages_dir: Path,
) -> dict[str, Path]:
    """Every virtual file of the site, by its path in the docs tree: the tab pages, written
    one by one as Markdown files into `pages_dir`, and the assets as packaged files.

    Pass the build's `state` (from `build_state`) to render from it; without, it is gathered."""
    if state is None:
        state = build_state(kit, setup, log)
    out = write_site_pages(kit, state, setup.render, pages_dir)
    out.update(asset_files())
    return out


SUBSCRIBE_MARKER = "<!-- plnkit:subscribe -->"
SUGGEST_MARKER = "<!-- plnkit:suggest -->"


def fill_home_blocks(markdown: str, kit: Kit, setup: Settings) -> str:
    """The home page's "Subscribe and follow" and "Suggest a resource" blocks in place of
    their markers (docs/index.md sits at the site's root)."""
    if SUBSCRIBE_MARKER in markdown:
        block = render_subscribe(kit, "", setup.render.root_url)
        markdown = markdown.replace(SUBSCRIBE_MARKER, block)
    if SUGGEST_MARKER in markdown:
        markdown = markdown.replace(SUGGEST_MARKER, suggest_link(setup.render.contribute))
    return markdown
