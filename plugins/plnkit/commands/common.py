"""Arguments and helpers shared by several sub-commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
        "--timeout", type=float, default=timeout, metavar="SECONDS",
        help=f"seconds a request may take, connect to last byte (default: {timeout:g})",
    )  # fmt: skip
    parser.add_argument(
        "--concurrency", type=int, default=polite.concurrency, metavar="N",
        help=f"requests in flight at once (default: {polite.concurrency})",
    )  # fmt: skip
    parser.add_argument(
        "--per-host", type=int, default=polite.per_host, metavar="N",
        help=f"requests in flight to one host (default: {polite.per_host})",
    )  # fmt: skip
    parser.add_argument(
        "--min-interval", type=float, default=polite.min_interval, metavar="SECONDS",
        help="the shortest time between two requests to one host "
        f"(default: {polite.min_interval:g}; 0 lifts it)",
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
