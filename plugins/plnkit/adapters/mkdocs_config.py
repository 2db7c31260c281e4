"""The MkDocs plugin's typed configuration (shared DESIGN.md §4)."""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")


class Flag(c.BaseConfigOption[bool]):
    """A yes/no option that also takes the text of an environment variable (`!ENV`)."""

    def __init__(self, default: bool = False) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if value is None:
            return self.default
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise c.ValidationError(f"expected true or false, got {value!r}")


class LinksConfig(base.Config):
    check = Flag(default=True)
    max_age_hours = c.Type(int, default=24)
    concurrency = c.Type(int, default=16)
    per_host = c.Type(int, default=2)
    min_interval = c.Type((int, float), default=0.05)  # seconds between requests to a host
    timeout = c.Type((int, float), default=15)
    # How long a person's check (`verified` in a resource file) of a site that turns link
    # checkers away is trusted before the site asks for a new look.
    verified_max_age_days = c.Type(int, default=180)


class FeedsConfig(base.Config):
    fetch = Flag(default=True)
    max_age_hours = c.Type(int, default=6)
    posts_per_resource = c.Type(int, default=3)
    river_size = c.Type(int, default=50)
    active_days = c.Type(int, default=90)  # newest post this recent: "active"
    quiet_days = c.Type(int, default=365)  # this recent: "quiet"; older: "dormant"


class PagesConfig(base.Config):
    # A tab with more resources than this is split into alphabetical pages (A–F, G–M, …).
    max_resources_per_page = c.Type(int, default=200)


class PlnKitConfig(base.Config):
    enabled = Flag(default=True)
    kit_dir = c.Type(str, default="kit")
    cache_dir = c.Type(str, default=".cache/plnkit")
    cache = Flag(default=True)  # the per-file kit cache (plnkit.kit.cache); false: check all
    offline = Flag(default=False)
    links = c.SubConfig(LinksConfig)
    feeds = c.SubConfig(FeedsConfig)
    pages = c.SubConfig(PagesConfig)
    exclude = c.ListOfItems(c.Type(str), default=[])
    extra_kit_dirs = c.ListOfItems(c.Type(str), default=[])
    # The language of every word plnkit renders; unset, the theme's `language` (else English).
    language = c.Optional(c.Type(str))
