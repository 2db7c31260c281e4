"""Read a kit directory into a validated `Kit`, or the list of problems that stop it.

Pure apart from reading files: the same function serves `plnkit validate`, the MkDocs plugin,
the pre-commit hook and the pull-request workflow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plnkit.kit_rules import check_file, check_kit
from plnkit.model import Binder, Kit, Resource, Tab, resource_from_data
from plnkit.problems import Level, Problem, display_path, has_errors
from plnkit.schema_check import schema_errors
from plnkit.url_safety import allow_local_from_env
from plnkit.yaml_source import MAX_FILE_BYTES, Document, Position, decode, parse

BINDER_FILE = "binder.yml"
SKIP_DIRS = {"schema"}
RESOURCE_SUFFIXES = (".yml", ".yaml")


@dataclass
class LoadResult:
    kit: Kit | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.kit is not None and not has_errors(self.problems)


class _Collector:
    def __init__(self, base: Path | None) -> None:
        self.base = base
        self.problems: list[Problem] = []

    def at(self, path: Path):
        shown = display_path(path, self.base)

        def report(position: Position, level: Level, message: str) -> None:
            self.problems.append(Problem(shown, position.line, position.column, level, message))

        return report


def read_document(path: Path, report) -> Document | None:
    """Parse one YAML file; report size, encoding and syntax problems. None when unusable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report(
                Position(1, 1),
                Level.ERROR,
                f"the file is {size:,} bytes; a kit file must stay under {MAX_FILE_BYTES:,}",
            )
            return None
        data = path.read_bytes()
    except OSError as err:
        report(Position(1, 1), Level.ERROR, f"cannot read the file: {err.strerror or err}")
        return None
    text, issue = decode(data)
    if issue:
        report(issue.position, Level.ERROR, issue.message)
        return None
    doc = parse(text or "")
    for found in doc.issues:
        report(found.position, Level.ERROR, found.message)
    if doc.data is None and not doc.issues:
        report(
            Position(1, 1),
            Level.ERROR,
            "the file is empty; it needs at least name, url, kind and description",
        )
        return None
    if doc.data is not None and not isinstance(doc.data, dict):
        report(
            Position(1, 1),
            Level.ERROR,
            "the file must be a set of `field: value` lines, not a list or a single value",
        )
        return None
    return doc if not doc.issues else (doc if isinstance(doc.data, dict) else None)


def _load_binder(kit_dir: Path, collect: _Collector) -> Binder | None:
    path = kit_dir / BINDER_FILE
    report = collect.at(path)
    if not path.is_file():
        report(
            Position(1, 1),
            Level.ERROR,
            f"no {BINDER_FILE} in {kit_dir}; a kit needs one listing its tabs",
        )
        return None
    doc = read_document(path, report)
    if doc is None or not isinstance(doc.data, dict):
        return None
    data: dict[str, Any] = doc.data
    tabs: list[Tab] = []
    raw_tabs = data.get("tabs")
    if not isinstance(raw_tabs, list) or not raw_tabs:
        report(
            doc.where(("tabs",)),
            Level.ERROR,
            "`tabs` must be a list of tabs, each with an `id` and a `title`",
        )
        return None
    for index, item in enumerate(raw_tabs):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("id"), str)
            or not isinstance(item.get("title"), str)
        ):
            report(
                doc.where(("tabs", index)),
                Level.ERROR,
                "each tab needs an `id` (its folder name) and a `title`",
            )
            continue
        tabs.append(Tab(id=item["id"], title=item["title"], intro=str(item.get("intro", ""))))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        report(doc.where(("title",)), Level.ERROR, "`title` is required: the binder's name")
        return None
    known = {"title", "short_title", "description", "intro", "site_url", "contact", "tabs"}
    return Binder(
        title=title.strip(),
        tabs=tuple(tabs),
        short_title=str(data.get("short_title") or title).strip(),
        description=str(data.get("description") or "").strip(),
        intro=str(data.get("intro") or "").strip(),
        site_url=str(data.get("site_url") or "").strip(),
        contact=str(data.get("contact") or "").strip(),
        extra={k: v for k, v in data.items() if k not in known},
    )


def resource_files(kit_dir: Path) -> list[Path]:
    """Every resource file of a kit, in a stable order."""
    files: list[Path] = []
    for folder in sorted(p for p in kit_dir.iterdir() if p.is_dir()):
        if folder.name in SKIP_DIRS or folder.name.startswith("."):
            continue
        files.extend(
            sorted(p for p in folder.iterdir() if p.suffix in RESOURCE_SUFFIXES and p.is_file())
        )
    return files


def _lines(doc: Document) -> dict[str, int]:
    return {str(path[0]): pos.line for path, pos in doc.key_positions.items() if len(path) == 1}


def load_kit(
    kit_dir: Path | str,
    *,
    extra_dirs: Iterable[Path | str] = (),
    exclude: Iterable[str] = (),
    allow_local: bool | None = None,
    base: Path | None = None,
) -> LoadResult:
    """Load and validate a kit. Later `extra_dirs` override earlier resources by slug."""
    kit_dir = Path(kit_dir)
    allow_local = allow_local_from_env() if allow_local is None else allow_local
    collect = _Collector(base)
    binder = _load_binder(kit_dir, collect)
    if binder is None:
        return LoadResult(None, collect.problems)
    tab_ids = tuple(t.id for t in binder.tabs)
    excluded = set(exclude)
    by_slug: dict[str, Resource] = {}
    for directory in (kit_dir, *map(Path, extra_dirs)):
        if not directory.is_dir():
            collect.at(directory)(Position(1, 1), Level.ERROR, "kit folder not found")
            continue
        layer: dict[str, Resource] = {}
        for path in resource_files(directory):
            report = collect.at(path)
            doc = read_document(path, report)
            if doc is None or not isinstance(doc.data, dict):
                continue
            errors = schema_errors(doc)
            for position, message in errors:
                report(position, Level.ERROR, message)
            check_file(doc, doc.data, path.stem, path.parent.name, tab_ids, allow_local, report)
            if errors or doc.issues:
                continue
            resource = resource_from_data(path.stem, path.parent.name, path, doc.data, _lines(doc))
            if resource.slug in layer:
                report(
                    Position(1, 1),
                    Level.ERROR,
                    f"the slug {resource.slug!r} is already used by "
                    f"{layer[resource.slug].path.as_posix()}; rename one of the files",
                )
                continue
            layer[resource.slug] = resource
        by_slug.update(layer)  # a fork's own file replaces the upstream one with its slug
    order = {tab: index for index, tab in enumerate(tab_ids)}
    resources = sorted(
        (r for slug, r in by_slug.items() if slug not in excluded),
        key=lambda r: (order.get(r.tab, len(order)), r.name.casefold(), r.slug),
    )
    check_kit(resources, lambda r: collect.at(r.path))
    problems = sorted(collect.problems, key=lambda p: (p.path, p.line, p.column))
    if has_errors(problems):
        return LoadResult(None, problems)
    return LoadResult(Kit(root=kit_dir, binder=binder, resources=tuple(resources)), problems)
