"""`mkdocs serve` (issue 16): a change to a kit file rebuilds the site, and the build is quiet.

The kit lives outside docs/, so MkDocs would not watch it on its own; the plugin's `on_serve`
hook does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import MKDOCS_YML, build_default_site, write_kit

EXTRA = "      extra_kit_dirs: [kit-local]\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, wanted: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    body = None
    while time.monotonic() < deadline:
        body = _get(url)
        if body and wanted in body:
            return body
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {wanted!r}; last body: {(body or '')[:300]}")


@pytest.mark.parametrize("folder", ["kit", "kit-local"])
def test_serve_rebuilds_when_a_kit_file_changes(tmp_path: Path, folder: str) -> None:
    write_kit(tmp_path)
    (tmp_path / "kit-local" / "communities").mkdir(parents=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML + EXTRA, encoding="utf-8")
    target = tmp_path / folder / "communities" / "alpha-ning.yml"
    if folder == "kit-local":  # a fork's own copy replaces the upstream file
        target.write_text(
            (tmp_path / "kit/communities/alpha-ning.yml").read_text(encoding="utf-8"),
            encoding="utf-8",
        )
    port = _free_port()
    env = {**os.environ, "PLNKIT_OFFLINE": "1", "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/communities/"
        _wait_for(url, "Alpha Ning", 90)
        text = target.read_text(encoding="utf-8").replace("Alpha Ning", "Alpha Renamed")
        target.write_text(text, encoding="utf-8")
        _wait_for(url, "Alpha Renamed", 90)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_default_build_is_quiet_and_keeps_the_fork_guide_off_the_site(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    with caplog.at_level(logging.INFO):
        site = build_default_site(tmp_path)
    assert "not included in the" not in caplog.text
    assert not (site / "fork" / "index.html").exists()
    assert not (site / "fork.html").exists()
    assert "fork.md" not in (site / "sitemap.xml").read_text(encoding="utf-8")
