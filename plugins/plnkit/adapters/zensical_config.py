"""The Zensical adapter's configuration: the site's settings written as `zensical.toml`.

Zensical reads its own TOML file (a `[project]` table holding the mkdocs.yml keys); it runs
Python-Markdown extensions but no MkDocs plugins, which is why PLN Kit hands it a finished docs
tree. Values are written as TOML inline values; strings in TOML's basic form (the escapes JSON
writes are TOML's too, and nothing is written as `\\u` escape beyond control characters).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

# Zensical's own theme comes in two looks; "classic" is Material for MkDocs' look, so a site
# built by either engine looks the same to its readers.
VARIANT = "classic"


def toml_value(value: Any) -> str:
    """One TOML value, inline.

    >>> toml_value({"a": [1, "b", True], "c d": None})
    '{ a = [1, "b", true] }'
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        parts = [f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(parts) + " }" if parts else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value if v is not None) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML: {value!r}")


def toml_key(key: Any) -> str:
    text = str(key)
    if text and all(c.isalnum() or c in "-_" for c in text) and text.isascii():
        return text
    return json.dumps(text, ensure_ascii=False)


def as_mapping(entries: Any) -> dict[str, Any]:
    """A MkDocs list of names and one-key mappings (plugins, markdown_extensions) as one table.

    >>> as_mapping(["search", {"toc": {"permalink": True}}, {"offline": None}])
    {'search': {}, 'toc': {'permalink': True}, 'offline': {}}
    """
    if isinstance(entries, Mapping):
        return {str(k): dict(v or {}) for k, v in entries.items()}
    table: dict[str, Any] = {}
    for entry in entries or []:
        if isinstance(entry, Mapping):
            for name, options in entry.items():
                table[str(name)] = dict(options or {})
        else:
            table[str(entry)] = {}
    return table


def _plain_nav(nav: Any) -> Any:
    """Nav titles as text: Zensical's templates escape what they print (MkDocs' do not, so the
    shared settings carry titles escaped once for HTML)."""
    if isinstance(nav, list):
        return [_plain_nav(item) for item in nav]
    if isinstance(nav, Mapping):
        return {html.unescape(str(k)): _plain_nav(v) for k, v in nav.items()}
    return nav


def zensical_project(config: Mapping[str, Any], docs_dir: str, site_dir: str) -> dict[str, Any]:
    """The `[project]` table for the shared site settings."""
    project = {k: v for k, v in config.items() if v is not None}
    project["docs_dir"] = docs_dir
    project["site_dir"] = site_dir
    for key in ("site_name", "site_description"):
        if key in project:
            project[key] = html.unescape(str(project[key]))
    project["nav"] = _plain_nav(project.get("nav") or [])
    project["plugins"] = as_mapping(project.get("plugins"))
    extensions = as_mapping(project.get("markdown_extensions"))
    # Zensical always adds SuperFences, which colours code with Pygments; the theme's token
    # colours fail WCAG AA contrast (axe), and the MkDocs build does not colour code at all.
    # Unless a project sets highlighting itself, code stays plain, as with MkDocs.
    extensions.setdefault("pymdownx.highlight", {"use_pygments": False})
    project["markdown_extensions"] = extensions
    theme = dict(project.get("theme") or {})
    theme.setdefault("variant", VARIANT)
    project["theme"] = theme
    return project


def zensical_toml(config: Mapping[str, Any], docs_dir: str, site_dir: str) -> str:
    """The whole `zensical.toml`."""
    project = zensical_project(config, docs_dir, site_dir)
    lines = [
        "# Written by `plnkit build --engine zensical` from mkdocs.yml and kit/binder.yml;",
        "# edit those, not this file.",
        "[project]",
    ]
    lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in project.items()]
    return "\n".join(lines) + "\n"
