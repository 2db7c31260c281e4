"""Rewrite a copy of the kit for an association: the edits behind `plnkit init`.

Only the values that make a fork its own change: the binder's name, words, logo, favicon,
footer line, colours and contact in kit/binder.yml (the lines above its tabs, which upstream
leaves alone); the site and repository addresses and the fork settings (`exclude`,
`extra_kit_dirs`) in mkdocs.yml. Files are edited round-trip (ruamel.yaml), so comments, quoting
and layout stay as they were and upstream updates keep merging cleanly; the new text is written
by the one editor (`yaml_edit.write_verified`: read back first, then written atomically).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from plnkit.edit.yaml_edit import Check, write_verified
from plnkit.site.branding import ACCENT_COLORS, PRIMARY_COLORS, contact_link

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Where new binder keys go when a binder lacks them: before the tabs, never after them, so a
# fork's lines stay away from the lines upstream edits most.
# (`copyright` sits under the names: a key inserted before one with a comment above it would
# land below that comment.)
BINDER_ORDER = ("title", "short_title", "copyright", "site_url", "contact", "logo", "favicon",
                "colors", "description", "intro")  # fmt: skip


@dataclass(frozen=True)
class ForkSettings:
    """What `plnkit init` was asked to set; None leaves a value as it is."""

    name: str | None = None
    short: str | None = None
    description: str | None = None
    intro: str | None = None
    site_url: str | None = None
    repo_url: str | None = None
    contact: str | None = None
    primary: str | None = None
    accent: str | None = None
    logo: str | None = None  # a path inside docs/
    favicon: str | None = None  # a path inside docs/
    copyright: str | None = None  # the footer line
    exclude: tuple[str, ...] = field(default=())
    local_dir: str = "kit-local"


def color_name(text: str) -> str:
    """A colour as Material for MkDocs spells it: `deep-purple` or `Deep Purple` → `deep purple`."""
    return " ".join(text.replace("-", " ").replace("_", " ").lower().split())


def settings_problems(settings: ForkSettings) -> list[str]:
    """Each value that cannot be used, in words for the person who typed it."""
    problems = []
    for label, value in (("--name", settings.name), ("--short", settings.short)):
        if value is not None and not value.strip():
            problems.append(f"{label} must not be empty")
    if settings.primary is not None and settings.primary not in PRIMARY_COLORS:
        problems.append(
            f"--color {settings.primary!r} is not a Material for MkDocs colour; "
            f"use one of: {', '.join(PRIMARY_COLORS)}"
        )
    if settings.accent is not None and settings.accent not in ACCENT_COLORS:
        problems.append(
            f"--accent {settings.accent!r} is not an accent colour; "
            f"use one of: {', '.join(ACCENT_COLORS)}"
        )
    for label, url in (("--site-url", settings.site_url), ("--repo-url", settings.repo_url)):
        if url is not None and not _is_web_address(url):
            problems.append(f"{label} must be a web address starting with https://; got {url!r}")
        elif label == "--repo-url" and url is not None and pages_url(url) is None:
            problems.append(
                f"--repo-url must be your fork on GitHub, https://github.com/OWNER/REPO; got "
                f"{url!r}. The kit publishes, checks its links and takes suggestions through "
                "GitHub Actions, Pages and issue forms, so a copy elsewhere would not update"
            )
    if settings.contact is not None and contact_link(settings.contact) is None:
        problems.append(
            f"--contact must be an email address or a web address; got {settings.contact!r}"
        )
    problems.extend(
        f"--exclude {slug!r} is not a resource name (lowercase words joined by hyphens)"
        for slug in settings.exclude
        if not SLUG.match(slug)
    )
    return problems


def pages_url(repo_url: str) -> str | None:
    """Where GitHub Pages publishes a repository's site.

    >>> pages_url("https://github.com/ohio-libraries/pln-kit")
    'https://ohio-libraries.github.io/pln-kit/'
    >>> pages_url("https://github.com/ohio-libraries/ohio-libraries.github.io.git")
    'https://ohio-libraries.github.io/'
    >>> pages_url("https://gitlab.com/a/b") is None
    True
    """
    parts = urlsplit(repo_url.strip())
    path = [p for p in parts.path.split("/") if p]
    if parts.hostname != "github.com" or len(path) < 2:
        return None
    owner, repo = path[0].lower(), path[1].removesuffix(".git")
    if repo.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{repo}/"


def write_fork_file(
    path: Path, settings: ForkSettings, rewrite: Callable[[str, ForkSettings], str]
) -> bool:
    """Rewrite kit/binder.yml (`rewrite_binder`) or mkdocs.yml (`rewrite_mkdocs`) in place;
    True when the file changed. ValueError says why a file was left as it was."""
    text = path.read_text(encoding="utf-8")
    new = rewrite(text, settings)
    if new == text:
        return False
    error = write_verified(path, new, _reads_back(rewrite(new, settings)))
    if error:
        raise ValueError(f"{path}: {error}")
    return True


def _reads_back(expected_text: str) -> Check:
    """The new text must read back as the data it was written from (so rewriting it again
    changes nothing)."""
    expected = _yaml().load(expected_text)

    def check(text: str) -> str | None:
        if _yaml().load(text) != expected:
            return "the rewritten file does not read back as written; edit it by hand"
        return None

    return check


def rewrite_binder(text: str, settings: ForkSettings) -> str:
    """kit/binder.yml with the association's name, words, logo, colours and contact."""
    yaml = _yaml()
    data = yaml.load(text)
    if not isinstance(data, CommentedMap):
        raise ValueError("kit/binder.yml must be a mapping of settings")
    values: dict[str, Any] = {
        "title": settings.name,
        "short_title": settings.short,
        "description": settings.description,
        "intro": _block(settings.intro) if settings.intro is not None else None,
        "site_url": settings.site_url,
        "contact": settings.contact,
        "copyright": settings.copyright,
        "logo": settings.logo,
        "favicon": settings.favicon,
    }
    for key, value in values.items():
        if value is not None:
            _put(data, key, value.strip() if isinstance(value, str) and key != "intro" else value)
    if settings.primary or settings.accent:
        colors = data.get("colors")
        if not isinstance(colors, CommentedMap):
            colors = CommentedMap()
            colors.fa.set_flow_style()
            _put(data, "colors", colors)
        if settings.primary:
            colors["primary"] = settings.primary
        if settings.accent:
            colors["accent"] = settings.accent
    return _dump(yaml, data)


def rewrite_mkdocs(text: str, settings: ForkSettings) -> str:
    """mkdocs.yml with the fork's addresses, its own kit folder and its exclusions."""
    yaml = _yaml()
    data = yaml.load(text)
    if not isinstance(data, CommentedMap):
        raise ValueError("mkdocs.yml must be a mapping of settings")
    for key, value in (("site_url", settings.site_url), ("repo_url", settings.repo_url)):
        if value is not None:
            data[key] = value
    options = plnkit_options(data)
    _add_unique(options, "extra_kit_dirs", [settings.local_dir], flow=True)
    _add_unique(options, "exclude", list(settings.exclude), flow=False)
    return _dump(yaml, data)


def plnkit_options(data: CommentedMap) -> CommentedMap:
    """The `plnkit` entry of mkdocs.yml's plugins, made a mapping if it was a bare name."""
    plugins = data.get("plugins")
    if not isinstance(plugins, CommentedSeq):
        raise ValueError("mkdocs.yml has no `plugins` list with plnkit in it")
    for index, item in enumerate(plugins):
        if item == "plnkit":
            plugins[index] = CommentedMap(plnkit=CommentedMap())
            return plugins[index]["plnkit"]
        if isinstance(item, CommentedMap) and "plnkit" in item:
            if item["plnkit"] is None:
                item["plnkit"] = CommentedMap()
            return item["plnkit"]
    raise ValueError("mkdocs.yml's plugins list has no `plnkit` entry")


def mkdocs_value(text: str, *keys: str) -> Any:
    """A value from mkdocs.yml, None when absent; `plnkit` first means the plugin's options.

    >>> mkdocs_value("site_url: https://a.example/\\nplugins: [search, plnkit]", "plnkit")
    {}
    """
    root: Any = _yaml().load(text)
    if not isinstance(root, CommentedMap):
        return None
    node: Any = plnkit_options(root) if keys[:1] == ("plnkit",) else root
    for key in keys[1:] if keys[:1] == ("plnkit",) else keys:
        node = node.get(key) if isinstance(node, CommentedMap) else None
    return node


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap upstream's long lines: that would make merge conflicts
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _block(text: str) -> LiteralScalarString:
    return LiteralScalarString(text.strip() + "\n")


def _put(data: CommentedMap, key: str, value: Any) -> None:
    if key in data:
        data[key] = value
        return
    later = BINDER_ORDER[BINDER_ORDER.index(key) + 1 :] if key in BINDER_ORDER else ()
    keys = list(data.keys())
    position = next((keys.index(k) for k in (*later, "tabs") if k in keys), len(keys))
    data.insert(position, key, value)


def _add_unique(options: CommentedMap, key: str, items: Sequence[str], *, flow: bool) -> None:
    current = options.get(key)
    if not isinstance(current, CommentedSeq):
        current = CommentedSeq(list(current or []))
        options[key] = current
    added = [item for item in items if item not in current]
    if not added:
        return
    current.extend(added)
    # A short list of folders stays on one line; slugs to hide read best one per line.
    if flow:
        current.fa.set_flow_style()
    else:
        current.fa.set_block_style()


def _is_web_address(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url
