"""Link health: check every resource and feed URL, judge death over time, offer archives.

collector (URLs from the kit) → checker (HTTP) → history (health over stored runs) →
report (console, JSON, Markdown). `check_kit_links` runs it all in process.
"""

from plnkit.links.options import CheckOptions
from plnkit.links.run import check_kit_links
from plnkit.links.types import CheckResult, Entry, Health, LinkState, RunReport

__all__ = [
    "CheckOptions",
    "CheckResult",
    "Entry",
    "Health",
    "LinkState",
    "RunReport",
    "check_kit_links",
]
