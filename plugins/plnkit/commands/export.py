"""`plnkit export FORMAT`: the kit for other tools, on standard output or into a file.

The same exports the site publishes, built from the kit and the state store (health,
freshness and discovered feeds as last stored); nothing here touches the network.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from plnkit.commands.common import add_kit_argument
from plnkit.exports.ics import schedule_calendar
from plnkit.exports.kit_json import kit_csv, kit_json
from plnkit.exports.mastodon_csv import mastodon_csv
from plnkit.exports.opml import kit_opml
from plnkit.loader import load_kit
from plnkit.model import Kit
from plnkit.net.clock import SystemClock, iso
from plnkit.site_data import Refresh, collect_state
from plnkit.site_state import SiteState

NAME = "export"
HELP = "export the kit as OPML, a Mastodon follow list, JSON, CSV or an iCalendar file"

Exporter = Callable[[Kit, SiteState, str | None], bytes]


def _exporters() -> dict[str, Exporter]:
    now = SystemClock().now()
    return {
        "opml": lambda kit, state, tab: kit_opml(kit, state, now, tab=tab),
        "mastodon-csv": lambda kit, state, tab: mastodon_csv(kit, tab=tab).encode("utf-8"),
        "json": lambda kit, state, tab: kit_json(kit, state, iso(now), tab=tab).encode("utf-8"),
        "csv": lambda kit, state, tab: kit_csv(kit, state, tab=tab).encode("utf-8"),
        "ics": lambda kit, state, tab: schedule_calendar(kit, now, tab=tab),
    }


FORMATS = ("opml", "mastodon-csv", "json", "csv", "ics")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "format", choices=FORMATS, metavar="FORMAT", help="one of: " + ", ".join(FORMATS)
    )
    add_kit_argument(parser)
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write here instead of standard output"
    )
    parser.add_argument("--tab", help="only this tab (its folder name)")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(".cache/plnkit"),
        help="the state store to read health and feeds from",
    )


def run(args: argparse.Namespace) -> int:
    result = load_kit(args.kit)
    if result.kit is None or not result.ok:
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
        return 1
    kit = result.kit
    if args.tab and kit.binder.tab(args.tab) is None:
        tabs = ", ".join(t.id for t in kit.binder.tabs)
        print(f"{args.kit}: no tab {args.tab!r} in binder.yml; tabs are: {tabs}", file=sys.stderr)
        return 2
    state = collect_state(kit, args.cache_dir, Refresh(offline=True))
    data = _exporters()[args.format](kit, state, args.tab)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(data)
        print(f"wrote {args.format} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
