"""Arguments and helpers shared by several sub-commands."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_kit_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kit", nargs="?", default="kit", type=Path, help="the kit folder (default: ./kit)"
    )


def add_network_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--offline", action="store_true", help="never use the network (also PLNKIT_OFFLINE=1)"
    )
    parser.add_argument(
        "--allow-local",
        action="store_true",
        help="allow loopback and private hosts (tests and benchmarks only; "
        "also PLNKIT_ALLOW_LOCAL=1)",
    )
