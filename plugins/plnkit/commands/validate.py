"""`plnkit validate`: every problem in the kit, one line each, exit 1 when any is an error."""

from __future__ import annotations

import argparse

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
        help="accept loopback and private hosts (tests only)",
    )


def run(args: argparse.Namespace) -> int:
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
