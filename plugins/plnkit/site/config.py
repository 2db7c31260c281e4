"""What the plugin changes in the MkDocs configuration, and the packaged assets it adds."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from plnkit.kit.model import Binder
from plnkit.site.branding import Log, apply_branding

CSS_URI = "assets/plnkit/plnkit.css"
ASSETS = {CSS_URI: "plnkit.css"}
# The binder script: turns server-rendered cards into sub-tabs, filters and previews.
JS_URI = "assets/plnkit/plnkit-binder.js"
ASSETS[JS_URI] = "plnkit-binder.js"
# The kit's logo when binder.yml names none: the image a shared link shows.
LOGO_URI = "assets/plnkit/plnkit-logo.svg"
ASSETS[LOGO_URI] = "plnkit-logo.svg"
# Web workers for a copy opened from disk (file://), so search runs from local files: it
# stands in for the shim mkdocs-material's offline plugin would load from a public CDN.
WORKER_SHIM_URI = "assets/plnkit/iframe-worker-shim.js"
ASSETS[WORKER_SHIM_URI] = "iframe-worker-shim.js"


class KitInvalid(Exception):
    """The kit has errors; the message lists them, one per line."""


def configure(config: Any, nav: list[dict[str, str]], binder: Binder, log: Log) -> None:
    """Navigation from the binder (unless mkdocs.yml sets its own) and the binder's styles."""
    if not config["nav"]:
        config["nav"] = nav
    if CSS_URI not in config["extra_css"]:
        config["extra_css"].append(CSS_URI)
    if JS_URI not in [str(script) for script in config["extra_javascript"]]:
        config["extra_javascript"].append(JS_URI)
    apply_branding(config, binder, log)
    local_worker_shim(config)


def local_worker_shim(config: Any) -> None:
    """Swap a remote iframe-worker shim in `extra.polyfills` for the packaged one.

    mkdocs-material's offline plugin adds the remote one (from its own `on_config`) only when
    no polyfill names iframe-worker; whichever runs first, no page ends up loading it."""
    extra = config["extra"]
    polyfills = [str(p) for p in extra.get("polyfills") or []]
    remote = [p for p in polyfills if "iframe-worker" in p and "://" in p]
    kept = [p for p in polyfills if p not in remote]
    plugins = config.get("plugins")
    named = plugins.items() if isinstance(plugins, Mapping) else ()  # MkDocs: name -> plugin
    offline_on = any(
        str(name).endswith("offline") and getattr(getattr(plugin, "config", None), "enabled", False)
        for name, plugin in named
    )
    if remote or offline_on:
        if WORKER_SHIM_URI not in kept:
            kept.append(WORKER_SHIM_URI)
        extra["polyfills"] = kept


def asset_files() -> dict[str, Path]:
    """The stylesheet and script every binder site carries, by their path in the site."""
    assets = resources.files("plnkit").joinpath("assets")
    return {uri: Path(str(assets.joinpath(name))) for uri, name in ASSETS.items()}
