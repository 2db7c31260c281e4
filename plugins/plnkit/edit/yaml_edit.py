"""The one editor for YAML files changed in place: a moved URL rewritten, an archived copy or a
discovered feed recorded, a fork's binder and mkdocs.yml rewritten.

Only the intended values change: comments, quoting, key order and line endings stay as they
were. Every edit is re-parsed before it is written (the new text must read back as exactly the
data intended) and written atomically; anything unexpected leaves the file untouched.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plnkit.kit.yaml_source import parse

PLAIN_SAFE = re.compile(r"[A-Za-z][^\s'\"]*[^\s'\":]")  # a URL YAML reads back as written

# Reads the new text back: None when it holds what was intended, else why not.
Check = Callable[[str], str | None]


@dataclass(frozen=True)
class FileEdit:
    path: Path
    field: str
    value: str
    error: str | None = None  # why the file was left alone

    @property
    def ok(self) -> bool:
        return self.error is None


def write_verified(path: Path, text: str, check: Check) -> str | None:
    """Write `text` over `path` atomically when `check(text)` passes; else why not."""
    why = check(text)
    if why is not None:
        return why
    try:
        mode = path.stat().st_mode & 0o777
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        return f"cannot write the file: {err.strerror or err}"
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        return f"cannot write the file: {err.strerror or err}"
    return None


def holds(expected: Any, field: str) -> Check:
    """A check for a kit file: it parses cleanly into exactly `expected`."""

    def check(text: str) -> str | None:
        doc = parse(text)
        if doc.issues or doc.data != expected:
            return f"rewriting `{field}:` would change more than that value; edit it by hand"
        return None

    return check


def _yaml_scalar(value: str, quote: str = "") -> str:
    """`value` written as YAML in the given quote style (plain when safe)."""
    if quote == "'":
        return "'" + value.replace("'", "''") + "'"
    if quote == '"' or not PLAIN_SAFE.fullmatch(value) or ": " in value:
        return json.dumps(value, ensure_ascii=False)
    return value


def _value_span(line: str, start: int) -> tuple[int, int, str]:
    """Where the scalar starting at `start` ends, and its quote character ('' for plain)."""
    quote = line[start] if start < len(line) and line[start] in "'\"" else ""
    if quote == '"':
        i = start + 1
        while i < len(line) and line[i] != '"':
            i += 2 if line[i] == "\\" else 1
        return start, i + 1, quote
    if quote == "'":
        i = start + 1
        while i < len(line):
            if line[i] == "'" and line[i + 1 : i + 2] == "'":
                i += 2
                continue
            if line[i] == "'":
                break
            i += 1
        return start, i + 1, quote
    body = line.rstrip("\r\n")
    comment = body.find(" #", start)
    end = comment if comment >= 0 else len(body)
    return start, len(body[:end].rstrip()), quote


def _read(path: Path) -> tuple[str, dict[str, Any]] | str:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return f"cannot read the file ({err.__class__.__name__})"
    doc = parse(text)
    if doc.issues or not isinstance(doc.data, dict):
        return "the file does not parse cleanly; edit it by hand"
    return text, doc.data


def replace_value(path: Path, field: str, old: str, new: str) -> FileEdit:
    """Rewrite `field: old` to `field: new` in place, keeping the line's quoting and comment."""
    read = _read(path)
    if isinstance(read, str):
        return FileEdit(path, field, new, read)
    text, data = read
    if str(data.get(field, "")).strip() != old:
        return FileEdit(path, field, new, f"`{field}:` no longer holds {old}; nothing changed")
    where = parse(text).value_at((field,))
    lines = text.splitlines(keepends=True)
    if where is None or where.line > len(lines):
        return FileEdit(path, field, new, f"cannot find the `{field}:` line")
    line = lines[where.line - 1]
    start, end, quote = _value_span(line, where.column - 1)
    lines[where.line - 1] = line[:start] + _yaml_scalar(new, quote) + line[end:]
    error = write_verified(path, "".join(lines), holds({**data, field: new}, field))
    return FileEdit(path, field, new, error)


def add_value(
    path: Path, field: str, value: str, after: str = "url", quote: str = ""
) -> FileEdit:
    """Add `field: value` on the line after `after:` (or at the end of the file); `quote`
    (`"` or `'`) quotes the value, else it is plain when YAML reads it back as written."""
    read = _read(path)
    if isinstance(read, str):
        return FileEdit(path, field, value, read)
    text, data = read
    if field in data:
        return FileEdit(path, field, value, f"the file already has `{field}:`")
    check = holds({**data, field: value}, field)
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    new_line = f"{field}: {_yaml_scalar(value, quote)}{newline}"
    where = parse(text).value_at((after,))
    candidates = []
    if where is not None:
        candidates.append([*lines[: where.line], new_line, *lines[where.line :]])
    tail = [*lines]
    if tail and not tail[-1].endswith(("\n", "\r")):
        tail[-1] += newline
    candidates.append([*tail, new_line])
    for candidate in candidates:
        if check("".join(candidate)) is None:
            return FileEdit(path, field, value, write_verified(path, "".join(candidate), check))
    return FileEdit(path, field, value, "could not add the line safely; edit the file by hand")
