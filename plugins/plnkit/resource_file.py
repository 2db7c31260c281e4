"""Write one new resource file that validates, or write nothing.

`plnkit new` and `plnkit from-issue` both end here: the data is written as YAML that reads
back as exactly the same text (values YAML could misread, such as `NO`, `012345`, `12:30` or
`3.10`, are quoted), the file is created without ever replacing an existing one, the whole
kit is validated with the loader, and the file is removed again if it has any error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plnkit.kit_rules import SLUG, slugify
from plnkit.loader import BINDER_FILE, load_binder, load_kit
from plnkit.model import Binder
from plnkit.problems import Level, Problem, display_path, has_errors
from plnkit.schema_check import resource_schema
from plnkit.yaml_source import Position

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


def render(data: Mapping[str, Any]) -> str:
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
    return MODELINE + body


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
) -> Written:
    """Create `kit_dir/<tab>/<slug>.yml` from `data`; keep it only if it validates.

    The slug defaults to one made from the name. `today` fills `added` when it is missing.
    """
    name = str(data.get("name") or "")
    slug = slug or slugify(name) or "new-resource"
    path = kit_dir / tab / f"{slug}.yml"
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
    content = dict(data)
    if today is not None and not content.get("added"):
        content["added"] = today.isoformat()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(render(content))
    except FileExistsError:
        return refuse(
            f"{shown} already exists; PLN Kit never replaces a file. Choose another name "
            "(or edit the existing file if it is the same resource)"
        )
    result = load_kit(kit_dir, allow_local=allow_local, base=base)
    mine = [p for p in result.problems if p.path == shown]
    if has_errors(mine):
        path.unlink(missing_ok=True)
    return Written(path, mine)
