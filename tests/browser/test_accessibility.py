"""WCAG 2.2 AA: axe-core in real Chromium on every page of the default kit, light and dark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import open_context
from tests.site_server import page_paths

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCHEMES = {"light": "default", "dark": "slate"}
SET_SCHEME = "(s) => document.body.setAttribute('data-md-color-scheme', s)"
NO_TRANSITIONS = "* { transition: none !important; animation: none !important; }"


def _violations(page: Any) -> list[str]:
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return r.violations.map(v => `${v.id}: ${v.help} -> ` +
                v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
        }""",
        WCAG_TAGS,
    )
    return list(result)


def test_every_page_has_no_axe_violations_in_either_scheme(
    browser: Any, site_url: str, default_site: Path, axe_source: str
) -> None:
    paths = page_paths(default_site)
    assert {"", "start-here/", "communities/", "print/"} <= set(paths)
    context = open_context(browser)
    page = context.new_page()
    found = {}
    try:
        for path in paths:
            page.goto(site_url + path)
            page.add_script_tag(content=axe_source)
            # Colours are judged as they settle: the theme animates them when schemes switch.
            page.add_style_tag(content=NO_TRANSITIONS)
            for name, scheme in SCHEMES.items():
                # What a reader who picks this scheme with the header's toggle gets.
                page.evaluate(SET_SCHEME, scheme)
                problems = _violations(page)
                if problems:
                    found[f"{path or '/'} ({name})"] = problems
    finally:
        context.close()
    assert not found, "\n".join(f"{p}: {v}" for p, vs in found.items() for v in vs)
