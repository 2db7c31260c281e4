"""Read a kit directory into a validated `Kit`, or the list of problems that stop it.

Pure apart from reading files: the same function serves `plnkit validate`, the MkDocs plugin,
the pre-commit hook, `plnkit new`, `plnkit from-issue` and the pull-request workflow. Every
problem in every file is reported in one run; a broken binder does not hide the resources'
problems.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plnkit.kit.cache import KitCache, Recorder, cached_or_checked
from plnkit.kit.checked_file import CheckedFile, check_parsed, check_resource_file
from plnkit.kit.files import (
    BINDER_FILE,
    RESOURCE_NEEDS,
    Report,
    document_from_bytes,
    ignored_files,
    linked_folders,
    read_bytes,
    read_document,
    resource_files,
)
from plnkit.kit.invisible import invisible_problems
from plnkit.kit.model import Binder, Kit, Resource, Tab, resource_from_data
from plnkit.kit.problems import (
    LEVELS,
    MAX_PROBLEMS_PER_FILE,
    Level,
    PathDisplay,
    Problem,
    capped,
    has_errors,
)
from plnkit.kit.rules import Places, check_kit, control_characters
from plnkit.kit.schema import BINDER, schema_errors
from plnkit.kit.urls import allow_local_from_env, url_problem
from plnkit.kit.workers import checked_files
from plnkit.kit.yaml_source import Document, Position

BINDER_FIELDS = ("title", "short_title", "description", "intro", "site_url", "contact", "tabs")

BINDER_NEEDS = "the binder needs at least a `title` and its `tabs`"
LINKED_FOLDER = "the folder is a symbolic link; put the tab's own folder here instead"
# Addresses of the pages and files a build makes beside the tabs: no tab may take one.
GENERATED_PAGES = ("print", "recent", "link-health", "api", "opml", "assets", "all-resources")


@dataclass
class LoadResult:
    kit: Kit | None
    problems: list[Problem] = field(default_factory=list)  # at most so many per file
    errors: int | None = None  # how many there were in all, shown or not
    warnings: int | None = None

    def __post_init__(self) -> None:
        if self.errors is None:
            self.errors = sum(p.level is Level.ERROR for p in self.problems)
        if self.warnings is None:
            self.warnings = sum(p.level is not Level.ERROR for p in self.problems)

    @property
    def ok(self) -> bool:
        return self.kit is not None and not has_errors(self.problems)


class _Collector:
    """Problems of the whole run; file paths are shown relative to `base` (default: cwd)."""

    def __init__(self, base: Path | None) -> None:
        self.base = base or Path.cwd()
        self.shown = PathDisplay(self.base)
        self.problems: list[Problem] = []

    def at(self, path: Path) -> Report:
        shown: list[str] = []  # worked out on the first problem only: most files have none

        def report(position: Position, level: Level, message: str) -> None:
            if not shown:
                shown.append(self.shown(path))
            self.problems.append(Problem(shown[0], position.line, position.column, level, message))

        return report


def load_binder(kit_dir: Path, report: Report, allow_local: bool = False) -> Binder | None:
    """The binder from `kit_dir/binder.yml`, or None after reporting why it is unusable."""
    return _read_binder(kit_dir, report)[0]


def _read_binder(kit_dir: Path, report: Report) -> tuple[Binder | None, Document | None]:
    data = _binder_bytes(kit_dir, report)
    return (None, None) if data is None else _parse_binder(data, report)


def _binder_bytes(kit_dir: Path, report: Report) -> bytes | None:
    path = kit_dir / BINDER_FILE
    if not path.is_file():
        report(
            Position(1, 1),
            Level.ERROR,
            f"no {BINDER_FILE} in {kit_dir}; a kit needs one listing its tabs",
        )
        return None
    return read_bytes(path, report)


def _parse_binder(data: bytes, report: Report) -> tuple[Binder | None, Document | None]:
    doc = document_from_bytes(data, report, BINDER_NEEDS)
    if doc is None:
        return None, None
    return _check_binder(doc, report), doc


def _check_binder(doc: Document, report: Report) -> Binder | None:
    errors = schema_errors(doc, BINDER)
    for position, message in errors:
        report(position, Level.ERROR, message)
    for where, message in invisible_problems(doc.data):  # bidi controls, a Cf in the title
        errors.append((doc.where(where), message))
        report(doc.where(where), Level.ERROR, message)
    data: dict[str, Any] = doc.data
    bad = bool(errors or doc.issues)
    site_url = data.get("site_url")
    if isinstance(site_url, str) and site_url.strip():
        why = url_problem(site_url, allow_local=True)  # a preview may live on localhost
        if why:
            report(doc.where(("site_url",)), Level.ERROR, f"`site_url` {why}")
            bad = True
    for position, message in control_characters(doc):
        report(position, Level.ERROR, message)
        bad = True
    seen: dict[str, int] = {}
    for index, item in enumerate(data.get("tabs") or ()):
        tab_id = item.get("id") if isinstance(item, dict) else None
        if tab_id in GENERATED_PAGES:
            report(
                doc.where(("tabs", index, "id")),
                Level.ERROR,
                f"the tab id {tab_id!r} is the address of a page PLN Kit makes ({tab_id}/); "
                "choose another id and rename the tab's folder to match",
            )
            bad = True
        elif isinstance(tab_id, str) and tab_id in seen:
            report(
                doc.where(("tabs", index, "id")),
                Level.ERROR,
                f"the tab {tab_id!r} is listed twice (first as tab {seen[tab_id] + 1}); remove one",
            )
            bad = True
        elif isinstance(tab_id, str):
            seen[tab_id] = index
    if bad:
        return None
    return binder_from_data(data)


def binder_from_data(data: dict[str, Any]) -> Binder:
    """The Binder of schema-valid binder data (checked by `load_binder` first)."""
    title = data["title"].strip()
    return Binder(
        title=title,
        tabs=tuple(
            Tab(id=t["id"], title=t["title"].strip(), intro=str(t.get("intro") or "").strip())
            for t in data["tabs"]
        ),
        short_title=str(data.get("short_title") or title).strip(),
        description=str(data.get("description") or "").strip(),
        intro=str(data.get("intro") or "").strip(),
        site_url=str(data.get("site_url") or "").strip(),
        contact=str(data.get("contact") or "").strip(),
        extra={k: v for k, v in data.items() if k not in BINDER_FIELDS},
    )


def check_resource(
    doc: Document, path: Path, tabs: tuple[str, ...] | None, allow_local: bool, report: Report
) -> Resource | None:
    """Schema and single-file rules for a parsed resource file; the Resource when it passes."""
    if not check_parsed(doc, path, tabs, allow_local, report):
        return None
    return resource_from_data(path.stem, path.parent.name, path, doc.data, doc.key_lines())


def _binder(kit_dir: Path, report: Report, cache: KitCache | None) -> Binder | None:
    data = _binder_bytes(kit_dir, report)
    if data is None:
        return None

    def check(report: Report) -> tuple[Binder | None, Any, Any]:
        binder, doc = _parse_binder(data, report)
        return (binder, doc.data, doc.key_lines()) if binder and doc else (None, None, None)

    path = kit_dir / BINDER_FILE
    return cached_or_checked(
        cache, path, data, "binder", report, check, lambda hit: binder_from_data(hit.data)
    )[0]


def _resource(
    path: Path,
    checked: CheckedFile,
    tabs: tuple[str, ...] | None,
    allow_local: bool,
    report: Report,
    cache: KitCache | None,
    places_of: dict[Path, Places],
) -> Resource | None:
    """The Resource of one checked file (None when unusable), its problems reported; from the
    cache when the file's bytes are those it knows."""
    scope = _scope(tabs)
    hit = cache.lookup(path, scope, checked.digest, report) if cache and checked.digest else None
    if hit is not None:
        places_of[path] = hit.places
        return resource_from_data(path.stem, path.parent.name, path, hit.data, hit.lines)
    if checked.skipped:  # the cache knew these bytes but could not answer after all
        checked = check_resource_file(path, None, tabs, allow_local, hashed=True)
    recorder = Recorder(report) if cache is not None else None
    for line, column, level, message in checked.problems:
        (recorder or report)(Position(line, column), LEVELS[level], message)
    if checked.data is None or checked.lines is None or checked.places is None:
        return None
    if cache is not None and recorder is not None and checked.digest:
        cache.keep(path, scope, checked.digest, recorder, checked.data, checked.lines,
                   checked.places)  # fmt: skip
    places_of[path] = checked.places
    return resource_from_data(path.stem, path.parent.name, path, checked.data, checked.lines)


def _scope(tabs: tuple[str, ...] | None) -> str:
    """What a resource file's answer depends on besides its bytes: the binder's tabs."""
    return f"resource in {tabs}"


def _check_across(
    resources: list[Resource],
    places_of: dict[Path, Places],
    collect: _Collector,
    cache: KitCache | None,
) -> None:
    """The rules across files; a warm build whose files all hit the cache reuses their last
    answer (it depends only on those files, in that order, shown from the same folder)."""
    key = json.dumps([str(collect.base), [str(r.path) for r in resources]])
    kept = cache.across(key) if cache else None
    if kept is not None:
        collect.problems.extend(kept)
        return
    before = len(collect.problems)
    check_kit(resources, places_of, lambda r: collect.at(r.path), collect.shown)
    if cache:
        cache.keep_across(key, collect.problems[before:])


def load_kit(
    kit_dir: Path | str,
    *,
    extra_dirs: Iterable[Path | str] = (),
    exclude: Iterable[str] = (),
    allow_local: bool | None = None,
    base: Path | None = None,
    cache_dir: Path | None = None,
    max_problems: int | None = MAX_PROBLEMS_PER_FILE,
    parallel_from: int | None = None,
) -> LoadResult:
    """Load and validate a kit. Later `extra_dirs` override earlier resources by slug.

    With `cache_dir` (the project's state store), files whose bytes were checked by an
    earlier run are not parsed or checked again (`plnkit.kit.cache`); the result is the
    same. Checks pass none.
    At most `max_problems` problems are listed per file (None or 0: all), then one line says
    how many more there were; `LoadResult.errors` and `.warnings` count them all.
    A kit of at least `parallel_from` resource files (default: `workers.PARALLEL_FROM`) is
    checked on every core (`plnkit.kit.workers`); the result is the same."""
    allow_local = allow_local_from_env() if allow_local is None else allow_local
    cache = KitCache.for_build(cache_dir, allow_local=allow_local) if cache_dir else None
    result = _load_kit(
        Path(kit_dir), extra_dirs, exclude, allow_local, base, cache, max_problems, parallel_from
    )
    if cache is not None:
        cache.save()
    return result


def _load_kit(
    kit_dir: Path,
    extra_dirs: Iterable[Path | str],
    exclude: Iterable[str],
    allow_local: bool,
    base: Path | None,
    cache: KitCache | None,
    max_problems: int | None = MAX_PROBLEMS_PER_FILE,
    parallel_from: int | None = None,
) -> LoadResult:
    collect = _Collector(base)
    if not kit_dir.is_dir():
        collect.at(kit_dir)(Position(1, 1), Level.ERROR, "kit folder not found")
        return LoadResult(None, collect.problems)
    binder = _binder(kit_dir, collect.at(kit_dir / BINDER_FILE), cache)
    tab_ids = tuple(t.id for t in binder.tabs) if binder else None
    excluded = set(exclude)
    layers: list[list[Path]] = []  # each folder's resource files, upstream first
    for directory in (kit_dir, *map(Path, extra_dirs)):
        if not directory.is_dir():
            collect.at(directory)(Position(1, 1), Level.ERROR, "kit folder not found")
            continue
        for path in linked_folders(directory):
            collect.at(path)(Position(1, 1), Level.ERROR, LINKED_FOLDER)
        for path, why in ignored_files(directory):
            collect.at(path)(Position(1, 1), Level.WARNING, f"{path.name} {why}")
        layers.append(resource_files(directory))
    scope = _scope(tab_ids)
    jobs = [(path, cache.known_digest(path, scope) if cache else None)
            for files in layers for path in files]  # fmt: skip
    by_slug: dict[str, list[Resource]] = {}
    places_of: dict[Path, Places] = {}
    answers = checked_files(jobs, tab_ids, allow_local, cache is not None, parallel_from)
    with closing(answers):
        for files in layers:
            layer: dict[str, list[Resource]] = {}
            for path in files:
                checked, report = next(answers), collect.at(path)
                resource = _resource(path, checked, tab_ids, allow_local, report, cache, places_of)
                if resource:  # twins: check_kit reports them
                    layer.setdefault(resource.slug, []).append(resource)
            by_slug.update(layer)  # a fork's own file replaces the upstream one with its slug
    order = {tab: index for index, tab in enumerate(tab_ids or ())}
    resources = sorted(
        (r for slug, group in by_slug.items() if slug not in excluded for r in group),
        key=lambda r: (order.get(r.tab, len(order)), r.name.casefold(), r.slug),
    )
    _check_across(resources, places_of, collect, cache)
    problems = sorted(collect.problems, key=lambda p: (p.path, p.line, p.column))
    errors = sum(p.level is Level.ERROR for p in problems)
    counts = {"errors": errors, "warnings": len(problems) - errors}
    shown = capped(problems, max_problems)
    if binder is None or errors:
        return LoadResult(None, shown, **counts)
    kit = Kit(root=kit_dir, binder=binder, resources=tuple(resources))
    return LoadResult(kit, shown, **counts)


__all__ = [  # reading helpers other modules import from here
    "BINDER_FILE",
    "RESOURCE_NEEDS",
    "LoadResult",
    "check_resource",
    "document_from_bytes",
    "ignored_files",
    "load_binder",
    "load_kit",
    "read_document",
    "resource_files",
]
