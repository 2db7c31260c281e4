"""The `plnkit` command line: one sub-command per module in `plnkit.commands`."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from plnkit import __version__

# Each module defines NAME, HELP, add_arguments(parser) and run(args) -> int.
COMMAND_MODULES = (
    "plnkit.commands.validate",
    "plnkit.commands.render",
    "plnkit.commands.check_links",
    "plnkit.commands.init",
    "plnkit.commands.new",
    "plnkit.commands.from_issue",
    "plnkit.commands.fetch_feeds",
    "plnkit.commands.export",
    "plnkit.commands.import_opml",
)


def build_parser(module_names: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plnkit",
        description="Validate, check, refresh and export a PLN starter kit.",
    )
    parser.add_argument("--version", action="version", version=f"plnkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for module_name in module_names:
        module = importlib.import_module(module_name)
        sub = commands.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def _named_command(argv: Sequence[str] | None) -> tuple[str] | None:
    """The one command module `argv` asks for, so start-up imports only what it runs.

    Found by the modules' naming rule (`check_links` is `check-links`) and confirmed by its
    NAME; anything else (`--help`, a typo, a module named otherwise) gets the full parser."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:
        return None
    wanted = args[0]
    for module_name in COMMAND_MODULES:
        if module_name.rsplit(".", 1)[-1].replace("_", "-") == wanted:
            module = importlib.import_module(module_name)
            return (module_name,) if getattr(module, "NAME", None) == wanted else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code follows DESIGN.md §3 (2 for usage errors)."""
    parser = build_parser(_named_command(argv) or COMMAND_MODULES)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def entry() -> NoReturn:
    """The `plnkit` console script: `main`, then a quick exit.

    A finished command has written and closed its files. Tearing the interpreter down object
    by object (a whole kit's worth of them, and what the link checker's threads left) would
    only keep the caller waiting, so the output streams and logging are flushed and the
    process ends there. An error leaves the usual way."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe (`| head`) changes nothing
            stream.flush()
    logging.shutdown()
    os._exit(code)
