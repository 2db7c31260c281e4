"""A built site that works opened from disk (file://), for the offline copy a release attaches.

mkdocs-material's offline plugin turns off directory URLs, so MkDocs writes `page/index.html`
links itself. Links that PLN Kit writes as raw HTML inside pages (`../communities/#slug`) are
outside MkDocs' reach; on disk a browser would open a folder listing for them. This module
rewrites such relative folder links to name the `index.html` inside.
"""

from __future__ import annotations

import re
from pathlib import Path

# href/src attribute values, quoted with " as every renderer here writes them.
_LINK = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>[^"]*)"')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def file_safe_url(url: str) -> str:
    """The same link, naming `index.html` when it points at a folder of this site.

    >>> file_safe_url("../communities/#classroom-20")
    '../communities/index.html#classroom-20'
    >>> file_safe_url("."), file_safe_url(".."), file_safe_url("./?q=1")
    ('index.html', '../index.html', './index.html?q=1')
    >>> file_safe_url("https://example.org/"), file_safe_url("#top"), file_safe_url("/abs/")
    ('https://example.org/', '#top', '/abs/')
    """
    if not url or url.startswith(("#", "/")) or _SCHEME.match(url):
        return url
    cut = len(url)
    for mark in ("?", "#"):
        if mark in url:
            cut = min(cut, url.index(mark))
    path, rest = url[:cut], url[cut:]
    if path == ".":
        return f"index.html{rest}"
    if path == "..":
        path = "../"
    if not path.endswith("/"):
        return url
    return f"{path}index.html{rest}"


def make_links_file_safe(html: str) -> str:
    """Every relative folder link in a page rewritten by `file_safe_url`."""
    return _LINK.sub(lambda m: f'{m["attr"]}="{file_safe_url(m["url"])}"', html)


def finish_site_for_files(site_dir: Path) -> int:
    """Rewrite every HTML page of a built site in place; returns how many pages changed."""
    changed = 0
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        fixed = make_links_file_safe(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
            changed += 1
    return changed
