"""Who PLN Kit says it is, on every request (links, feeds, discovery, archive lookups)."""

from __future__ import annotations

from plnkit import __version__

PROJECT_URL = "https://github.com/plnkit/pln-kit"
DEFAULT_USER_AGENT = f"PLNKit/{__version__} (+{PROJECT_URL}; link and feed checker)"
