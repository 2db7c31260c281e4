"""The site's settings for an engine that reads a docs tree, as plain `mkdocs.yml`-shaped data.

MkDocs, ProperDocs and Zensical all read these keys (site_name, theme with features and
palette, markdown_extensions, extra_css, extra_javascript, nav, extra.social); the adapters
write them in each engine's own file format. The project's mkdocs.yml is the starting point, so
a fork's settings carry over; PLN Kit's plugin is taken out (the docs tree already holds what
it would add) and the binder's navigation, assets and branding are put in, by the same code
the plugin uses (`site.config.configure`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from plnkit.kit.model import Binder
from plnkit.site.branding import Log
from plnkit.site.config import configure
from plnkit.site.tree import DocsTree

PLUGIN_NAME = "plnkit"
# What the kit's own mkdocs.yml relies on, for a project whose config leaves a key out.
DEFAULTS: dict[str, Any] = {
    "theme": {"name": "material", "features": ["navigation.tabs"]},
    "markdown_extensions": ["attr_list", "md_in_html", {"toc": {"permalink": True}}],
    "plugins": ["search"],
}


def without_plugin(plugins: Any, name: str = PLUGIN_NAME) -> list[Any]:
    """A `plugins` setting (list or mapping) as a list, without the plugin `name`.

    >>> without_plugin(["search", {"plnkit": {"offline": True}}, {"offline": None}])
    ['search', {'offline': None}]
    >>> without_plugin({"search": None, "plnkit": {}})
    [{'search': None}]
    """
    if isinstance(plugins, Mapping):
        items = [{key: value} for key, value in plugins.items()]
    else:
        items = list(plugins or [])
    kept = []
    for item in items:
        if item == name or (isinstance(item, Mapping) and name in item):
            continue
        kept.append(item)
    return kept


def _plain(value: Any) -> Any:
    """Strings as plain `str` (branding hands back Markup), containers copied the same way."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def site_config(
    project: Mapping[str, Any], tree: DocsTree, binder: Binder, log: Log
) -> dict[str, Any]:
    """The settings an engine builds `tree` with; `project` is the project's mkdocs.yml data.

    Paths are left to the adapter (`docs_dir`, `site_dir`), which knows where its file goes.
    """
    config: dict[str, Any] = copy.deepcopy(dict(project))
    for key, value in DEFAULTS.items():
        config.setdefault(key, copy.deepcopy(value))
    if isinstance(config["theme"], str):
        config["theme"] = {"name": config["theme"]}
    config["plugins"] = without_plugin(config.get("plugins"))
    config["nav"] = config.get("nav") or []
    config["extra_css"] = list(config.get("extra_css") or [])
    config["extra_javascript"] = list(config.get("extra_javascript") or [])
    config["extra"] = dict(config.get("extra") or {})
    config["docs_dir"] = str(tree.docs_dir)
    config.pop("INHERIT", None)
    configure(config, tree.nav, binder, log)
    config["docs_dir"] = str(Path(tree.docs_dir))
    return _plain(config)
