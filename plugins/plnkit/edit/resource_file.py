"""Write one new resource file that validates, or write nothing.

`plnkit new` and `plnkit from-issue` both end here: the data is written as YAML that reads
back as exactly the same text (values YAML could misread, such as `NO`, `012345`, `12:30` or
`3.10`, are quoted), the file is created without ever replacing an existing one, the whole
kit is validated with the loader, and the file is removed again if it has any error.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plnkit.kit.loader import BINDER_FILE, load_binder, load_kit, resource_files
from plnkit.kit.model import Binder
from plnkit.kit.problems import Level, Problem, display_path, has_errors
from plnkit.kit.rules import SLUG, slugify
from plnkit.kit.schema import resource_schema
from plnkit.kit.yaml_source import Position

MODELINE = "# yaml-language-server: $schema=../schema/resource.schema.json\n"
FIELD_ORDER = tuple(resource_schema()["properties"])
# Text that may stay unquoted: it reads back as the same text under YAML 1.1 and 1.2 alike.
_PLAIN = re.compile(r"^(?:[A-Za-z](?:[A-Za-z0-9 ._/()'&-]*[A-Za-z0-9.)])?|https?://[^\s#'\"]+)$")
_SPECIAL_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


class _Dumper(yaml.SafeDumper):
    """Block lists, one value per line, and quotes wherever a value could be misread."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # `  - item` under its key, as in the kit


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    plain = _PLAIN.match(text) and text.lower() not in _SPECIAL_WORDS
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=None if plain else '"')


_Dumper.add_representer(str, _represent_text)


def modeline_for(path: Path, kit_dir: Path) -> str:
    """The schema modeline for a resource file at `path`, pointing at the kit's schema.

    >>> modeline_for(Path("kit-local/blogs/a.yml"), Path("kit"))
    '# yaml-language-server: $schema=../../kit/schema/resource.schema.json\\n'
    """
    schema = Path(os.path.abspath(kit_dir)) / "schema" / "resource.schema.json"
    relative = os.path.relpath(schema, os.path.abspath(path.parent))
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}\n"


def render(data: Mapping[str, Any], modeline: str = MODELINE) -> str:
    """The file's text: the schema modeline, then the fields in the schema's order.

    >>> print(render({"url": "https://a.example/", "name": "NO"}), end="")
    # yaml-language-server: $schema=../schema/resource.schema.json
    name: "NO"
    url: https://a.example/
    """
    ordered = {k: data[k] for k in FIELD_ORDER if k in data and data[k] not in (None, "", [])}
    ordered.update({k: v for k, v in data.items() if k not in ordered and k not in FIELD_ORDER})
    body = yaml.dump(
        ordered,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
    )
    return modeline + body


@dataclass
class Written:
    """What happened: the file's path, and the problems found (errors mean nothing was kept)."""

    path: Path
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def read_binder(kit_dir: Path, base: Path | None = None) -> tuple[Binder | None, list[Problem]]:
    """The kit's binder (for its tabs), with any problems that make it unusable."""
    problems: list[Problem] = []
    shown = display_path(kit_dir / BINDER_FILE, base)

    def report(position: Position, level: Level, message: str) -> None:
        problems.append(Problem(shown, position.line, position.column, level, message))

    return load_binder(kit_dir, report), problems


def write_resource(
    kit_dir: Path,
    tab: str,
    data: Mapping[str, Any],
    *,
    slug: str | None = None,
    today: dt.date | None = None,
    allow_local: bool | None = None,
    base: Path | None = None,
    into: Path | None = None,
    extra_dirs: Iterable[Path] = (),
    exclude: Iterable[str] = (),
) -> Written:
    """Create `kit_dir/<tab>/<slug>.yml` from `data`; keep it only if it validates.

    The slug defaults to one made from the name. `today` fills `added` when it is missing.
    A fork writes into its own folder instead (`into`, one of `extra_dirs`); the file is then
    validated with all of the kit's folders and its `exclude`, as the site builds it.
    """
    name = str(data.get("name") or "")
    slug = slug or slugify(name) or "new-resource"
    target = into or kit_dir
    extra_dirs = tuple(extra_dirs)
    path = target / tab / f"{slug}.yml"
    shown = display_path(path, base)

    def refuse(message: str) -> Written:
        return Written(path, [Problem(shown, 1, 1, Level.ERROR, message)])

    binder, problems = read_binder(kit_dir, base)
    if binder is None:
        return Written(path, problems)
    tabs = [t.id for t in binder.tabs]
    if tab not in tabs:
        return refuse(f"{tab!r} is not a tab of the binder; choose one of: {', '.join(tabs)}")
    if not SLUG.match(slug):
        return refuse(f"{slug!r} is not a usable file name; use lowercase words and hyphens")
    if slug in set(exclude):
        return refuse(
            f"{slug!r} is listed under `exclude` in mkdocs.yml, so the site would hide it; "
            "choose another name, or remove it from `exclude` first"
        )
    for layer in (kit_dir, *extra_dirs):
        if not layer.is_dir() or layer.resolve() == target.resolve():
            continue  # a twin in the target folder is reported by the loader
        same = [p for p in resource_files(layer) if p.stem == slug]
        if same:
            return refuse(
                f"{display_path(same[0], base)} already has the name {slug!r}; a second file "
                "with it would replace that one on the site. Choose another name (or edit "
                "that file if it is the same resource)"
            )
    content = dict(data)
    if today is not None and not content.get("added"):
        content["added"] = today.isoformat()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(render(content, modeline_for(path, kit_dir)))
    except FileExistsError:
        return refuse(
            f"{shown} already exists; PLN Kit never replaces a file. Choose another name "
            "(or edit the existing file if it is the same resource)"
        )
    result = load_kit(
        kit_dir, extra_dirs=extra_dirs, exclude=exclude, allow_local=allow_local, base=base
    )
    mine = [p for p in result.problems if p.path == shown]
    if has_errors(mine):
        path.unlink(missing_ok=True)
    return Written(path, mine)
