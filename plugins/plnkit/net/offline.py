"""Whether the user told PLN Kit to stay off the network: `PLNKIT_OFFLINE=1`.

Kept apart from the build code so a command can ask without importing the site build.
"""

from __future__ import annotations

import os


def env_offline() -> bool:
    return os.environ.get("PLNKIT_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")
