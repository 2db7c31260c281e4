"""Problems found in a kit: where they are, how bad, and what to do about them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


LEVELS = {level.value: level for level in Level}  # "error" -> Level.ERROR, without a call


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a kit file, located by 1-based line and column."""

    path: str
    line: int
    column: int
    level: Level
    message: str

    def format(self) -> str:
        """`PATH:LINE:COL: level: message`, the line every tool here prints."""
        return f"{self.path}:{self.line}:{self.column}: {self.level}: {self.message}"

    def format_github(self) -> str:
        """A GitHub workflow annotation for the same problem."""
        command = "error" if self.level is Level.ERROR else "warning"
        path = _escape(self.path).replace(":", "%3A").replace(",", "%2C")
        where = f"file={path},line={self.line},col={self.column}"
        return f"::{command} {where}::{_escape(self.message)}"


def _escape(text: str) -> str:
    """GitHub's escaping for workflow command data (and, with `:` and `,`, properties)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as a user typed it: relative to `base` (default: the working directory)."""
    return PathDisplay(base)(path)


class PathDisplay:
    """`display_path` for many paths shown from one base (every file of a kit): the base is
    made absolute once, and resolved (a system call per folder of it) only if a path is not
    below it as written."""

    def __init__(self, base: Path | None = None) -> None:
        self.base = base or Path.cwd()
        self._cwd = os.getcwd()  # once: `os.path.abspath` would ask for every path
        self._absolute = Path(os.path.abspath(self.base))
        self._prefix = os.path.join(self._absolute, "")  # with its trailing separator
        self._resolved: Path | None = None

    def __call__(self, path: Path) -> str:
        # Without following links first, so a symbolic link is named as itself, not its target.
        there = os.path.normpath(os.path.join(self._cwd, path))
        if there.startswith(self._prefix):  # the usual case, without making Paths
            return there[len(self._prefix) :]
        shown = _below(Path(there), self._absolute)
        if shown is None:
            if self._resolved is None:
                self._resolved = self.base.resolve()
            shown = _below(path.resolve(), self._resolved)
        return str(path) if shown is None else shown


def _below(path: Path, base: Path) -> str | None:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return None


MAX_PROBLEMS_PER_FILE = 50  # then one line says how many more the file has


def capped(problems: list[Problem], limit: int | None = MAX_PROBLEMS_PER_FILE) -> list[Problem]:
    """`problems` (sorted by file) with at most `limit` per file, then one line
    "…and N more problems in this file" at the first one left out. None or 0: all of them."""
    if not limit:
        return problems
    shown: list[Problem] = []
    counts: dict[str, int] = {}
    first_hidden: dict[str, Problem] = {}
    hidden_error: set[str] = set()
    for problem in problems:
        seen = counts.get(problem.path, 0)
        counts[problem.path] = seen + 1
        if seen < limit:
            shown.append(problem)
            continue
        first_hidden.setdefault(problem.path, problem)
        if problem.level is Level.ERROR:
            hidden_error.add(problem.path)
    if not first_hidden:
        return problems
    out: list[Problem] = []
    for index, problem in enumerate(shown):
        out.append(problem)
        last_of_file = index + 1 == len(shown) or shown[index + 1].path != problem.path
        hidden = first_hidden.get(problem.path)
        if last_of_file and hidden is not None:
            more = counts[problem.path] - limit
            level = Level.ERROR if problem.path in hidden_error else Level.WARNING
            out.append(Problem(hidden.path, hidden.line, hidden.column, level,
                               f"…and {more:,} more problems in this file"))  # fmt: skip
    return out


def has_errors(problems: list[Problem]) -> bool:
    return any(p.level is Level.ERROR for p in problems)
