"""`plnkit validate [KIT]`: every problem in the kit, one line each.

Output contract (the pre-commit hook and the pull-request workflow rely on it):

- text (default): `PATH:LINE:COL: error: message` or `... warning: ...`, then a summary line;
- `--format github`: one workflow annotation per problem,
  `::error file=PATH,line=LINE,col=COL::message`, then the same summary line.

Without KIT, the kit is the one the site builds: `mkdocs.yml`'s plnkit options (`kit_dir`, a
fork's `extra_kit_dirs`, `exclude`), or `--config FILE`'s; with neither, `./kit`. An explicit
KIT is that folder alone.

The project's kit (no KIT given) is checked with the kit cache the site build keeps in its state
store (`cache_dir`, when that folder exists): files whose bytes were checked before are not
parsed again, and the report is the same. `--no-cache` checks every file afresh; the
pull-request check uses it, as a contribution's checkout could bring a cache of its own.

Exit 0 when there are no errors (warnings allowed), 1 when there is at least one error, 2 on
a usage error (unknown option, KIT is not a folder, mkdocs.yml unreadable).
"""

from __future__ import annotations

import argparse
import sys

from plnkit.commands.common import (
    add_allow_local_argument,
    add_project_kit_arguments,
    number_in,
    project_layout,
)
from plnkit.kit.loader import load_kit
from plnkit.kit.problems import MAX_PROBLEMS_PER_FILE

NAME = "validate"
HELP = "check every kit file against the schema and the kit's rules"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_kit_arguments(parser)
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="'github' prints workflow annotations",
    )
    add_allow_local_argument(parser)
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="check every file afresh, without the kit cache in the project's state store "
        "(used only for the project's kit, when no KIT is given)",
    )
    parser.add_argument(
        "--max-problems", type=number_in(0, 1_000_000, integer=True),
        default=MAX_PROBLEMS_PER_FILE, metavar="N",
        help=f"list at most N problems per file (default: {MAX_PROBLEMS_PER_FILE}; 0: all)",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    layout = project_layout(args, NAME)
    if layout is None:
        return 2
    label = layout.label()
    if not layout.kit_dir.is_dir():
        print(
            f"plnkit validate: error: no kit folder at {layout.shown(layout.kit_dir)}",
            file=sys.stderr,
        )
        return 2
    result = load_kit(
        layout.kit_dir,
        extra_dirs=layout.extra_kit_dirs,
        exclude=layout.exclude,
        allow_local=args.allow_local,
        max_problems=args.max_problems,
        # Another folder's files would take the project's kit out of its cache.
        cache_dir=None if args.no_cache or args.kit is not None else layout.cache_dir,
    )
    for problem in result.problems:
        print(problem.format_github() if args.format == "github" else problem.format())
    errors, warnings = result.errors, result.warnings
    if result.kit is not None and not errors:
        count = len(result.kit.resources)
        print(f"{label}: {count} resources OK" + (f", {warnings} warning(s)" if warnings else ""))
        return 0
    print(f"{label}: {errors} error(s), {warnings} warning(s)")
    return 1
