"""`plnkit fetch-feeds`: refresh every feed of the kit into the state store.

Exit 0 when anything answered (or nothing was due), 1 when every attempt failed: then the
network or the feeds are down, and the stored posts were kept; 2 on a usage error. Without
KIT, the kit is the one the site builds (mkdocs.yml's plnkit options, or `--config FILE`), and
the state store is its `cache_dir`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from plnkit.commands.common import (
    add_max_age_argument,
    add_network_arguments,
    add_project_kit_arguments,
    add_shard_arguments,
    polite_limits,
    project_layout,
    shard_file,
    write_report,
)
from plnkit.edit.yaml_edit import add_value
from plnkit.feeds import shards
from plnkit.feeds.report import FeedResult
from plnkit.feeds.runner import FetchOptions, fetch_kit_feeds
from plnkit.feeds.store import load_records
from plnkit.feeds.write_back import discovered_feeds
from plnkit.kit.loader import load_kit
from plnkit.kit.urls import allow_local_from_env
from plnkit.links.shards import write_document
from plnkit.net.offline import env_offline
from plnkit.store import StateStore

NAME = "fetch-feeds"
HELP = "refresh the kit's feeds (recent posts, freshness) into the state store"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_kit_arguments(parser)
    add_network_arguments(parser, timeout=FetchOptions.timeout)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the report as JSON")
    parser.add_argument(
        "--write-discovered",
        action="store_true",
        help="add each feed found on a resource's page to its file as `feed:`",
    )
    parser.add_argument(
        "--force", action="store_true", help="ask every feed now, even those not due yet"
    )
    parser.add_argument("--only", nargs="+", metavar="SLUG", default=(), help="only these")
    parser.add_argument(
        "--no-discover",
        action="store_true",
        help="do not look for feeds on the pages of resources that name none",
    )
    add_max_age_argument(parser, 6.0, "ask a feed again after this many hours (default: 6)")
    add_shard_arguments(parser, "feeds")


@contextmanager
def _progress(total: int) -> Iterator[Callable[[FeedResult], None]]:
    """A progress bar on a terminal; one plain line per feed in CI logs."""
    if sys.stdout.isatty() and not os.environ.get("CI"):
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("Fetching feeds", total=total)

            def advance(result: FeedResult) -> None:
                bar.advance(task)
                if result.state.value in ("failed", "refused", "gone"):
                    bar.console.print(result.line(), markup=False, highlight=False)

            yield advance
        return

    def line(result: FeedResult) -> None:
        print(result.line(), flush=True)

    yield line


def run(args: argparse.Namespace) -> int:
    layout = project_layout(args, NAME)
    if layout is None:
        return 2
    label = layout.label()
    allow_local = bool(args.allow_local) or allow_local_from_env()
    offline = bool(args.offline) or env_offline()
    store = StateStore(args.cache_dir or layout.cache_dir, migrate=args.migrate)
    result = load_kit(
        layout.kit_dir,
        extra_dirs=layout.extra_kit_dirs,
        exclude=layout.exclude,
        allow_local=allow_local,
        cache_dir=store.directory,  # a file checked before, unchanged, is not checked again
    )
    if result.kit is None or not result.ok:
        for problem in result.problems:
            print(problem.format())
        print(f"{label}: fix the errors above first; no feed was fetched")
        return 1
    kit = result.kit
    unknown = sorted(set(args.only) - {r.slug for r in kit.resources})
    if unknown:
        print(f"{label}: no resource named {', '.join(unknown)} (use file names without .yml)")
        return 2
    only = tuple(args.only)
    if args.shard:
        mine = set(shards.slugs_in(kit, args.shard))
        only = tuple(s for s in (only or [r.slug for r in kit.resources]) if s in mine)
        if not only:
            path = shard_file(args, layout.cache_dir, "feeds")
            write_document(path, shards.empty_document(args.shard))
            print(f"shard {args.shard}: no feed of this kit is on its hosts; wrote {path}")
            return 0
    options = FetchOptions(
        **polite_limits(args),
        max_age_hours=args.max_age_hours,
        allow_local=allow_local,
        offline=offline,
        force=args.force,
        only=only,
        discover=not args.no_discover,
    )
    todo = [r for r in kit.resources if r.slug in only] if only else kit.resources
    with ExitStack() as stack:
        run_store = store
        if args.shard:  # a shard's run stores into a scratch copy and hands on a shard file
            run_store = StateStore(stack.enter_context(tempfile.TemporaryDirectory()))
            shards.seed(run_store, store, only)
        with _progress(len(todo)) as progress:
            report = fetch_kit_feeds(kit, run_store, options, progress=progress)
        records = load_records(run_store)
        if args.shard:
            path = shard_file(args, layout.cache_dir, "feeds")
            write_document(path, shards.shard_document(args.shard, report, records, only))
            print(f"shard {args.shard}: records written to {path} (for `plnkit merge-state`)")
    print(report.headline())
    for warning in store.warnings:
        print(f"warning: {warning}")
    if args.json:
        write_report(args.json, report.to_json())
    if args.write_discovered and not offline:
        for found in discovered_feeds(kit, records):
            edit = add_value(found.path, "feed", found.feed_url, after="url", quote='"')
            if edit.ok:
                print(f"{found.path}: added feed {found.feed_url} (found via {found.source})")
            else:
                print(f"{found.path}: feed not added: {edit.error}", file=sys.stderr)
    return 1 if report.total_failure else 0
