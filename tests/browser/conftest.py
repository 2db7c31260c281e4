"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, one per session.

Without Chromium, Playwright or axe-core these tests are skipped with the reason in pytest's
summary; with PLNKIT_REQUIRE_BROWSER=1 (set by .ci/run) the same reason fails them instead.
Pages only ever reach the local test server: every other request is aborted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.site_server import serve_dir

CHROMIUM = Path(os.environ.get("PLNKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"


def browser_required() -> bool:
    return os.environ.get("PLNKIT_REQUIRE_BROWSER", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Skip (a contributor's machine) or fail (CI) with a reason a person can act on."""
    if browser_required():
        pytest.fail(f"{reason} (PLNKIT_REQUIRE_BROWSER=1 makes browser tests mandatory)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        unavailable(
            f"browser tests need Chromium at {CHROMIUM}: install Debian's `chromium` package "
            "(apt-get install chromium), or set PLNKIT_CHROMIUM"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("browser tests need the `playwright` package (installed by `make test`)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        unavailable(
            "accessibility tests need the pinned axe-core from package.json: "
            "run `make browser-deps` (npm ci)"
        )
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def site_url(default_site: Path) -> Iterator[str]:
    with serve_dir(default_site) as base:
        yield base


# Any http(s) URL not on the loopback test servers; matched inside the browser driver, so
# local requests never pay a round trip to Python.
NOT_LOCAL = re.compile(r"^(https?|wss?)://(?!(127\.0\.0\.1|localhost)(:\d+)?/)")


def open_context(browser: Any, **options: Any) -> Any:
    """A browser context that can reach only the local test servers."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(**options)
    context.route(NOT_LOCAL, lambda route: route.abort())
    return context


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; any uncaught script error fails the test that used it."""
    context = open_context(browser)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    try:
        yield tab
    finally:
        context.close()
    assert not errors, f"script errors: {errors}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
