"""The floors PLN Kit is measured against: the least work that does the same job.

- `links URLS_FILE`: an asyncio/aiohttp checker, 64 requests in flight, no per-host limit:
  GET each URL, follow redirects, read the body, count the answers.
- `feeds URLS_FILE`: one feed after another with `requests.get` and `feedparser.parse`, both
  with their defaults (the way most scripts do it).

Each prints one JSON line: {"checked": N, "ok": N, "broken": N, "seconds": S}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

IN_FLIGHT = 64
TIMEOUT_SECONDS = 15


async def check_links(urls: list[str], in_flight: int = IN_FLIGHT) -> dict[str, int]:
    import aiohttp

    counts = {"checked": 0, "ok": 0, "broken": 0}
    gate = asyncio.Semaphore(in_flight)
    connector = aiohttp.TCPConnector(limit=in_flight, limit_per_host=0)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(url: str) -> None:
            async with gate:
                try:
                    async with session.get(url, allow_redirects=True, max_redirects=10) as r:
                        await r.read()
                        good = r.status < 400
                except (aiohttp.ClientError, TimeoutError):
                    good = False
            counts["checked"] += 1
            counts["ok" if good else "broken"] += 1

        await asyncio.gather(*(one(url) for url in urls))
    return counts


def fetch_feeds(urls: list[str]) -> dict[str, int]:
    import feedparser
    import requests

    counts = {"checked": 0, "ok": 0, "broken": 0, "entries": 0}
    for url in urls:
        counts["checked"] += 1
        try:
            response = requests.get(url, timeout=TIMEOUT_SECONDS)
        except requests.RequestException:
            counts["broken"] += 1
            continue
        parsed = feedparser.parse(response.content)
        counts["entries"] += len(parsed.entries)
        counts["ok" if response.ok and parsed.entries else "broken"] += 1
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("job", choices=("links", "feeds"))
    parser.add_argument("urls", type=Path, help="a text file, one URL a line")
    args = parser.parse_args()
    urls = [u for u in args.urls.read_text(encoding="utf-8").split() if u]
    started = time.perf_counter()
    counts = asyncio.run(check_links(urls)) if args.job == "links" else fetch_feeds(urls)
    print(json.dumps({**counts, "seconds": round(time.perf_counter() - started, 4)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
