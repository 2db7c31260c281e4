"""The three engines a docs tree can be built with, and how each is run.

Each engine gets the shared site settings (`plnkit.site.site_config`) in its own file, in a work
folder beside the docs tree, and runs as its own process (`python -m ENGINE build`), so a
failing engine never takes the caller down with it and its log goes straight to the terminal.

- MkDocs 1.6 with Material for MkDocs: `mkdocs.yml`.
- ProperDocs, the continuation of MkDocs 1.6: `properdocs.yml`, the same format.
- Zensical, Material for MkDocs' successor: `zensical.toml`. It wants its site folder inside
  the folder of its configuration, so it builds into the work folder and the result is moved.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plnkit.adapters.zensical_config import zensical_toml

DEFAULT_ENGINE = "mkdocs"


@dataclass(frozen=True)
class Engine:
    name: str
    module: str  # what `python -m` runs, and what must be importable
    extra: str  # the pyproject extra that installs it: pip install -e '.[EXTRA]'
    config_name: str
    description: str

    def available(self) -> bool:
        return importlib.util.find_spec(self.module) is not None

    def missing_message(self) -> str:
        return (
            f"the {self.name} engine is not installed: run `make site ENGINE={self.name}` "
            f"(or `pip install -e '.[{self.extra}]'`)"
        )


ENGINES: dict[str, Engine] = {
    "mkdocs": Engine(
        "mkdocs", "mkdocs", "mkdocs", "mkdocs.yml", "MkDocs 1.6 with Material for MkDocs"
    ),
    "properdocs": Engine(
        "properdocs", "properdocs", "properdocs", "properdocs.yml", "ProperDocs (MkDocs 1.6 line)"
    ),
    "zensical": Engine("zensical", "zensical", "zensical", "zensical.toml", "Zensical"),
}


def write_engine_config(engine: Engine, config: Mapping[str, Any], work: Path) -> Path:
    """The engine's configuration file in `work`, for the docs tree at `work/docs`."""
    path = work / engine.config_name
    if engine.name == "zensical":
        text = zensical_toml(config, docs_dir="docs", site_dir="site")
    else:
        data = dict(config)
        data["docs_dir"] = "docs"
        data.pop("site_dir", None)
        outside = pages_outside_nav(work / "docs", data.get("nav") or [])
        if outside and "not_in_nav" not in data:  # reached by links, on purpose: no INFO line
            data["not_in_nav"] = "\n".join(f"/{page}" for page in outside)
        text = (
            "# Written by `plnkit build` from mkdocs.yml and kit/binder.yml; edit those.\n"
            + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        )
    path.write_text(text, encoding="utf-8")
    return path


def pages_outside_nav(docs: Path, nav: object) -> list[str]:
    """The Markdown pages under `docs` that the nav does not list (print, link health…)."""

    def listed(items: object) -> set[str]:
        if isinstance(items, str):
            return {items}
        if isinstance(items, dict):
            return {p for value in items.values() for p in listed(value)}
        if isinstance(items, list):
            return {p for item in items for p in listed(item)}
        return set()

    in_nav = listed(nav)
    pages = (p.relative_to(docs).as_posix() for p in sorted(docs.rglob("*.md")))
    return [page for page in pages if page not in in_nav]


def engine_environment() -> dict[str, str]:
    """The environment an engine runs in: Material's and ProperDocs' notices about MkDocs 2
    are for people who run `mkdocs` by hand; `plnkit build` has already chosen the engine."""
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    return env


def run_engine(engine: Engine, config_file: Path, site_dir: Path, strict: bool = True) -> int:
    """Build the site into `site_dir`; the engine's exit code."""
    command = [sys.executable, "-m", engine.module, "build", "-f", str(config_file)]
    if strict:
        command.append("--strict")
    work = config_file.parent
    if engine.name == "zensical":
        # --clean: Zensical keeps a cache beside its config; the site folder is moved away after
        # every build, so each build writes the whole site.
        command.append("--clean")
        built = work / "site"
        if built.exists():
            shutil.rmtree(built)
        code = subprocess.run(command, cwd=work, env=engine_environment(), check=False).returncode
        if code == 0:
            replace_dir(built, site_dir)
        return code
    command += ["--site-dir", str(site_dir)]
    return subprocess.run(command, cwd=work, env=engine_environment(), check=False).returncode


def replace_dir(source: Path, target: Path) -> None:
    """Put the folder `source` at `target`, replacing what was there."""
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), str(target))
