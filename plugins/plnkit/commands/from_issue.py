"""`plnkit from-issue FILE`: turn a "Suggest a resource" submission into a resource file.

FILE is JSON, either of:

- a GitHub event payload (the file at `$GITHUB_EVENT_PATH` of an `issues` event): the form's
  answers are read from `issue.body`, the Markdown GitHub writes for an issue form, by the
  labels in `.github/ISSUE_TEMPLATE/suggest-resource.yml`; the submitter is `issue.user.login`
  and the issue number `issue.number`;
- an object keyed by the form's field ids (`{"name": …, "url": …, "tab": …}`), as issue-form
  parser actions produce.

Contract for the approval workflow:

    plnkit from-issue "$GITHUB_EVENT_PATH" --submitter "$LOGIN"

writes `DIR/<tab>/<slug>.yml` (the tab from the form's `tab` field), with "Suggested by @LOGIN
in issue #N." at the start of `notes`, validated with the whole kit as the site builds it. DIR
is `--kit` when given; otherwise the kit mkdocs.yml builds (or `--config FILE`'s): a fork's own
folder (the last of its `extra_kit_dirs`) when it has one, so suggestions stay the fork's,
else its `kit_dir`; with no mkdocs.yml, ./kit. On success it prints any warnings, then the
written path (relative to the working folder) as the last line, and exits 0. An invalid
submission prints the same `PATH:LINE:COL: error: message` lines as `plnkit validate`, writes
nothing and exits 1. A usage error (FILE missing or not JSON, no form found, a malformed
--submitter, an unreadable mkdocs.yml) exits 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

from plnkit.adapters.mkdocs_project import ConfigError, KitLayout, resolve_layout
from plnkit.commands.common import add_allow_local_argument, number_in
from plnkit.edit import issue_form
from plnkit.edit.resource_file import write_resource
from plnkit.edit.verified import verified_record
from plnkit.kit.problems import Level, Problem, display_path
from plnkit.net.clock import SystemClock

NAME = "from-issue"
HELP = "create a resource file from an issue-form submission (JSON)"
MAX_INPUT_BYTES = 1_000_000
LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$")


class UsageError(Exception):
    """The command was run wrongly (exit 2); nothing about the submission itself."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the submission: an event payload or form JSON")
    parser.add_argument(
        "--kit",
        type=Path,
        help="write into this kit folder (default: the kit mkdocs.yml builds; a fork's own "
        "folder when it has extra_kit_dirs; without a mkdocs.yml, ./kit)",
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="the mkdocs.yml to take the kit from"
    )
    parser.add_argument("--submitter", help="GitHub login to credit (default: the issue author)")
    parser.add_argument(
        "--issue", type=number_in(1, 10**9, integer=True),
        help="issue number to credit (default: from FILE)",
    )  # fmt: skip
    parser.add_argument(
        "--form",
        type=Path,
        help="the issue form (default: .github/ISSUE_TEMPLATE/suggest-resource.yml beside the "
        "kit, or in the working folder)",
    )
    add_allow_local_argument(parser)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageError as err:
        print(f"plnkit from-issue: error: {err}", file=sys.stderr)
        return 2


def _read_json(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror or err}") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise UsageError(f"{path} is larger than {MAX_INPUT_BYTES:,} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UsageError(f"{path} is not JSON: {err}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} must hold a JSON object")
    return data


def _answers(
    data: dict[str, Any], args: argparse.Namespace, layout: KitLayout
) -> tuple[dict, str | None, Any]:
    """(answers by field id, submitter, issue number) from either kind of FILE."""
    issue = data.get("issue")
    if not isinstance(issue, dict):
        return data, None, None
    form_path = args.form or issue_form.find_form(layout.kit_dir.resolve().parent, Path.cwd())
    if form_path is None or not form_path.is_file():
        raise UsageError(f"no issue form found ({issue_form.FORM_PATH}); pass --form")
    fields = issue_form.load_form(form_path)
    body = issue.get("body") or ""
    user = issue.get("user") if isinstance(issue.get("user"), dict) else {}
    return issue_form.parse_body(str(body), fields), user.get("login"), issue.get("number")


def _run(args: argparse.Namespace) -> int:
    try:
        layout = resolve_layout(args.kit, args.config)
    except ConfigError as err:
        raise UsageError(str(err)) from None
    if not layout.kit_dir.is_dir():
        raise UsageError(f"no kit folder at {layout.shown(layout.kit_dir)}")
    answers, login, number = _answers(_read_json(args.file), args, layout)
    login = args.submitter or login
    if login is not None and not LOGIN.match(str(login)):
        raise UsageError(f"--submitter must be a GitHub login; got {login!r}")
    number = args.issue if args.issue is not None else number
    number = number if isinstance(number, int) and not isinstance(number, bool) else None
    tab, resource = issue_form.to_resource(answers)
    credit = issue_form.credit(login, number)
    if issue_form.opened_in_browser(answers):
        checker = f"@{login}" if login else "a reader"
        resource["verified"] = verified_record(checker, dt.date.today())
    resource["notes"] = f"{credit} {resource['notes']}" if resource.get("notes") else credit
    if not tab:
        problem = Problem(
            display_path(args.file),
            1,
            1,
            Level.ERROR,
            "the submission has no binder tab (`tab`); choose the tab it belongs in",
        )
        print(problem.format())
        return 1
    written = write_resource(
        layout.kit_dir,
        tab,
        resource,
        today=SystemClock().now().date(),
        allow_local=args.allow_local,
        into=layout.local_dir,
        extra_dirs=layout.extra_kit_dirs,
        exclude=layout.exclude,
    )
    for problem in written.problems:
        print(problem.format())
    if not written.ok:
        return 1
    print(display_path(written.path))
    return 0
