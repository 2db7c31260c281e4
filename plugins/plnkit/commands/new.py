"""`plnkit new [KIT]`: scaffold one resource file that validates.

Asks for what it needs (name, address, kind, tab, description, then the optional stages,
tags and feed), re-asking when an answer would not validate. Scripts pass everything as
flags and `--yes`, which never prompts:

    plnkit new --yes --name "Classroom 2.0" --url https://www.classroom20.com/ \\
        --kind community --tab communities --stage consumption --stage connection \\
        --description "A large online community of educators sharing ideas."

Writes `<tab>/<slug>.yml` (the slug is made from the name unless `--slug` is given), never over
an existing file, into the folder the project's own resources live in: in a fork, its own
folder (`kit-local/`, from mkdocs.yml's `extra_kit_dirs`), where upstream updates never
touch it; upstream, `kit/`. An explicit KIT means that folder alone.

Exit 0 when the file was written (its path is the last line printed), 1 when it would not
validate or already exists (nothing is written), 2 on a usage error (a missing flag with
`--yes`, no answer on standard input, KIT not a folder).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plnkit.adapters.mkdocs_project import ConfigError, resolve_layout
from plnkit.commands.common import add_allow_local_argument, add_project_kit_arguments
from plnkit.edit.resource_file import read_binder, write_resource
from plnkit.kit.model import KINDS, STAGES
from plnkit.kit.problems import display_path
from plnkit.kit.rules import slugify
from plnkit.kit.schema import field_problems
from plnkit.kit.urls import url_problem
from plnkit.net.clock import SystemClock

NAME = "new"
HELP = "create a new resource file (asks for each field, or takes flags)"
REQUIRED = ("name", "url", "kind", "tab", "description")


class UsageError(Exception):
    """Something only the person running the command can fix (exit 2)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_kit_arguments(parser)
    parser.add_argument("--name", help="the name readers see")
    parser.add_argument("--url", help="the resource's address (https://…)")
    parser.add_argument("--kind", choices=KINDS, help="what sort of resource it is")
    parser.add_argument("--tab", help="the binder tab (folder) it goes in")
    parser.add_argument("--description", help="one or two sentences (20–400 characters)")
    parser.add_argument(
        "--stage", action="append", choices=STAGES, default=None, help="a PLN stage (repeat)"
    )
    parser.add_argument("--tag", action="append", default=None, help="a tag (repeat)")
    parser.add_argument("--feed", help="its RSS or Atom feed address")
    parser.add_argument("--slug", help="the file name without .yml (default: from the name)")
    parser.add_argument(
        "--yes", "-y", action="store_true", help="never ask; fail if a required flag is missing"
    )
    add_allow_local_argument(parser)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageError as err:
        print(f"plnkit new: error: {err}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    try:
        layout = resolve_layout(args.kit, args.config)
    except ConfigError as err:
        raise UsageError(str(err)) from None
    kit: Path = layout.kit_dir
    if not kit.is_dir():
        raise UsageError(f"no kit folder at {layout.shown(kit)}")
    binder, problems = read_binder(kit)
    if binder is None:
        for problem in problems:
            print(problem.format())
        print("fix kit/binder.yml first: new files go into its tabs")
        return 1
    tabs = {t.id: t.title for t in binder.tabs}
    allow_local = bool(args.allow_local)
    if args.yes:
        missing = [f"--{f}" for f in REQUIRED if not getattr(args, f)]
        if missing:
            raise UsageError(f"with --yes, also give {', '.join(missing)}")
        if args.tab not in tabs:
            raise UsageError(f"--tab must be one of: {', '.join(tabs)}")
        data: dict[str, Any] = {f: getattr(args, f) for f in REQUIRED if f != "tab"}
        tab = args.tab
        data["stages"] = args.stage or []
        data["tags"] = args.tag or []
        data["feed"] = args.feed
    else:
        ask = Asker()
        data, tab = _interview(args, ask, tabs, allow_local, layout.shown(layout.local_dir))
    written = write_resource(
        kit,
        tab,
        data,
        slug=args.slug,
        today=SystemClock().now().date(),
        allow_local=args.allow_local,
        into=layout.local_dir,
        extra_dirs=layout.extra_kit_dirs,
        exclude=layout.exclude,
    )
    for problem in written.problems:
        print(problem.format())
    if not written.ok:
        print("nothing was written; fix the answers above and run plnkit new again")
        return 1
    print("created (check it, then commit it):")
    print(display_path(written.path))
    return 0


class Asker:
    """Reads answers from standard input; EOF is a usage error, not a traceback."""

    def __call__(self, question: str) -> str:
        try:
            return input(question).strip()
        except EOFError:
            raise UsageError(f"no answer for {question.strip().rstrip(':')!r}") from None


def _interview(
    args: argparse.Namespace, ask: Asker, tabs: dict[str, str], allow_local: bool, folder: str
) -> tuple[dict[str, Any], str]:
    print("New resource for the binder. Press Enter to skip optional questions.")
    data: dict[str, Any] = {}
    data["name"] = args.name or _until_valid(ask, "Name: ", _text_check("name"))
    data["url"] = args.url or _until_valid(ask, "Address (https://…): ", _url_check(allow_local))
    data["kind"] = args.kind or _choose(ask, "Kind", {k: k for k in KINDS})
    tab = args.tab if args.tab in tabs else _choose(ask, "Tab", tabs)
    data["description"] = args.description or _until_valid(
        ask, "Description (one or two sentences): ", _text_check("description")
    )
    stages = args.stage
    if stages is None:
        stages = _until_valid(
            ask, f"Stages ({', '.join(STAGES)}; comma-separated, optional): ", _stages_check
        )
        stages = _split(stages)
    data["stages"] = stages
    tags = args.tag
    if tags is None:
        tags = [slugify(t) for t in _split(ask("Tags (comma-separated, optional): "))]
    data["tags"] = [t for t in tags if t]
    feed = args.feed
    if feed is None:
        feed = _until_valid(ask, "Feed address (optional): ", _url_check(allow_local, True))
    data["feed"] = feed or None
    suggested = args.slug or slugify(data["name"])
    print(f"The file will be {Path(folder, tab, suggested).as_posix()}.yml")
    return data, tab


def _until_valid(ask: Asker, question: str, check: Callable[[str], str | None]) -> str:
    while True:
        answer = ask(question)
        why = check(answer)
        if why is None:
            return answer
        print(f"  {why}")


def _text_check(field: str) -> Callable[[str], str | None]:
    def check(answer: str) -> str | None:
        problems = field_problems(field, answer)
        return problems[0] if problems else None

    return check


def _url_check(allow_local: bool, optional: bool = False) -> Callable[[str], str | None]:
    def check(answer: str) -> str | None:
        if optional and not answer:
            return None
        why = url_problem(answer, allow_local=allow_local)
        return f"the address {why}" if why else None

    return check


def _stages_check(answer: str) -> str | None:
    wrong = [s for s in _split(answer) if s not in STAGES]
    return f"unknown stage(s) {', '.join(wrong)}; use {', '.join(STAGES)}" if wrong else None


def _split(answer: str) -> list[str]:
    return [part.strip().lower() for part in answer.replace(";", ",").split(",") if part.strip()]


def _choose(ask: Asker, label: str, choices: dict[str, str]) -> str:
    keys = list(choices)
    for number, key in enumerate(keys, 1):
        title = choices[key]
        print(f"  {number}. {key}" + (f" ({title})" if title != key else ""))
    while True:
        answer = ask(f"{label} (number or name): ").lower()
        if answer.isdigit() and 1 <= int(answer) <= len(keys):
            return keys[int(answer) - 1]
        if answer in choices:
            return answer
        print(f"  choose a number from 1 to {len(keys)}, or one of: {', '.join(keys)}")
