"""`plnkit export FORMAT`: the kit for other tools, on standard output or into a file.

The same exports the site publishes, built from the kit and the state store (health,
freshness and discovered feeds as last stored); nothing here touches the network. Without
KIT, the kit is the one the site builds (mkdocs.yml's plnkit options, or `--config FILE`), and
the state store is its `cache_dir`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from plnkit.commands.common import add_project_kit_arguments, project_layout
from plnkit.exports.bluesky_list import bluesky_list
from plnkit.exports.ics import schedule_calendar
from plnkit.exports.kit_json import kit_csv, kit_json
from plnkit.exports.mastodon_csv import mastodon_csv
from plnkit.exports.opml import kit_opml
from plnkit.kit.loader import load_kit
from plnkit.kit.model import Kit
from plnkit.net.clock import SystemClock, iso
from plnkit.render.state import SiteState
from plnkit.site.state import Refresh, collect_state

NAME = "export"
HELP = (
    "export the kit as OPML, a Mastodon follow list, a Bluesky handle list, JSON, CSV or an "
    "iCalendar file"
)

Exporter = Callable[[Kit, SiteState, str | None], bytes]


def _exporters() -> dict[str, Exporter]:
    now = SystemClock().now()
    return {
        "opml": lambda kit, state, tab: kit_opml(kit, state, now, tab=tab),
        "mastodon-csv": lambda kit, state, tab: mastodon_csv(kit, tab=tab).encode("utf-8"),
        "bluesky-list": lambda kit, state, tab: bluesky_list(kit, tab=tab).encode("utf-8"),
        "json": lambda kit, state, tab: kit_json(kit, state, iso(now), tab=tab).encode("utf-8"),
        "csv": lambda kit, state, tab: kit_csv(kit, state, tab=tab).encode("utf-8"),
        "ics": lambda kit, state, tab: schedule_calendar(kit, now, tab=tab),
    }


FORMATS = ("opml", "mastodon-csv", "bluesky-list", "json", "csv", "ics")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "format", choices=FORMATS, metavar="FORMAT", help="one of: " + ", ".join(FORMATS)
    )
    add_project_kit_arguments(parser)
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write here instead of standard output"
    )
    parser.add_argument("--tab", help="only this tab (its folder name)")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="the state store to read health and feeds from (default: mkdocs.yml's "
        "cache_dir, else .cache/plnkit)",
    )


def run(args: argparse.Namespace) -> int:
    layout = project_layout(args, NAME)
    if layout is None:
        return 2
    label = layout.label()
    result = load_kit(layout.kit_dir, extra_dirs=layout.extra_kit_dirs, exclude=layout.exclude)
    if result.kit is None or not result.ok:
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
        return 1
    kit = result.kit
    if args.tab and kit.binder.tab(args.tab) is None:
        tabs = ", ".join(t.id for t in kit.binder.tabs)
        print(f"{label}: no tab {args.tab!r} in binder.yml; tabs are: {tabs}", file=sys.stderr)
        return 2
    state = collect_state(kit, args.cache_dir or layout.cache_dir, Refresh(offline=True))
    data = _exporters()[args.format](kit, state, args.tab)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(data)
        print(f"wrote {args.format} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
