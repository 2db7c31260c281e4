"""The `plnkit` command line: one sub-command per module in `plnkit.commands`."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from plnkit import __version__

# Each module defines NAME, HELP, add_arguments(parser) and run(args) -> int.
COMMAND_MODULES = (
    "plnkit.commands.validate",
    "plnkit.commands.render",
    "plnkit.commands.build",
    "plnkit.commands.check_links",
    "plnkit.commands.init",
    "plnkit.commands.new",
    "plnkit.commands.from_issue",
    "plnkit.commands.fetch_feeds",
    "plnkit.commands.export",
    "plnkit.commands.import_opml",
    "plnkit.commands.merge_state",
    "plnkit.commands.verify",
)


def build_parser(module_names: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plnkit",
        description="Validate, check, refresh and export a PLN starter kit.",
        epilog="Run `plnkit COMMAND --help` for what a command takes.",
    )
    parser.add_argument("--version", action="version", version=f"plnkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in module_names:
        module = importlib.import_module(module_name)
        sub = commands.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code follows DESIGN.md §3 (2 for usage errors).

    A bare `plnkit` is a usage error too, but the person typing it wants to know what the
    commands are: it prints the whole help, not argparse's one-line complaint.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    # The commands print the store's warnings themselves (`StateStore.warnings`), once.
    logging.getLogger("plnkit.state").addHandler(logging.NullHandler())
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def entry() -> NoReturn:
    """The `plnkit` console script."""
    raise SystemExit(main())
