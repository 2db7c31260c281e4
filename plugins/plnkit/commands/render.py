"""`plnkit render --to DIR`: the generated pages as plain Markdown files.

The benchmark builds this output with the plugin disabled as the floor the plugin is measured
against; a maintainer can also read exactly what the plugin feeds MkDocs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from plnkit.commands.common import add_kit_argument
from plnkit.kit.loader import load_kit
from plnkit.render.pages import RenderOptions
from plnkit.site.build import Settings, generated_files
from plnkit.site.state import Refresh

NAME = "render"
HELP = "write the generated pages and assets into a folder as plain files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_kit_argument(parser)
    parser.add_argument("--to", required=True, type=Path, help="output folder (a docs dir)")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=Path(".cache/plnkit"),
        help="the state store to render health and posts from",
    )


def run(args: argparse.Namespace) -> int:
    result = load_kit(args.kit)
    if result.kit is None or not result.ok:
        for problem in result.problems:
            print(problem.format())
        return 1
    setup = Settings(
        root=Path.cwd(),
        kit_dir=args.kit,
        extra_kit_dirs=(),
        exclude=(),
        cache_dir=args.cache_dir,
        refresh=Refresh(offline=True),
        render=RenderOptions(),
    )
    import logging

    log = logging.getLogger("plnkit")
    # The pages are written into the folder as they are rendered; the assets are copied in.
    for uri, source in generated_files(result.kit, setup, log, pages_dir=args.to).items():
        target = args.to / uri
        if source != target:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    print(f"wrote {len(result.kit.binder.tabs)} pages to {args.to}")
    return 0
