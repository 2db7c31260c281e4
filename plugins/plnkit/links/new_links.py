"""A pull request's new links, judged at once: a contributor hears about a broken address
before the merge, not a week later.

The history rule (dead only after failures spread over a week) protects links the kit has
had for years from one bad night; a link a pull request adds has no history to protect. So
an address that is new or changed in the pull request and answers 404/410, fails TLS, loops,
names a host that does not exist, or shows a parking page is an error on its file's line; an
answer that may recover (a timeout, a 5xx, a 429) is a warning. A run that looks like an
outage (most hosts unreachable) only warns: the contributor's link is not to blame.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from plnkit.kit.model import Kit
from plnkit.kit.problems import Level, Problem
from plnkit.links.types import Entry, Failure, LinkState, RunReport


def _problem(entry: Entry, line: int, shown: str, outage: bool) -> Problem | None:
    result, field = entry.result, entry.use.kind
    what = f"the new `{field}` {entry.url}"
    why = result.error or (f"HTTP {result.http_status}" if result.http_status else "no answer")
    if entry.changed:
        return Problem(shown, line, 1, Level.ERROR,
                       f"{what} does not look like the resource ({entry.changed}); check it "
                       "in a browser")  # fmt: skip
    if result.state is LinkState.BROKEN:
        return Problem(shown, line, 1, Level.ERROR,
                       f"{what} is broken ({why}); fix the address before merging")  # fmt: skip
    if result.state is LinkState.TRANSIENT:
        if result.failure is Failure.DNS and not outage:
            return Problem(shown, line, 1, Level.ERROR,
                           f"{what} names a host that does not exist ({why}); check the "
                           "spelling")  # fmt: skip
        return Problem(shown, line, 1, Level.WARNING,
                       f"{what} could not be reached this time ({why}); open it in a browser "
                       "to be sure it works")  # fmt: skip
    return None


def new_link_problems(
    report: RunReport,
    kit: Kit,
    new_urls: Collection[str],
    shown: Callable[[Path], str],
) -> list[Problem]:
    """One problem per use of a new URL that failed, on the line of its `url:` or `feed:`."""
    by_slug = kit.by_slug()
    problems = []
    for entry in report.entries:
        if entry.url not in new_urls:
            continue
        resource = by_slug.get(entry.use.slug)
        line = resource.lines.get(entry.use.kind, 1) if resource else 1
        found = _problem(entry, line, shown(entry.use.path), report.outage)
        if found:
            problems.append(found)
    return problems
