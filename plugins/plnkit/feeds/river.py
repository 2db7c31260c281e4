"""The river: every feed's posts in one stream, newest first, each post once."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

from plnkit.feeds.view import FeedView, Post
from plnkit.kit.urls import normalize_url


def post_key(post: Post) -> tuple[str, ...]:
    """Two posts with one key are one post (a blog syndicated in two feeds, http vs https).

    >>> a = Post("Hello", "https://www.example.org/a/", "2026-01-01T00:00:00Z", source="A")
    >>> b = Post("Hello again", "http://example.org/a", "2026-01-02T00:00:00Z", source="B")
    >>> post_key(a) == post_key(b)
    True
    """
    if post.url:
        return ("url", normalize_url(post.url))
    return ("text", post.source, post.title.casefold(), post.published or "")


def _newest(post: Post) -> tuple[str, str, str]:
    return (post.published or "", post.source, post.title)


def build_river(views: Mapping[str, FeedView] | Iterable[FeedView], size: int) -> tuple[Post, ...]:
    """The newest `size` dated posts across all feeds, duplicates removed (the newest copy
    stays). Undated posts have no place in a dated stream and stay on their cards."""
    feeds = views.values() if isinstance(views, Mapping) else views
    # Each feed's posts are few; sorting each and merging lazily stops after `size` posts
    # instead of sorting every stored post of a large kit.
    streams = [
        sorted((p for p in view.posts if p.published), key=_newest, reverse=True) for view in feeds
    ]
    seen: set[tuple[str, ...]] = set()
    river: list[Post] = []
    for post in heapq.merge(*streams, key=_newest, reverse=True):
        key = post_key(post)
        if key in seen:
            continue
        seen.add(key)
        river.append(post)
        if len(river) >= size:
            break
    return tuple(river)


def paginate(river: tuple[Post, ...], per_page: int) -> list[tuple[Post, ...]]:
    """Pages of at most `per_page` posts; always at least one page (maybe empty).

    >>> [len(p) for p in paginate(tuple(Post(str(i), None, None) for i in range(5)), 2)]
    [2, 2, 1]
    """
    per_page = max(1, per_page)
    pages = [river[i : i + per_page] for i in range(0, len(river), per_page)]
    return pages or [()]
