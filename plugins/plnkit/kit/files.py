"""Finding and reading kit files: which files count, and each one's bytes to a Document.

Every problem met on the way (too big, not UTF-8, not YAML, not a mapping, a symbolic link) is
reported with its position; nothing here raises on bad input.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from plnkit.kit.problems import Level
from plnkit.kit.yaml_source import MAX_FILE_BYTES, Document, Position, decode, parse

BINDER_FILE = "binder.yml"
SKIP_DIRS = {"schema"}
RESOURCE_SUFFIXES = (".yml", ".yaml")
NOTES_FILES = {"readme.md", "readme", "readme.txt"}  # read by people, never by the loader

Report = Callable[[Position, Level, str], None]

RESOURCE_NEEDS = "a resource needs at least `name`, `url`, `kind` and `description`"


def document_from_bytes(
    data: bytes, report: Report, needs: str = RESOURCE_NEEDS
) -> Document | None:
    """Parse a file's bytes; report encoding and syntax problems. None when unusable.

    The document is returned with its reading issues already reported, as long as it is a
    mapping, so the schema can still point out everything else in the same run.
    """
    text, issue = decode(data)
    if issue:
        report(issue.position, Level.ERROR, issue.message)
        return None
    doc = parse(text or "")
    for found in doc.issues:
        report(found.position, Level.ERROR, found.message)
    if doc.data is None:
        if not doc.issues:
            report(
                Position(1, 1),
                Level.ERROR,
                f"the file is empty; {needs}",
            )
        return None
    if not isinstance(doc.data, dict):
        shape = "a list" if isinstance(doc.data, list) else "a single value"
        report(
            doc.where(()),
            Level.ERROR,
            f"the file must be a set of `field: value` lines, but it is {shape}; "
            "remove any leading `- ` and write one field per line",
        )
        return None
    return doc


def read_document(path: Path, report: Report, needs: str = RESOURCE_NEEDS) -> Document | None:
    """Read and parse one YAML file; report size, encoding and syntax problems."""
    data = read_bytes(path, report)
    return None if data is None else document_from_bytes(data, report, needs)


def read_bytes(path: Path, report: Report) -> bytes | None:
    """A kit file's bytes; None after reporting a link, a read error or an oversized file."""
    if path.is_symlink():  # a link could make a pull request's check read any file it names
        report(
            Position(1, 1),
            Level.ERROR,
            "the file is a symbolic link; put the resource's own file here instead",
        )
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
            size = os.fstat(handle.fileno()).st_size if len(data) > MAX_FILE_BYTES else 0
    except OSError as err:
        report(Position(1, 1), Level.ERROR, f"cannot read the file: {err.strerror or err}")
        return None
    if size:
        report(
            Position(1, 1),
            Level.ERROR,
            f"the file is {size:,} bytes; a kit file must stay under {MAX_FILE_BYTES:,} "
            "(is this the right file?)",
        )
        return None
    return data


def resource_files(kit_dir: Path) -> list[Path]:
    """Every resource file of a kit (`<tab>/<slug>.yml`), in a stable order. A tab folder
    that is a symbolic link is never entered (`linked_folders` names it)."""
    files: list[Path] = []
    for folder in _entries(kit_dir):
        if folder.name in SKIP_DIRS or folder.name.startswith("."):
            continue
        if folder.is_symlink() or not folder.is_dir():
            continue
        files.extend(
            Path(entry.path)
            for entry in _entries(Path(folder.path))
            if entry.name.endswith(RESOURCE_SUFFIXES) and entry.is_file()
        )
    return files


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as found:
        return sorted(found, key=lambda entry: entry.name)


def linked_folders(kit_dir: Path) -> list[Path]:
    """Tab folders that are symbolic links: refused, as a linked file is, so that a pull
    request cannot make the check read (and echo) files from outside the kit."""
    return [
        Path(entry.path)
        for entry in _entries(kit_dir)
        if entry.is_symlink() and entry.is_dir() and not entry.name.startswith(".")
    ]


def ignored_files(kit_dir: Path) -> list[tuple[Path, str]]:
    """Files a contributor probably meant as resources but the loader does not read."""
    found: list[tuple[Path, str]] = []
    for entry in sorted(kit_dir.iterdir()):
        if entry.name.startswith(".") or entry.name == BINDER_FILE or entry.name in SKIP_DIRS:
            continue
        if entry.is_file() and entry.name.casefold() in NOTES_FILES:
            continue  # a folder's own notes for people (a fork's kit-local/README.md)
        if entry.is_file():
            found.append((entry, "is not inside a tab folder, so it is ignored; move it into one"))
            continue
        if entry.is_symlink():
            continue  # a linked folder: refused by the loader, never entered
        for inner in _entries(entry):  # by name, without a stat per file
            if inner.name.startswith("."):
                continue
            if inner.is_dir():
                found.append(
                    (Path(inner.path), "is a folder inside a tab; resource files cannot be nested")
                )
            elif _suffix(inner.name) not in RESOURCE_SUFFIXES:
                why = "does not end in .yml, so it is ignored; rename it"
                found.append((Path(inner.path), why))
    return found


def _suffix(name: str) -> str:
    """`Path(name).suffix`, without making a Path.

    >>> _suffix("a.yml"), _suffix("a.b.yaml"), _suffix("a."), _suffix(".yml"), _suffix("yml")
    ('.yml', '.yaml', '', '', '')
    """
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""
