"""`plnkit validate [KIT]`: every problem in the kit, one line each.

Output contract (the pre-commit hook and the pull-request workflow rely on it):

- text (default): `PATH:LINE:COL: error: message` or `... warning: ...`, then a summary line;
- `--format github`: one workflow annotation per problem,
  `::error file=PATH,line=LINE,col=COL::message`, then the same summary line.

Exit 0 when there are no errors (warnings allowed), 1 when there is at least one error, 2 on
a usage error (unknown option, or KIT is not a folder).
"""

from __future__ import annotations

import argparse
import sys

from plnkit.commands.common import add_kit_argument
from plnkit.loader import load_kit
from plnkit.problems import Level

NAME = "validate"
HELP = "check every kit file against the schema and the kit's rules"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_kit_argument(parser)
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="'github' prints workflow annotations",
    )
    parser.add_argument(
        "--allow-local",
        action="store_true",
        default=None,
        help="accept loopback and private hosts (tests only; also PLNKIT_ALLOW_LOCAL=1)",
    )


def run(args: argparse.Namespace) -> int:
    if not args.kit.is_dir():
        print(f"plnkit validate: error: no kit folder at {args.kit}", file=sys.stderr)
        return 2
    result = load_kit(args.kit, allow_local=args.allow_local)
    for problem in result.problems:
        print(problem.format_github() if args.format == "github" else problem.format())
    errors = sum(p.level is Level.ERROR for p in result.problems)
    warnings = len(result.problems) - errors
    if result.kit is not None and not errors:
        count = len(result.kit.resources)
        print(
            f"{args.kit}: {count} resources OK" + (f", {warnings} warning(s)" if warnings else "")
        )
        return 0
    print(f"{args.kit}: {errors} error(s), {warnings} warning(s)")
    return 1
