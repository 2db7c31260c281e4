"""`plnkit import-opml FILE --tab TAB`: a feed reader's subscriptions as resource files.

Reads an OPML export (Feedly, Inoreader, NetNewsWire, a Google Takeout `subscriptions.xml`),
writes one valid resource file per new feed into the tab's folder, skips what the kit already
has, and says what it did with every feed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from plnkit.exports.opml_import import Action, OpmlError, plan_import, read_opml
from plnkit.kit.loader import load_kit
from plnkit.kit.problems import Level
from plnkit.kit.urls import allow_local_from_env
from plnkit.net.clock import SystemClock

NAME = "import-opml"
HELP = "create resource files from a feed reader's OPML export"
MAX_OPML_BYTES = 20 * 1024 * 1024
HELP_USAGE = "plnkit import-opml FILE --tab TAB [KIT]"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.usage = HELP_USAGE
    parser.add_argument("file", type=Path, metavar="FILE", help="the OPML file to import")
    parser.add_argument(
        "kit", nargs="?", type=Path, default=None, help="the kit folder (default: ./kit)"
    )
    # nargs="+" so KIT may follow --tab, as documented: argparse takes all positionals at once.
    parser.add_argument(
        "--tab", required=True, nargs="+", metavar="TAB", help="the tab (kit folder) to fill"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be created, write nothing"
    )
    parser.add_argument(
        "--allow-local",
        action="store_true",
        help="accept loopback and private hosts (tests only; also PLNKIT_ALLOW_LOCAL=1)",
    )


def run(args: argparse.Namespace) -> int:
    extra = [Path(p) for p in args.tab[1:]]
    if len(extra) > 1 or (extra and args.kit is not None):
        print(f"usage: {HELP_USAGE}: one tab, one kit folder")
        return 2
    args.tab = args.tab[0]
    args.kit = args.kit or (extra[0] if extra else Path("kit"))
    allow_local = bool(args.allow_local) or allow_local_from_env()
    try:
        size = args.file.stat().st_size
        if size > MAX_OPML_BYTES:
            print(
                f"{args.file}:1:1: error: the file is {size:,} bytes; "
                f"an OPML export should be under {MAX_OPML_BYTES:,}"
            )
            return 1
        data = args.file.read_bytes()
    except OSError as err:
        print(f"{args.file}: error: cannot read the file: {err.strerror or err}")
        return 1
    try:
        feeds = read_opml(data, str(args.file))
    except OpmlError as err:
        print(err)
        return 1
    loaded = load_kit(args.kit, allow_local=allow_local)
    if loaded.kit is None or not loaded.ok:
        for problem in loaded.problems:
            print(problem.format())
        print(f"{args.kit}: fix the kit's errors first; nothing was imported")
        return 1
    kit = loaded.kit
    if kit.binder.tab(args.tab) is None:
        tabs = ", ".join(t.id for t in kit.binder.tabs)
        print(f"{args.kit}: no tab {args.tab!r} in binder.yml; tabs are: {tabs}")
        return 2
    tab_dir = args.kit / args.tab
    plan = plan_import(
        feeds,
        kit,
        tab_dir,
        added=SystemClock().now().date().isoformat(),
        source=args.file.name,
        allow_local=allow_local,
    )
    created = []
    for item, text in plan:
        if item.action is Action.CREATED and item.path is not None and text is not None:
            if not args.dry_run:
                tab_dir.mkdir(parents=True, exist_ok=True)
                item.path.write_text(text, encoding="utf-8")
            created.append(item.path)
        print(("would be " if args.dry_run and item.action is Action.CREATED else "") + item.line())
    if created and not args.dry_run:
        broken = _check(args.kit, created, allow_local)
        if broken:
            return 1
    skipped = len(plan) - len(created)
    verb = "would import" if args.dry_run else "imported"
    print(
        f"{args.file}: {len(feeds)} feed(s) found; {verb} {len(created)} into {tab_dir}; "
        f"skipped {skipped}"
    )
    placeholders = [item.path for item, _ in plan if item.needs_description and item.path]
    if placeholders:
        print(
            f"{len(placeholders)} file(s) have a placeholder description; write a real one in "
            "each before publishing (plnkit validate warns until you do):"
        )
        for path in placeholders:
            print(f"  {path}")
    return 0


def _check(kit_dir: Path, created: list[Path], allow_local: bool) -> bool:
    """Validate the kit with the new files; remove any new file with an error (a bug)."""
    result = load_kit(kit_dir, allow_local=allow_local)
    names = {p.resolve() for p in created}
    bad = {
        Path(p.path).resolve()
        for p in result.problems
        if p.level is Level.ERROR and Path(p.path).resolve() in names
    }
    for problem in result.problems:
        if Path(problem.path).resolve() in bad:
            print(problem.format())
    for path in bad:
        path.unlink(missing_ok=True)
        print(f"{path}: removed again because it did not validate; please report this")
    return bool(bad)
