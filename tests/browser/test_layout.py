"""How the site looks: screenshots at desktop and phone widths, no sideways scrolling, print.

Screenshots and the handout PDF are saved under test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from plnkit.kit.loader import load_kit
from tests.browser.conftest import open_context
from tests.conftest import ROOT
from tests.site_server import page_paths

pytestmark = pytest.mark.browser

KIT = load_kit(ROOT / "kit").kit
WIDTHS = (1280, 375)


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_width_and_are_captured(
    browser: Any, site_url: str, default_site: Path, artifacts: Path, width: int
) -> None:
    context = open_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    too_wide = {}
    try:
        for path in page_paths(default_site):
            page.goto(site_url + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                too_wide[path or "/"] = overflow
            page.screenshot(
                path=str(artifacts / "screenshots" / f"{_name(path)}-{width}.png"), full_page=True
            )
    finally:
        context.close()
    assert not too_wide, f"pages scroll sideways at {width}px (extra px): {too_wide}"


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def test_handout_prints_the_whole_kit_on_a_few_pages(
    page: Any, site_url: str, artifacts: Path
) -> None:
    page.goto(site_url + "print/")
    page.emulate_media(media="print")
    pdf = page.pdf(format="Letter")
    (artifacts / "handout.pdf").write_bytes(pdf)
    pages, text = _pdf_text(pdf)
    # At most four pages, or a dozen resources a page for a larger kit.
    most = max(4, math.ceil(len(KIT.resources) / 12))
    assert 1 <= pages <= most, f"the handout takes {pages} pages"
    squashed = _squash(text)
    missing = [r.name for r in KIT.resources if _squash(r.name) not in squashed]
    assert not missing, f"names missing from the printed handout: {missing}"
    assert "teacherlibrarian.org" in text.replace(" ", "")
    assert "Search" not in text.split(KIT.binder.title)[0], "site chrome printed"


def test_a_tab_page_prints_every_card_not_just_the_selected_one(page: Any, site_url: str) -> None:
    page.goto(site_url + "communities/")
    assert page.eval_on_selector_all('[role="tabpanel"][hidden]', "e => e.length") >= 1
    page.emulate_media(media="print")
    pages, text = _pdf_text(page.pdf(format="A4"))
    assert pages <= max(4, math.ceil(len(KIT.in_tab("communities")) / 1.5))  # 2 cards in 3 pages
    squashed = _squash(text)
    assert all(_squash(r.name) in squashed for r in KIT.in_tab("communities"))
