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


def _violations(page: Any, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return r.violations.map(v => `${v.id}: ${v.help} -> ` +
                v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
        }""",
        WCAG_TAGS,
    )
    return list(result)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_every_page_has_no_axe_violations(
    browser: Any, site_url: str, default_site: Path, axe_source: str, scheme: str
) -> None:
    paths = page_paths(default_site)
    assert {"", "start-here/", "communities/", "print/"} <= set(paths)
    context = open_context(browser)
    # Material keeps the reader's chosen scheme in local storage; a dark-mode reader gets slate.
    context.add_init_script(
        f"""document.addEventListener("DOMContentLoaded", () => {{
            document.body.setAttribute("data-md-color-scheme", "{SCHEMES[scheme]}");
        }});"""
    )
    page = context.new_page()
    found = {}
    try:
        for path in paths:
            page.goto(site_url + path)
            page.wait_for_selector(".plnkit-binder.is-enhanced, .plnkit-handout, .md-content")
            assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
            problems = _violations(page, axe_source)
            if problems:
                found[path or "/"] = problems
    finally:
        context.close()
    assert not found, "\n".join(f"{p}: {v}" for p, vs in found.items() for v in vs)
