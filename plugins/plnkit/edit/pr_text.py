"""Text from an issue form made inert before it reaches a pull request or an issue comment.

What a submitter typed (a resource's name, or the validation messages that quote it) must not
act on GitHub: no closing keyword (`Closes #1`, `fixes`, `resolves`…) may close an issue when
the pull request merges, no `@team` may ping anyone, no `#2` may cross-reference. GitHub does
none of that inside code, so the name goes into a pull request as inline code (`inline_code`)
and messages into a fenced block (`fenced`), each fence longer than any run of backticks in
the text so the text cannot close it. Commit messages are plain text, where code does not
protect: they name the resource by its slug, which is letters, digits and hyphens only.

    python -m plnkit.edit.pr_text name FILE    # the resource's name as inline code
    python -m plnkit.edit.pr_text fence FILE   # FILE's text in a fenced block
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

MAX_NAME = 120
_BACKTICKS = re.compile(r"`+")


def _longest_run(text: str) -> int:
    return max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)


def one_line(text: str, limit: int = MAX_NAME) -> str:
    """Whitespace collapsed to single spaces, control characters dropped, at most `limit`."""
    cleaned = "".join(c for c in text if c.isprintable() or c == " ")
    return " ".join(cleaned.split())[:limit]


def inline_code(text: str) -> str:
    """`text` as one GitHub inline code span that nothing in it can end.

    >>> inline_code("Closes #1 @team"), inline_code("a `b` c")
    ('`Closes #1 @team`', '``a `b` c``')
    """
    text = one_line(text) or "a resource"
    fence = "`" * (_longest_run(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced(text: str, info: str = "text") -> str:
    """`text` in a fenced code block whose fence (at least five backticks) it cannot close."""
    fence = "`" * max(5, _longest_run(text) + 1)
    return f"{fence}{info}\n{text.rstrip()}\n{fence}\n"


def resource_name(path: Path) -> str:
    """The `name` of a written resource file, one line (for the pull request)."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    name = data.get("name") if isinstance(data, dict) else None
    return one_line(str(name or "")) or "a resource"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] not in ("name", "fence"):
        print("usage: python -m plnkit.edit.pr_text {name|fence} FILE", file=sys.stderr)
        return 2
    path = Path(args[1])
    if args[0] == "name":
        print(inline_code(resource_name(path)))
    else:
        sys.stdout.write(fenced(path.read_text(encoding="utf-8", errors="replace")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
