"""A long list cut into pages that each stay small: at most so many items and so many bytes.

Used for lists read in order rather than by name (the Link health page's sections). Pure.
"""

from __future__ import annotations

from collections.abc import Sequence


def list_pages(items: Sequence[str], per_page: int, max_bytes: int) -> list[list[str]]:
    """`items` (rendered HTML) in order, cut into pages of at most `per_page` items whose
    UTF-8 size stays within `max_bytes`; an item too big for any page gets one of its own.

    >>> list_pages(["a", "b", "c", "d", "e"], 2, 100)
    [['a', 'b'], ['c', 'd'], ['e']]
    >>> list_pages(["aaaa", "bb", "cc", "dddddd"], 10, 5)
    [['aaaa'], ['bb', 'cc'], ['dddddd']]
    >>> list_pages([], 5, 5)
    []
    """
    pages: list[list[str]] = []
    size = 0
    for item in items:
        length = len(item.encode("utf-8"))
        if not pages or len(pages[-1]) >= max(1, per_page) or size + length > max_bytes:
            pages.append([])
            size = 0
        pages[-1].append(item)
        size += length
    return pages
