"""Record a person's check of a resource's link: `verified: {on, by, note}` in its file.

The file is edited round-trip (ruamel.yaml), so comments, quoting and key order stay; the
result must read back as the old data plus the new `verified`, and is written atomically.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from plnkit.edit import yaml_edit
from plnkit.kit.yaml_source import parse


class EditRefused(Exception):
    """The file was left as it was; the message says why."""


def verified_record(by: str, on: dt.date, note: str | None = None) -> dict[str, str]:
    """The `verified` value as the schema wants it.

    >>> verified_record("jsmith", dt.date(2026, 12, 3), "Opens fine")
    {'on': '2026-12-03', 'by': 'jsmith', 'note': 'Opens fine'}
    """
    record = {"on": on.isoformat(), "by": by.strip()}
    if note and note.strip():
        record["note"] = note.strip()
    return record


def write_verified(path: Path, record: dict[str, str]) -> None:
    """Set `verified` in the resource file at `path` (replacing an older one)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise EditRefused(f"{path}: cannot read the file ({err.__class__.__name__})") from None
    before = parse(text)
    if before.issues or not isinstance(before.data, dict):
        raise EditRefused(f"{path}: the file does not parse cleanly; fix it first")
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines: that would make merge conflicts
    data: Any = yaml.load(text)
    value = CommentedMap(record)
    if "verified" in data:
        data["verified"] = value
    else:  # before the curator's notes, which by convention close the file
        at = list(data).index("notes") if "notes" in data else len(data)
        data.insert(at, "verified", value)
    out = io.StringIO()
    yaml.dump(data, out)
    expected = {**before.data, "verified": record}

    def same_but_verified(text: str) -> str | None:
        after = parse(text)
        if after.issues or after.data != expected:
            return "adding `verified` would change more; edit it by hand"
        return None

    why = yaml_edit.write_verified(path, out.getvalue(), same_but_verified)
    if why:
        raise EditRefused(f"{path}: {why}")

