"""A built site served from a local HTTP server thread on 127.0.0.1, for browsers and crawlers."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean; failures show up in assertions, not access logs."""

    def end_headers(self) -> None:
        # LinkChecker limits itself to 10 requests a second per host unless the server answers
        # with this header; our own loopback server can take more.
        self.send_header("LinkChecker", "local-test-server")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextmanager
def serve_dir(directory: Path) -> Iterator[str]:
    """Serve `directory` until the block ends; yields the base URL (ends with a slash)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def page_paths(site: Path) -> list[str]:
    """Every page of a built site as a URL path relative to its root ("" for the home page)."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel.startswith(("assets", "search")):
            continue
        paths.append("" if rel == "." else f"{rel}/")
    return paths
