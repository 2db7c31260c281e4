"""What the plugin changes in the MkDocs configuration, and the packaged assets it adds."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from plnkit.site.branding import Log, apply_branding
from plnkit.kit.model import Binder

CSS_URI = "assets/plnkit/plnkit.css"
ASSETS = {CSS_URI: "plnkit.css"}
# The binder script: turns server-rendered cards into sub-tabs, filters and previews.
JS_URI = "assets/plnkit/plnkit-binder.js"
ASSETS[JS_URI] = "plnkit-binder.js"


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


def asset_files() -> dict[str, Path]:
    """The stylesheet and script every binder site carries, by their path in the site."""
    assets = resources.files("plnkit").joinpath("assets")
    return {uri: Path(str(assets.joinpath(name))) for uri, name in ASSETS.items()}
