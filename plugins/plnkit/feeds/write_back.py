"""`plnkit fetch-feeds --write-discovered`: put a discovered feed address into its file.

Only a line is added (`feed: "URL"`, right after `url:` when that is a one-line value, else
at the end): the curator's comments, order and formatting stay as they were.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from plnkit.feeds.discover import FeedSource
from plnkit.feeds.report import FeedState
from plnkit.feeds.store import FeedRecord
from plnkit.kit.model import Kit, Resource

WORKING = (FeedState.OK.value, FeedState.NOT_MODIFIED.value)


@dataclass(frozen=True)
class Written:
    path: Path
    feed_url: str
    source: str


def with_feed_line(text: str, feed_url: str, url_line: int | None) -> str:
    """The file's text with a `feed:` line added.

    >>> with_feed_line("name: A\\nurl: https://a.example\\nkind: blog\\n", "https://a.example/f", 2)
    'name: A\\nurl: https://a.example\\nfeed: "https://a.example/f"\\nkind: blog\\n'
    """
    line = f"feed: {json.dumps(feed_url, ensure_ascii=False)}"
    lines = text.splitlines(keepends=True)
    if url_line and url_line <= len(lines):
        following = lines[url_line] if url_line < len(lines) else ""
        if not following[:1].isspace():  # the url value ends on its own line
            newline = "\r\n" if lines[url_line - 1].endswith("\r\n") else "\n"
            if not lines[url_line - 1].endswith(("\n", "\r")):
                lines[url_line - 1] += newline
            lines.insert(url_line, line + newline)
            return "".join(lines)
    if text and not text.endswith("\n"):
        text += "\n"
    return text + line + "\n"


def write_discovered(kit: Kit, records: dict[str, FeedRecord]) -> list[Written]:
    """Add every working discovered feed to its resource file; the files changed."""
    written: list[Written] = []
    for resource in kit.resources:
        record = records.get(resource.slug)
        if not _worth_writing(resource, record) or record is None or not record.feed_url:
            continue
        text = resource.path.read_text(encoding="utf-8")
        resource.path.write_text(
            with_feed_line(text, record.feed_url, resource.lines.get("url")), encoding="utf-8"
        )
        written.append(Written(resource.path, record.feed_url, record.source))
    return written


def _worth_writing(resource: Resource, record: FeedRecord | None) -> bool:
    return (
        record is not None
        and not resource.feed
        and bool(record.feed_url)
        and record.source != FeedSource.FILE.value
        and record.state in WORKING
    )
