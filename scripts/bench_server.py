"""The benchmark's web: one process serving pages and feeds on many 127.0.0.1 ports.

Each port stands for one host. What a URL answers depends only on its path (a hash), so
every tool in a run meets the same web:

- pages: 60% 200, 10% 404, 10% 301 to a page that answers 200, 20% 200 after 50–200 ms;
- feeds (paths ending in `feed.xml`): 80% 200, 20% 200 after 50–200 ms; RSS 2.0 with 50
  items, each with full HTML content (paragraphs, a list, links, an image, a script to strip);
- every 200 carries an ETag and a Last-Modified date and answers a matching conditional
  request with 304 at once (a conditional hit costs the origin no page generation);
- every response carries a `LinkChecker` header, which lifts LinkChecker's per-host throttle
  so that it is compared with the others fairly.

It stops by itself after `--lifetime` seconds, or on SIGTERM/SIGINT, closing its sockets.

    python scripts/bench_server.py --base-port 18300 --hosts 32 --lifetime 1800
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import enum
import hashlib
import json
import signal
import socket
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

from aiohttp import web

LAST_MODIFIED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
FEED_ITEMS = 50
MOVED_PREFIX = "/moved"
COMMON = {"LinkChecker": "plnkit-bench", "Server": "plnkit-bench"}


class Outcome(enum.Enum):
    OK = "ok"
    NOT_FOUND = "not-found"
    REDIRECT = "redirect"
    SLOW = "slow"


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    delay_ms: int = 0


def _hash(path: str) -> int:
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big")


def is_feed(path: str) -> bool:
    return path.endswith("feed.xml")


def classify(path: str) -> Answer:
    """What `path` answers, the same on every port and in every run.

    >>> classify("/moved/a/").outcome
    <Outcome.OK: 'ok'>
    """
    if path.startswith(MOVED_PREFIX + "/"):
        return Answer(Outcome.OK)
    value = _hash(path)
    bucket, delay = value % 100, 50 + (value >> 16) % 151
    if is_feed(path):
        return Answer(Outcome.OK) if bucket < 80 else Answer(Outcome.SLOW, delay)
    if bucket < 60:
        return Answer(Outcome.OK)
    if bucket < 70:
        return Answer(Outcome.NOT_FOUND)
    if bucket < 80:
        return Answer(Outcome.REDIRECT)
    return Answer(Outcome.SLOW, delay)


def etag(path: str) -> str:
    return f'"{_hash("etag:" + path):016x}"'


PARAGRAPHS = (
    "Our library started a lunchtime book club this term, and the students now choose the "
    "titles themselves. Attendance doubled once they ran the discussion.",
    "We weeded the nonfiction section with the science department, using circulation data "
    "and a simple rubric; the shelves finally have room for new inquiry projects.",
    "A short lesson on lateral reading changed how our seventh graders judge sources: they "
    "now open a new tab to check who is behind a site before they trust it.",
    "The makerspace cart travels between classrooms on Fridays. Teachers sign up for a slot, "
    "and the library lends kits with instructions and a reflection sheet.",
    "Our principal asked for evidence that the library matters, so we shared reading "
    "engagement figures and three short stories from students and teachers.",
    "Graphic novels are the most borrowed books in our collection, and they bring reluctant "
    "readers back to the library week after week.",
)


def _content_html(seed: int, title: str) -> str:
    picks = [PARAGRAPHS[(seed + k) % len(PARAGRAPHS)] for k in range(4)]
    paragraphs = "".join(f"<p>{text}</p>" for text in picks)
    return (
        f"<h2>{title}</h2>{paragraphs}"
        "<ul><li>Plan with one teacher first</li><li>Share results at a staff meeting</li>"
        "<li>Ask students what they would change</li></ul>"
        '<p>More ideas in <a href="https://example.org/ideas">our archive</a> and '
        '<a href="javascript:alert(1)">a bad link</a>.</p>'
        '<img src="https://example.org/photo.jpg" alt="Students reading" onerror="x()">'
        "<script>track()</script>"
    )


def feed_body(host: str, path: str) -> bytes:
    seed = _hash(path)
    site = f"http://{host}{path.rsplit('/', 1)[0]}/"
    items = []
    for number in range(FEED_ITEMS):
        title = f"Notes from the library, part {FEED_ITEMS - number}"
        published = format_datetime(LAST_MODIFIED - timedelta(days=number * 3, hours=seed % 24))
        link = f"{site}posts/{FEED_ITEMS - number}/"
        content = _content_html(seed + number, title)
        items.append(
            f"<item><title>{title}</title><link>{link}</link>"
            f'<guid isPermaLink="true">{link}</guid><pubDate>{published}</pubDate>'
            f"<description>{PARAGRAPHS[(seed + number) % len(PARAGRAPHS)]}</description>"
            f"<content:encoded><![CDATA[{content}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Library blog {seed % 10000}</title><link>{site}</link>"
        "<description>A school librarian's blog</description>"
        f"{''.join(items)}</channel></rss>"
    ).encode()


def page_body(path: str) -> bytes:
    seed = _hash(path)
    text = "".join(f"<p>{PARAGRAPHS[(seed + k) % len(PARAGRAPHS)]}</p>" for k in range(5))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Resource {seed % 100000}</title></head><body><main>"
        f"<h1>Resource {seed % 100000}</h1>{text}</main></body></html>"
    ).encode()


def _not_modified(request: web.Request, tag: str) -> bool:
    if request.headers.get("If-None-Match"):
        return tag in request.headers["If-None-Match"]
    since = request.headers.get("If-Modified-Since")
    if since:
        with contextlib.suppress(TypeError, ValueError):
            return parsedate_to_datetime(since) >= LAST_MODIFIED
    return False


async def handle(request: web.Request) -> web.StreamResponse:
    path = request.path
    answer = classify(path)
    if answer.outcome is Outcome.NOT_FOUND:
        return web.Response(status=404, text="not found", headers=COMMON)
    if answer.outcome is Outcome.REDIRECT:
        headers = {**COMMON, "Location": MOVED_PREFIX + path}
        return web.Response(status=301, headers=headers)
    tag = etag(path)
    validators = {**COMMON, "ETag": tag, "Last-Modified": format_datetime(LAST_MODIFIED, True)}
    if _not_modified(request, tag):
        return web.Response(status=304, headers=validators)
    if answer.delay_ms:
        await asyncio.sleep(answer.delay_ms / 1000)
    if is_feed(path):
        body = feed_body(request.host, path)
        return web.Response(body=body, content_type="application/rss+xml", headers=validators)
    return web.Response(body=page_body(path), content_type="text/html", headers=validators)


async def serve(base_port: int, hosts: int, lifetime: float) -> None:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    ports: list[int] = []
    for index in range(hosts):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", base_port + index if base_port else 0))
        await web.SockSite(runner, sock, backlog=1024).start()
        ports.append(sock.getsockname()[1])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(json.dumps({"ports": ports}), flush=True)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=lifetime)
    await runner.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-port", type=int, default=18300, help="0: pick free ports")
    parser.add_argument("--hosts", type=int, default=32, help="how many ports (pretend hosts)")
    parser.add_argument("--lifetime", type=float, default=1800, help="seconds before it stops")
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.base_port, args.hosts, args.lifetime))
    except OSError as err:
        print(f"bench_server: cannot listen: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
