"""`plnkit merge-state SHARD_FILE...`: join the shard files of a sharded run into the store.

Each file is what `check-links --shard K/N` or `fetch-feeds --shard K/N` wrote. Link results
are applied to the stored history with the rules of one run; feed records replace the stored
ones; a shard that was an outage changes nothing of its hosts. `--json` and `--markdown`
write the link report of all shards together, as `check-links` would have.

Exit 0; 1 when a link became dead in this run; 2 when a file is unreadable, not a shard file,
or the files disagree (two copies of one shard, shards of different N).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from plnkit.commands.common import project_layout, write_report
from plnkit.feeds import shards as feed_shards
from plnkit.links import shards as link_shards
from plnkit.links.options import CheckOptions
from plnkit.links.report import summary_text, to_json, to_markdown
from plnkit.net.shards import parse_shard
from plnkit.store import StateStore

NAME = "merge-state"
HELP = "merge the shard files of a sharded check-links or fetch-feeds run into the state store"
DOCUMENTS = (link_shards.DOCUMENT, feed_shards.DOCUMENT)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="SHARD_FILE",
        help="the shard results to merge (what each `--shard K/N` run wrote)",
    )  # fmt: skip
    parser.add_argument(
        "--config", type=Path, metavar="FILE",
        help="the mkdocs.yml whose cache_dir is the state store (default: ./mkdocs.yml)",
    )  # fmt: skip
    parser.add_argument(
        "--cache-dir", type=Path,
        help="the state store folder (default: mkdocs.yml's cache_dir, else .cache/plnkit)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the JSON link report")
    parser.add_argument(
        "--markdown", type=Path, metavar="FILE", help="write a Markdown link report for an issue"
    )
    parser.set_defaults(kit=None)


def read_shard_file(path: Path) -> dict[str, Any]:
    """A shard file's document; ValueError saying what is wrong with it."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ValueError(f"{path}: cannot read it: {err.strerror or err}") from None
    except (ValueError, UnicodeDecodeError) as err:
        raise ValueError(f"{path}: not JSON ({err.__class__.__name__})") from None
    if not isinstance(document, dict) or document.get("format") != link_shards.FORMAT:
        raise ValueError(f"{path}: not a plnkit shard file")
    if document.get("version") != link_shards.VERSION:
        raise ValueError(f"{path}: shard file version {document.get('version')!r} is unknown")
    if document.get("document") not in DOCUMENTS:
        raise ValueError(f"{path}: a shard of {document.get('document')!r}, which is unknown")
    parse_shard(str(document.get("shard")))  # raises ValueError when garbled
    return document


def check_set(documents: list[Mapping[str, Any]]) -> tuple[list[str], list[str]]:
    """(errors, warnings) about one kind's shards: one N for all, each shard once."""
    errors: list[str] = []
    shards = [parse_shard(str(d["shard"])) for d in documents]
    counts = sorted({s.count for s in shards})
    if len(counts) > 1:
        errors.append(f"shards of different runs: N is {', '.join(map(str, counts))}")
        return errors, []
    seen: set[int] = set()
    for shard in shards:
        if shard.index in seen:
            errors.append(f"shard {shard} given twice")
        seen.add(shard.index)
    missing = [f"{k}/{counts[0]}" for k in range(1, counts[0] + 1) if k not in seen]
    warnings = []
    if missing:
        warnings.append(
            f"no file for shard {', '.join(missing)}: the hosts of those shards keep their "
            "stored history"
        )
    return errors, warnings


def run(args: argparse.Namespace) -> int:
    layout = project_layout(args, NAME)
    if layout is None:
        return 2
    by_kind: dict[str, list[dict[str, Any]]] = {kind: [] for kind in DOCUMENTS}
    try:
        for path in args.files:
            document = read_shard_file(path)
            by_kind[document["document"]].append(document)
    except ValueError as err:
        print(f"plnkit {NAME}: error: {err}", file=sys.stderr)
        return 2
    problems = False
    for kind, documents in by_kind.items():
        if not documents:
            continue
        errors, warnings = check_set(documents)
        for message in errors:
            print(f"plnkit {NAME}: error: {kind}: {message}", file=sys.stderr)
            problems = True
        for message in warnings:
            print(f"warning: {kind}: {message}", file=sys.stderr)
    if problems:
        return 2
    store = StateStore(args.cache_dir or layout.cache_dir)
    code = 0
    if by_kind[feed_shards.DOCUMENT]:
        feeds = feed_shards.merge(store, by_kind[feed_shards.DOCUMENT])
        for shard in feeds.unchanged:
            print(f"feeds shard {shard}: an outage or offline run; its records are unchanged")
        print(f"feeds: {feeds.applied} records from {len(feeds.shards)} shards stored")
    if by_kind[link_shards.DOCUMENT]:
        code = _merge_links(args, store, by_kind[link_shards.DOCUMENT])
    for warning in store.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return code


def _merge_links(args: argparse.Namespace, store: StateStore, documents: list[Any]) -> int:
    defaults = CheckOptions()
    links = link_shards.merge(
        store, documents, dead_after_runs=defaults.dead_after_runs,
        dead_after_days=defaults.dead_after_days,
    )  # fmt: skip
    report = links.report
    assert report is not None  # merge always reports
    for shard in links.outages:
        print(f"links shard {shard}: a network outage; nothing of its hosts changed")
    print(f"links: {links.applied} results from {len(links.shards)} shards applied")
    if args.json:
        write_report(args.json, to_json(report))
    if args.markdown:
        args.markdown.write_text(to_markdown(report), encoding="utf-8")
    print(summary_text(report))
    for entry in report.newly_dead:
        print(f"newly dead: {entry.use.slug} {entry.url} ({entry.result.error})")
    return 1 if report.newly_dead else 0
