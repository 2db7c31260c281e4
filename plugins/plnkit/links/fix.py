"""Careful edits of resource files: a moved URL rewritten, an archived copy recorded.

Only the one value changes: comments, quoting, key order and line endings stay as they were.
Every edit is checked by parsing the result (the file must hold exactly the old data with the
one change) and written atomically; anything unexpected leaves the file untouched.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from plnkit.kit.model import Kit
from plnkit.kit.urls import normalize_url
from plnkit.kit.yaml_source import parse
from plnkit.links.types import Health, LinkState, RunReport

PLAIN_SAFE = re.compile(r"[A-Za-z][^\s'\"]*[^\s'\":]")  # a URL YAML reads back as written


@dataclass(frozen=True)
class FileEdit:
    path: Path
    field: str
    value: str
    error: str | None = None  # why the file was left alone

    @property
    def ok(self) -> bool:
        return self.error is None


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


def _write_atomically(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> tuple[str, dict] | str:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return f"cannot read the file ({err.__class__.__name__})"
    doc = parse(text)
    if doc.issues or not isinstance(doc.data, dict):
        return "the file does not parse cleanly; edit it by hand"
    return text, doc.data


def _commit(path: Path, field: str, value: str, text: str, expected: dict) -> str | None:
    doc = parse(text)
    if doc.issues or doc.data != expected:
        return f"rewriting `{field}:` would change more than that value; edit it by hand"
    try:
        _write_atomically(path, text)
    except OSError as err:
        return f"cannot write the file: {err.strerror or err}"
    return None


def replace_value(path: Path, field: str, old: str, new: str) -> FileEdit:
    """Rewrite `field: old` to `field: new` in place, keeping the line's quoting and comment."""
    read = _read(path)
    if isinstance(read, str):
        return FileEdit(path, field, new, read)
    text, data = read
    if str(data.get(field, "")).strip() != old:
        return FileEdit(path, field, new, f"`{field}:` no longer holds {old}; nothing changed")
    doc = parse(text)
    where = doc.value_at((field,))
    lines = text.splitlines(keepends=True)
    if where is None or where.line > len(lines):
        return FileEdit(path, field, new, f"cannot find the `{field}:` line")
    line = lines[where.line - 1]
    start, end, quote = _value_span(line, where.column - 1)
    lines[where.line - 1] = line[:start] + _yaml_scalar(new, quote) + line[end:]
    error = _commit(path, field, new, "".join(lines), {**data, field: new})
    return FileEdit(path, field, new, error)


def add_value(path: Path, field: str, value: str, after: str = "url") -> FileEdit:
    """Add `field: value` on the line after `after:` (or at the end of the file)."""
    read = _read(path)
    if isinstance(read, str):
        return FileEdit(path, field, value, read)
    text, data = read
    if field in data:
        return FileEdit(path, field, value, f"the file already has `{field}:`")
    expected = {**data, field: value}
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    new_line = f"{field}: {_yaml_scalar(value)}{newline}"
    where = parse(text).value_at((after,))
    candidates = []
    if where is not None:
        candidates.append([*lines[: where.line], new_line, *lines[where.line :]])
    tail = [*lines]
    if tail and not tail[-1].endswith(("\n", "\r")):
        tail[-1] += newline
    candidates.append([*tail, new_line])
    error = "could not add the line safely; edit the file by hand"
    for candidate in candidates:
        doc = parse("".join(candidate))
        if not doc.issues and doc.data == expected:
            error = _commit(path, field, value, "".join(candidate), expected)
            break
    return FileEdit(path, field, value, error)


def fix_redirects(report: RunReport, kit: Kit) -> list[FileEdit]:
    """Point every permanently moved URL at its new address (`--fix-redirects`).

    A fresh stored result counts as much as a request made now (a run right after a check asks
    nothing again). A new address that another resource already has is refused: the two
    files would then be duplicates, and a curator should merge them."""
    owners = {normalize_url(r.url): r for r in kit.resources}
    edits = []
    for entry in report.entries:
        result = entry.result
        moved = result.state in (LinkState.REDIRECTED, LinkState.SKIPPED)
        if not (moved and result.suggested_url):
            continue
        other = owners.get(normalize_url(result.suggested_url))
        if entry.use.kind == "url" and other is not None and other.slug != entry.use.slug:
            why = (f"{result.suggested_url} is already the address of {other.path.name}; "
                   "merge the two files by hand")  # fmt: skip
            edits.append(FileEdit(entry.use.path, entry.use.kind, result.suggested_url, why))
            continue
        edits.append(
            replace_value(entry.use.path, entry.use.kind, entry.url, result.suggested_url)
        )
    return edits


def write_archive_urls(report: RunReport, kit: Kit) -> list[FileEdit]:
    """Record found snapshots as `archive_url` for dead and curator-archived resources."""
    by_slug = kit.by_slug()
    edits = []
    for entry in report.entries:
        resource = by_slug[entry.use.slug]
        if entry.use.kind != "url" or resource.archive_url or not entry.snapshot_url:
            continue
        if entry.health is Health.DEAD or not resource.is_current:
            edits.append(add_value(entry.use.path, "archive_url", entry.snapshot_url))
    return edits
