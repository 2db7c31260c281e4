"""`plnkit build [--engine mkdocs|properdocs|zensical] [-d SITE_DIR]`: the whole site, any engine.

Validates the kit the project's mkdocs.yml builds, checks links and fetches feeds when its
plnkit options allow (never with `--offline` or PLNKIT_OFFLINE=1, as with `mkdocs build`),
writes the engine-neutral docs tree (`plnkit.site.tree`), writes the engine's configuration
beside it and runs the engine. Like `mkdocs build --strict`, a warning fails the build.

Exit 0 when the site was built; 1 when the kit has errors, a warning was logged, the engine
is not installed or the engine failed; 2 on a usage error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from plnkit.adapters.engines import DEFAULT_ENGINE, ENGINES, run_engine, write_engine_config
from plnkit.adapters.mkdocs_config import PlnKitConfig
from plnkit.adapters.mkdocs_project import ConfigError, find_config, plugin_options, read_config
from plnkit.commands.common import add_allow_local_argument
from plnkit.site.build import (
    build_state,
    load_or_fail,
    settings,
    site_language,
    with_language,
    with_site_config,
)
from plnkit.site.config import KitInvalid
from plnkit.site.site_config import site_config
from plnkit.site.tree import write_docs_tree

NAME = "build"
HELP = "build the site with MkDocs, ProperDocs or Zensical"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=sorted(ENGINES),
        default=os.environ.get("PLNKIT_ENGINE") or DEFAULT_ENGINE,
        help=f"the engine that turns the docs tree into HTML (default: {DEFAULT_ENGINE}; "
        "also PLNKIT_ENGINE)",
    )
    parser.add_argument(
        "-d", "--site-dir", type=Path, default=Path("site"), help="where the site goes (site)"
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="the project's settings (default: ./mkdocs.yml); its plnkit options name the kit",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="check no links and fetch no feeds; show what is stored (also PLNKIT_OFFLINE=1)",
    )
    add_allow_local_argument(parser)
    parser.add_argument(
        "--work-dir",
        type=Path,
        help="where the docs tree and the engine's configuration are written "
        "(default: CACHE_DIR/build/ENGINE)",
    )


class _Counter(logging.Handler):
    """Prints what the build logs, as MkDocs does, and counts the warnings."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.warnings = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.warnings += 1
        print(f"{record.levelname:<8}-  plnkit: {record.getMessage()}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    engine = ENGINES[args.engine]
    if not engine.available():
        print(f"plnkit build: error: {engine.missing_message()}", file=sys.stderr)
        return 1
    config_file = args.config or find_config(Path.cwd())
    if config_file is None or not config_file.is_file():
        print("plnkit build: error: no mkdocs.yml here (give --config FILE)", file=sys.stderr)
        return 2
    try:
        project = read_config(config_file)
    except ConfigError as err:
        print(f"plnkit build: error: {err}", file=sys.stderr)
        return 2
    options = PlnKitConfig(config_file_path=str(config_file))
    options.load_dict(plugin_options(project) or {})
    errors, _warnings = options.validate()
    if errors:
        key, error = errors[0]
        print(f"plnkit build: error: plnkit option `{key}`: {error}", file=sys.stderr)
        return 2
    if args.offline:
        options["offline"] = True
    if args.allow_local:
        os.environ["PLNKIT_ALLOW_LOCAL"] = "1"
    setup = settings(options, str(config_file))
    log = logging.getLogger("plnkit.build")
    log.propagate = False
    counter = _Counter()
    log.addHandler(counter)
    log.setLevel(logging.INFO)
    setup = with_language(setup, site_language(options, project), log)
    started = time.perf_counter()
    try:
        return _build(args, engine, project, setup, log, counter, started)
    finally:
        log.removeHandler(counter)


def _build(args, engine, project, setup, log, counter, started) -> int:  # type: ignore[no-untyped-def]
    try:
        kit = load_or_fail(setup, log)
    except KitInvalid:
        return 1  # every problem is already logged
    setup = with_site_config(setup, kit, project)  # contributor links, calendar, site address
    state = build_state(kit, setup, log)
    work = (args.work_dir or setup.cache_dir / "build" / engine.name).resolve()
    docs = setup.root / str(project.get("docs_dir") or "docs")
    tree = write_docs_tree(kit, setup, docs, work / "docs", log, state)
    config = site_config(project, tree, kit.binder, log)
    if counter.warnings:
        print(
            f"plnkit build: aborted with {counter.warnings} warning(s) (strict, as "
            "`mkdocs build --strict`)",
            file=sys.stderr,
        )
        return 1
    config_file = write_engine_config(engine, config, work)
    site_dir = args.site_dir.resolve()
    code = run_engine(engine, config_file, site_dir)
    if code != 0:
        print(f"plnkit build: {engine.name} failed (exit {code})", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(
        f"built {len(kit.resources)} resources on {len(kit.binder.tabs)} tabs with "
        f"{engine.description} into {site_dir} in {seconds:.1f} s"
    )
    return 0
