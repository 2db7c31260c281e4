"""Shards of a run: every host's URLs in exactly one of N shards, by a stable hash.

The hash is SHA-256 of the host key (`plnkit.net.hosts.host_key`), never Python's `hash()`,
which changes from one process to the next: the N jobs of a matrix must agree on which job
owns a host, so the per-host politeness limits still hold across the whole run.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from plnkit.net.hosts import host_key

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
MAX_SHARDS = 256  # GitHub Actions runs at most 256 jobs of one matrix


def shard_of(url: str, count: int) -> int:
    """The shard (1 to `count`) that owns `url`'s host.

    >>> shard_of("https://a.example/x", 4) == shard_of("https://WWW.A.example./y", 4)
    True
    """
    digest = hashlib.sha256(host_key(url).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % max(1, count) + 1


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count` (both counted from 1, as `--shard 2/4` says)."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.count <= MAX_SHARDS:
            raise ValueError(f"the number of shards must be 1 to {MAX_SHARDS}, not {self.count}")
        if not 1 <= self.index <= self.count:
            raise ValueError(f"shard {self.index} is not one of 1 to {self.count}")

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def label(self) -> str:
        """For file names: `2-of-4`."""
        return f"{self.index}-of-{self.count}"

    def holds(self, url: str) -> bool:
        return shard_of(url, self.count) == self.index


def parse_shard(text: str) -> Shard:
    """`"K/N"` as a `Shard`; ValueError with a plain message otherwise.

    >>> parse_shard("2/4")
    Shard(index=2, count=4)
    """
    found = _SHARD.match(text)
    if not found:
        raise ValueError(f"a shard is written K/N, for example 2/4, not {text!r}")
    return Shard(int(found.group(1)), int(found.group(2)))
