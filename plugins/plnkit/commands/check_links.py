"""`plnkit check-links`: check every resource and feed URL, store history, report.

Without KIT, the kit is the one the site builds (mkdocs.yml's plnkit options, or
`--config FILE`), and the state store is its `cache_dir`.

Exit 0, or 1 when a link became dead in this run (shared DESIGN.md §3); 2 when the kit
cannot be loaded or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
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
from plnkit.edit.yaml_edit import FileEdit, add_value, replace_value
from plnkit.kit.loader import load_kit
from plnkit.kit.model import Kit
from plnkit.kit.problems import Level
from plnkit.kit.urls import allow_local_from_env
from plnkit.kit.yaml_source import parse
from plnkit.links import history, shards
from plnkit.links.collector import unknown_slugs
from plnkit.links.fix import redirects, snapshots
from plnkit.links.new_links import new_link_problems
from plnkit.links.options import WAYBACK_API, CheckOptions
from plnkit.links.progress import Progress
from plnkit.links.report import summary_rows, summary_text, to_json, to_markdown
from plnkit.links.run import LinkRun, OnResult
from plnkit.links.types import RunReport
from plnkit.net.agent import DEFAULT_USER_AGENT
from plnkit.net.offline import env_offline
from plnkit.store import StateStore

NAME = "check-links"
HELP = "check every resource and feed link, remember the results, report dead ones"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_kit_arguments(parser)
    add_network_arguments(parser)
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the JSON link report")
    parser.add_argument(
        "--markdown", type=Path, metavar="FILE", help="write a Markdown report for an issue"
    )
    parser.add_argument("--only", nargs="+", metavar="SLUG", help="check only these resources")
    parser.add_argument(
        "--changed-since", metavar="REV", help="check only resources whose files changed since REV"
    )
    parser.add_argument(
        "--fix-redirects", action="store_true", help="rewrite permanently moved URLs in the files"
    )
    parser.add_argument(
        "--write-archive-urls",
        action="store_true",
        help="add archive_url to dead or archived resources when a snapshot was found",
    )
    parser.add_argument(
        "--fail-on-new-broken",
        action="store_true",
        help="with --changed-since: an address new or changed since REV that is broken "
        "(404/410, TLS, redirect loop, unknown host) is an error at once (exit 1), whatever "
        "the history; one that may recover is a warning",
    )
    parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="how --fail-on-new-broken prints its problems ('github': workflow annotations)",
    )
    parser.add_argument(
        "--user-agent", default=DEFAULT_USER_AGENT, metavar="UA",
        help="the User-Agent header sent with every request (default: PLN Kit's own, "
        "naming the project's address)",
    )  # fmt: skip
    parser.add_argument(
        "--method", choices=("get", "head"), default="get",
        help="ask with GET (default, what browsers do) or the lighter HEAD",
    )  # fmt: skip
    add_max_age_argument(
        parser, 24.0,
        "re-check a healthy link only when its last check is older than H hours (default: 24)",
    )
    parser.add_argument(
        "--wayback-url", default=WAYBACK_API, metavar="URL",
        help="the archive lookup service for dead links (default: the Wayback Machine's)",
    )  # fmt: skip
    add_shard_arguments(parser, "links")


def changed_slugs(kit: Kit, rev: str, dirs: Sequence[Path] = ()) -> set[str] | str:
    """Slugs whose files differ from `rev` (committed, staged, unstaged or new); or an error.

    `dirs` are the kit's folders (a fork's own folders too); by default the kit's root."""
    import subprocess  # here: only --changed-since runs git

    commands = (
        ["git", "diff", "--name-only", "--relative", rev, "--", "."],
        ["git", "ls-files", "--others", "--exclude-standard", "--", "."],
    )
    names: set[Path] = set()
    for root in (d.resolve() for d in (dirs or (kit.root,))):
        if not root.is_dir():
            continue
        for command in commands:
            try:
                done = subprocess.run(
                    command, cwd=root, capture_output=True, text=True, check=False
                )
            except OSError as err:
                return f"cannot run git: {err.strerror or err}"
            if done.returncode != 0:
                return f"git could not compare with {rev!r}: {done.stderr.strip()}"
            names.update((root / line).resolve() for line in done.stdout.splitlines() if line)
    return {r.slug for r in kit.resources if r.path.resolve() in names}


def urls_at(path: Path, rev: str) -> set[str]:
    """The `url` and `feed` a resource file held at `rev` (none when it is new since)."""
    import subprocess  # here: only --changed-since runs git

    try:
        done = subprocess.run(
            ["git", "show", f"{rev}:./{path.name}"],
            cwd=path.parent, capture_output=True, text=True, check=False,
        )  # fmt: skip
    except OSError:
        return set()
    if done.returncode != 0:
        return set()
    data = parse(done.stdout).data
    if not isinstance(data, dict):
        return set()
    return {str(data[k]).strip() for k in ("url", "feed") if isinstance(data.get(k), str)}


def new_urls(kit: Kit, slugs: set[str], rev: str) -> set[str]:
    """Addresses of the changed resources that their files did not hold at `rev`."""
    found = set()
    for resource in kit.resources:
        if resource.slug in slugs:
            before = urls_at(resource.path, rev)
            found |= {u for u in (resource.url, resource.feed) if u and u not in before}
    return found


def _print_edits(edits: list[FileEdit]) -> None:
    for edit in edits:
        if edit.ok:
            print(f"{edit.path}: {edit.field} set to {edit.value}")
        else:
            print(f"{edit.path}: {edit.field} not changed: {edit.error}", file=sys.stderr)


def _print_summary(report: RunReport, tty: bool) -> None:
    if not tty:
        print(summary_text(report))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Link check")
    table.add_column("result")
    table.add_column("count", justify="right")
    for name, count in summary_rows(report):
        table.add_row(name, str(count))
    console = Console()
    console.print(table)
    for line in summary_text(report).splitlines()[len(summary_rows(report)) :]:
        console.print(line, markup=False, highlight=False)


def _options(args: argparse.Namespace, allow_local: bool) -> CheckOptions:
    return CheckOptions(
        offline=args.offline or env_offline(),
        allow_local=allow_local,
        user_agent=args.user_agent,
        method=args.method,
        max_age_hours=args.max_age_hours,
        only=frozenset(args.only) if args.only else None,
        wayback_url=args.wayback_url,
        shard=args.shard,
        **polite_limits(args),
    )


def run(args: argparse.Namespace) -> int:
    layout = project_layout(args, NAME)
    if layout is None:
        return 2
    if args.fail_on_new_broken and not args.changed_since:
        print("plnkit check-links: error: --fail-on-new-broken needs --changed-since REV",
              file=sys.stderr)  # fmt: skip
        return 2
    fresh: set[str] = set()
    label = layout.label()
    allow_local = args.allow_local or allow_local_from_env()
    options = _options(args, allow_local)
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
            print(problem.format(), file=sys.stderr)
        print(f"{label}: fix the kit first (see `plnkit validate`)", file=sys.stderr)
        return 2
    kit = result.kit
    if options.only:
        unknown = unknown_slugs(kit, options.only)
        if unknown:
            print(f"no resource with slug {', '.join(unknown)} in {label}", file=sys.stderr)
            return 2
    if args.changed_since:
        changed = changed_slugs(kit, args.changed_since, layout.dirs)
        if isinstance(changed, str):
            print(changed, file=sys.stderr)
            return 2
        only = changed if options.only is None else options.only & changed
        options = replace(options, only=frozenset(only))
        fresh = new_urls(kit, set(only), args.changed_since)
    tty = sys.stdout.isatty() and not os.environ.get("CI")
    with Progress(tty) as progress:
        if args.shard:
            report = _run_shard(args, layout.cache_dir, store, options, kit, progress)
        else:
            report = LinkRun(store, options).finish(kit, on_result=progress)
    code = _report(args, report, kit, tty)
    if args.fail_on_new_broken and args.changed_since:
        problems = new_link_problems(report, kit, fresh, layout.shown)
        for problem in problems:
            print(problem.format_github() if args.format == "github" else problem.format())
        if any(p.level is Level.ERROR for p in problems):
            print(f"{len(problems)} new address(es) need a look before merging")
            return 1
    return code


def _run_shard(
    args: argparse.Namespace, cache_dir: Path, store: StateStore, options: CheckOptions,
    kit: Kit, progress: OnResult,
) -> RunReport:  # fmt: skip
    """One shard's run, on a scratch copy of its hosts' records; the state store is left
    alone and the shard's results go to its shard file for `plnkit merge-state`."""
    before = shards.shard_records(history.load(store), args.shard)
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = StateStore(scratch_dir)
        history.save(scratch, before)
        link_run = LinkRun(scratch, options)
        report = link_run.finish(kit, on_result=progress)
    report.warnings[:0] = store.warnings
    path = shard_file(args, cache_dir, "links")
    document = shards.shard_document(args.shard, report, before, link_run.records, kit)
    shards.write_document(path, document)
    print(f"shard {args.shard}: results written to {path} (for `plnkit merge-state`)")
    return report


def _report(args: argparse.Namespace, report: RunReport, kit: Kit, tty: bool) -> int:
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        write_report(args.json, to_json(report))
    if args.markdown:
        args.markdown.write_text(to_markdown(report), encoding="utf-8")
    if args.fix_redirects:
        edits = [
            FileEdit(r.path, r.field, r.new, r.refused)
            if r.refused
            else replace_value(r.path, r.field, r.old, r.new)
            for r in redirects(report, kit)
        ]
        _print_edits(edits)
        if not edits:
            print("--fix-redirects: no link has moved permanently; no file changed")
    if args.write_archive_urls:
        _print_edits([add_value(s.path, "archive_url", s.url) for s in snapshots(report, kit)])
    _print_summary(report, tty)
    for entry in report.newly_dead:
        print(f"newly dead: {entry.use.slug} {entry.url} ({entry.result.error})")
    return 1 if report.newly_dead else 0
