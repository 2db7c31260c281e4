"""Rules beyond the schema: file names, tabs, URLs, duplicates, archived resources, lint."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from plnkit.model import Resource
from plnkit.problems import Level
from plnkit.url_safety import normalize_url, url_problem
from plnkit.yaml_source import Document, Position

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DESCRIPTION_SOFT_LIMIT = 300

Report = Callable[[Position, Level, str], None]


def slug_problem(stem: str) -> str | None:
    if SLUG.match(stem):
        return None
    suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "my-resource"
    return (
        f"the file name {stem!r} must be a slug: lowercase letters, digits and hyphens "
        f"(rename it to {suggestion}.yml)"
    )


def check_file(
    doc: Document,
    data: dict[str, Any],
    stem: str,
    tab: str,
    tabs: tuple[str, ...],
    allow_local: bool,
    report: Report,
) -> None:
    """Rules that need one file only."""
    problem = slug_problem(stem)
    if problem:
        report(Position(1, 1), Level.ERROR, problem)
    if tab not in tabs:
        report(
            Position(1, 1),
            Level.ERROR,
            f"the folder {tab!r} is not a tab of kit/binder.yml; move the file into one of: "
            f"{', '.join(tabs)} (or add the tab to binder.yml)",
        )
    for field in ("url", "feed", "archive_url"):
        value = data.get(field)
        if isinstance(value, str):
            why = url_problem(value, allow_local=allow_local)
            if why:
                report(doc.where((field,)), Level.ERROR, f"`{field}` {why}")
    status = data.get("status", "active")
    if status in ("archived", "retired") and not (data.get("archive_url") or data.get("notes")):
        report(
            doc.where(("status",)),
            Level.ERROR,
            f"a resource marked {status} needs an `archive_url` (an archived copy) or a "
            "reason in `notes`",
        )
    description = data.get("description")
    if isinstance(description, str) and len(description) > DESCRIPTION_SOFT_LIMIT:
        report(
            doc.where(("description",)),
            Level.WARNING,
            f"`description` is {len(description)} characters; readers scan cards, so keep it "
            f"under {DESCRIPTION_SOFT_LIMIT}",
        )
    if "stages" not in data:
        report(
            Position(1, 1),
            Level.WARNING,
            "no `stages`; add the PLN stages it serves (consumption, connection, creation, "
            "contribution) so it shows on the Start here path",
        )


def check_kit(resources: list[Resource], report_for: Callable[[Resource], Report]) -> None:
    """Rules across files: duplicate URLs and slugs, replaced_by targets, lonely tags."""
    seen_urls: dict[str, Resource] = {}
    seen_slugs: dict[str, Resource] = {}
    for resource in resources:
        report = report_for(resource)
        line = resource.lines.get("url", 1)
        key = normalize_url(resource.url)
        first = seen_urls.get(key)
        if first is not None:
            report(
                Position(line, 1),
                Level.ERROR,
                f"the same resource as {first.path.as_posix()} (same address after "
                "normalising); keep one file",
            )
        else:
            seen_urls[key] = resource
        twin = seen_slugs.get(resource.slug)
        if twin is not None:
            report(
                Position(1, 1),
                Level.ERROR,
                f"the slug {resource.slug!r} is already used by {twin.path.as_posix()}; "
                "rename one of the files",
            )
        else:
            seen_slugs[resource.slug] = resource
    slugs = {r.slug for r in resources}
    urls = {normalize_url(r.url) for r in resources}
    for resource in resources:
        target = resource.replaced_by
        if (
            target
            and target not in slugs
            and normalize_url(target) not in urls
            and not target.startswith(("http://", "https://"))
        ):
            report_for(resource)(
                Position(resource.lines.get("replaced_by", 1), 1),
                Level.ERROR,
                f"`replaced_by` names {target!r}, which is neither a resource "
                "slug in the kit nor a web address",
            )
    tags = Counter(tag for r in resources for tag in r.tags)
    if len(resources) > 1:
        for resource in resources:
            for tag in resource.tags:
                if tags[tag] == 1:
                    report_for(resource)(
                        Position(resource.lines.get("tags", 1), 1),
                        Level.WARNING,
                        f"the tag {tag!r} is used by no other resource; reuse "
                        "an existing tag or drop it",
                    )
