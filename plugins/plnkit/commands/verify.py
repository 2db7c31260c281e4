"""`plnkit verify SLUG --by NAME [--note TEXT]`: record that a person opened the link.

For a site that turns away link checkers (`blocked`), a person's recent check is what the site
shows instead of a problem. The resource's own file gets `verified: {on, by, note}`; exit 1
when the file cannot be edited safely, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from plnkit.commands.common import add_project_kit_arguments, project_layout
from plnkit.edit.verified import EditRefused, verified_record, write_verified
from plnkit.kit.loader import load_kit

NAME = "verify"
HELP = "record that a person opened a resource's link in a browser and found it as described"


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("slug", help="the resource's slug (its file name without .yml)")
    add_project_kit_arguments(parser)
    parser.add_argument("--by", required=True, help="who checked: a name or a GitHub login")
    parser.add_argument("--note", help="what the person saw, in a few words")
    parser.add_argument(
        "--on", type=_day, default=None, help="the day of the check (default: today)"
    )


def run(args: argparse.Namespace) -> int:
    layout = project_layout(args, NAME)
    if layout is None:
        return 2
    if not args.by.strip():
        print("plnkit verify: error: --by must name who checked the link", file=sys.stderr)
        return 2
    result = load_kit(layout.kit_dir, extra_dirs=layout.extra_kit_dirs, exclude=layout.exclude)
    resource = result.kit.get(args.slug) if result.kit else None
    if resource is None:
        known = "" if result.kit else " (the kit has errors: run `plnkit validate`)"
        print(f"plnkit verify: error: no resource {args.slug!r} in {layout.label()}{known}",
              file=sys.stderr)  # fmt: skip
        return 2
    record = verified_record(args.by, args.on or dt.date.today(), args.note)
    try:
        write_verified(resource.path, record)
    except EditRefused as err:
        print(f"plnkit verify: {err}", file=sys.stderr)
        return 1
    print(f"{layout.shown(resource.path)}: verified on {record['on']} by {record['by']}")
    return 0
