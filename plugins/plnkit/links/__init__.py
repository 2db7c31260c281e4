"""Link health: check every resource and feed URL, judge death over time, offer archives.

collector (URLs from the kit) → checker (HTTP) → history (health over stored runs) →
report (console, JSON, Markdown). `check_kit_links` runs it all in process.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from plnkit.links.types import CheckResult, Entry, Health, LinkState, RunReport

if TYPE_CHECKING:
    from plnkit.links.options import CheckOptions
    from plnkit.links.run import check_kit_links

# The checker and its HTTP client load on first use: a site build reads stored link health
# through `plnkit.links.history` and should not import the network stack to do so.
_LAZY = {"CheckOptions": "plnkit.links.options", "check_kit_links": "plnkit.links.run"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CheckOptions",
    "CheckResult",
    "Entry",
    "Health",
    "LinkState",
    "RunReport",
    "check_kit_links",
]
