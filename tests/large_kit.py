"""A kit with one large tab, for the paging tests (plnkit.render.paging) and their browser twin."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

from tests.conftest import BINDER, MKDOCS_YML, build_site, write_kit

ADJECTIVES = (
    "Curious", "Digital", "Open", "Brave", "Quiet", "Busy", "Modern", "Shared", "Little",
    "Bright", "Northern", "Rural", "Urban", "Global", "Everyday", "Thoughtful",
)  # fmt: skip
LARGE_TAB = "communities"
# The shared test config with a page size: `.format(limit=N)`.
MKDOCS_PAGES_YML = MKDOCS_YML + "      pages: {{max_resources_per_page: {limit}}}\n"


def large_resources(
    count: int, tab: str = LARGE_TAB, seed: int = 3, archived_every: int = 0
) -> dict[str, str]:
    """`count` community files in `tab`, seeded, plus one resource in each other tab; every
    `archived_every`-th is archived (kept for history, listed on the Link health page)."""
    rng = random.Random(seed)
    files = {
        "start-here/gamma-guide.yml": """\
            name: Gamma Guide
            url: https://gamma.example.org/start
            kind: guide
            description: A short guide to building your first personal learning network.
            stages: [consumption, contribution]
            """,
        "blogs/beta-blog.yml": """\
            name: Beta Blog
            url: https://beta.example.org/blog
            kind: blog
            description: Reflections on running a busy middle-school library.
            stages: [consumption]
            """,
    }
    for index in range(count):
        adjective = rng.choice(ADJECTIVES)
        name = f"{adjective} Library Circle {index}"
        # Start here's "creation" list then names resources past the tab's first page.
        stage = "creation" if adjective in ("Thoughtful", "Urban") else "consumption"
        slug = name.lower().replace(" ", "-")
        body = f"""\
            name: {name}
            url: https://host{index % 40}.example.org/{slug}/
            kind: community
            description: A community where school librarians trade lesson ideas every week.
            stages: [{stage}]
            tags: [ning, school-libraries, reading]
            cost: free
            """
        if archived_every and index % archived_every == 0:
            archived = f"status: archived\narchive_url: https://archive.example.org/{slug}/\n"
            body = body.rstrip(" ") + textwrap.indent(archived, " " * 12)
        files[f"{tab}/{slug}.yml"] = body
    return files


def build_large_site(
    root: Path, count: int = 450, limit: int | None = None, archived_every: int = 0
) -> Path:
    """A real MkDocs build of a kit with `count` resources in one tab."""
    write_kit(root, large_resources(count, archived_every=archived_every), BINDER)
    if limit is None:
        return build_site(root)
    return build_site(root, MKDOCS_PAGES_YML.format(limit=limit))
