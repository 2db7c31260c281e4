"""Arguments and helpers shared by several sub-commands."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from plnkit.adapters.mkdocs_project import ConfigError, KitLayout, resolve_layout
from plnkit.net.shards import Shard, parse_shard


def add_kit_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kit", nargs="?", default="kit", type=Path, help="the kit folder (default: ./kit)"
    )


def add_project_kit_arguments(parser: argparse.ArgumentParser) -> None:
    """KIT, or the kit the site builds: mkdocs.yml's kit_dir, extra_kit_dirs and exclude."""
    parser.add_argument(
        "kit",
        nargs="?",
        default=None,
        type=Path,
        help="the kit folder, alone (default: the kit mkdocs.yml builds, with a fork's "
        "extra_kit_dirs and exclude; without a mkdocs.yml, ./kit)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="take the kit from this mkdocs.yml's plnkit options instead of ./mkdocs.yml",
    )


def project_layout(args: argparse.Namespace, command: str) -> KitLayout | None:
    """The kit `args` name; None after printing why it cannot be worked out (exit 2)."""
    try:
        return resolve_layout(args.kit, args.config)
    except ConfigError as err:
        print(f"plnkit {command}: error: {err}", file=sys.stderr)
        return None


def add_allow_local_argument(parser: argparse.ArgumentParser) -> None:
    """`--allow-local`: None when absent, so PLNKIT_ALLOW_LOCAL decides."""
    parser.add_argument(
        "--allow-local",
        action="store_true",
        default=None,
        help="allow loopback and private hosts (tests and benchmarks only; "
        "also PLNKIT_ALLOW_LOCAL=1)",
    )


# The sensible range of each numeric option: beyond it a value is a typo, not a wish.
MAX_TIMEOUT_SECONDS = 600.0
MAX_MIN_INTERVAL_SECONDS = 3600.0
MAX_CONCURRENCY = 256
MAX_PER_HOST = 64
MAX_AGE_HOURS = 24.0 * 366


def number_in(
    low: float, high: float, *, integer: bool = False, above_low: bool = False
) -> Callable[[str], float | int]:
    """An argparse `type` that takes a finite number in [low, high] (or (low, high]) and
    refuses anything else (NaN, infinities, negatives, absurd values) as a usage error."""

    def parse(text: str) -> float | int:
        try:
            value: float | int = int(text) if integer else float(text)
        except ValueError:
            kind = "a whole number" if integer else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {kind}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        low_ok = value > low if above_low else value >= low
        if not low_ok or value > high:
            lowest = f"more than {low:g}" if above_low else f"at least {low:g}"
            raise argparse.ArgumentTypeError(
                f"{text!r} is out of range ({lowest}, at most {high:g})"
            )
        return value

    parse.__name__ = "integer" if integer else "number"  # argparse names it in messages
    return parse


def add_migrate_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--migrate",
        action="store_true",
        help="rewrite state store files written by a newer plnkit in this version's format "
        "(what this version does not know is dropped); without it they are left alone",
    )


def add_network_arguments(parser: argparse.ArgumentParser, timeout: float | None = None) -> None:
    """What every command that asks servers takes: the network switches, the state store, and
    the politeness limits, whose defaults are the library's (`CheckOptions`); `timeout`, the
    seconds a request may take in all, defaults to the command's own (feeds get longer)."""
    from plnkit.links.options import CheckOptions as polite  # its defaults, in one place

    timeout = polite.timeout if timeout is None else timeout

    parser.add_argument(
        "--offline", action="store_true", help="never use the network (also PLNKIT_OFFLINE=1)"
    )
    add_allow_local_argument(parser)
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="the state store folder (default: mkdocs.yml's cache_dir, else .cache/plnkit)",
    )
    parser.add_argument(
        "--timeout", type=number_in(0, MAX_TIMEOUT_SECONDS, above_low=True),
        default=timeout, metavar="SECONDS",
        help=f"seconds a request may take, connect to last byte (default: {timeout:g})",
    )  # fmt: skip
    parser.add_argument(
        "--concurrency", type=number_in(1, MAX_CONCURRENCY, integer=True),
        default=polite.concurrency, metavar="N",
        help=f"requests in flight at once (default: {polite.concurrency})",
    )  # fmt: skip
    parser.add_argument(
        "--per-host", type=number_in(1, MAX_PER_HOST, integer=True),
        default=polite.per_host, metavar="N",
        help=f"requests in flight to one host (default: {polite.per_host})",
    )  # fmt: skip
    parser.add_argument(
        "--min-interval", type=number_in(0, MAX_MIN_INTERVAL_SECONDS),
        default=polite.min_interval, metavar="SECONDS",
        help="the shortest time between two requests to one host "
        f"(default: {polite.min_interval:g}; 0 lifts it)",
    )  # fmt: skip
    add_migrate_argument(parser)


def add_max_age_argument(parser: argparse.ArgumentParser, default: float, help_text: str) -> None:
    parser.add_argument(
        "--max-age-hours", type=number_in(0, MAX_AGE_HOURS), default=default, metavar="H",
        help=help_text,
    )  # fmt: skip


def polite_limits(args: argparse.Namespace) -> dict[str, float | int]:
    """The politeness limits `args` give, kept within sense (at least one request at a time,
    no negative interval, a timeout of at least 0.1 s)."""
    return {
        "timeout": max(0.1, args.timeout),
        "concurrency": max(1, args.concurrency),
        "per_host": max(1, args.per_host),
        "min_interval": max(0.0, args.min_interval),
    }


def _shard(text: str) -> Shard:
    try:
        return parse_shard(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def add_shard_arguments(parser: argparse.ArgumentParser, document: str) -> None:
    """`--shard K/N` and `--shard-file FILE`: one job of a matrix, for the hosts it owns."""
    parser.add_argument(
        "--shard", type=_shard, metavar="K/N",
        help="only the hosts of shard K of N (by a stable hash of the host); results go to "
        "a shard file for `plnkit merge-state`, not the state store",
    )  # fmt: skip
    parser.add_argument(
        "--shard-file", type=Path, metavar="FILE",
        help=f"where --shard writes (default: CACHE_DIR/shards/{document}-K-of-N.json)",
    )  # fmt: skip


def shard_file(args: argparse.Namespace, cache_dir: Path, document: str) -> Path:
    """The file a `--shard` run writes."""
    if args.shard_file is not None:
        return Path(args.shard_file)
    return Path(args.cache_dir or cache_dir) / "shards" / f"{document}-{args.shard.label}.json"


def report_text(document: Mapping[str, Any]) -> str:
    """A JSON report (`--json`) as text: one top-level field a line, and each item of a
    list of results on a line of its own, so a URL's result is one line to read, grep or
    diff. Each line is written by `json.dumps` with its C encoder: `indent=2` sends the
    whole report through the standard library's pure-Python one (0.9 s at 10,000 links)."""
    fields = []
    for key, value in document.items():
        name = json.dumps(key)
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {json.dumps(item)}" for item in value)
            fields.append(f"  {name}: [\n{items}\n  ]")
        else:
            fields.append(f"  {name}: {json.dumps(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n" if fields else "{}\n"


def write_report(path: Path, document: Mapping[str, Any]) -> None:
    """Write a JSON report, its folder made if need be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_text(document), encoding="utf-8")
