"""The default kit's built site: page weight, the search index, and no broken internal link."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from plnkit.kit.loader import load_kit
from plnkit.render.print_page import plain_text
from tests.conftest import ROOT
from tests.site_server import serve_dir

KIT = load_kit(ROOT / "kit").kit
WEIGHT_LIMIT = 100 * 1024

LINKCHECKER_RC = """\
[checking]
threads=8
timeout=20
# our loopback server answers with a "LinkChecker" header, which lifts the 10/s cap
maxrequestspersecond=1000
[filtering]
checkextern=0
[AnchorCheck]
"""


@pytest.mark.parametrize("tab", KIT.binder.tabs, ids=lambda t: t.id)
def test_tab_page_html_stays_light(default_site: Path, tab: object) -> None:
    """The HTML of a tab page itself; the theme's shared CSS and JS are cached across pages."""
    size = (default_site / tab.id / "index.html").stat().st_size  # type: ignore[attr-defined]
    assert size < WEIGHT_LIMIT, f"{tab.id}: {size} bytes"


def test_tab_pages_are_server_rendered_binders(default_site: Path) -> None:
    for tab in KIT.binder.tabs:
        page = (default_site / tab.id / "index.html").read_text(encoding="utf-8")
        assert page.count('class="plnkit-binder"') == 1
        assert page.count('<article class="plnkit-card"') == len(KIT.in_tab(tab.id))
        assert "<iframe" not in page  # previews are created by the script, on selection
        assert "assets/plnkit/plnkit-binder.js" in page


def test_search_indexes_every_resource_name_description_and_tags(default_site: Path) -> None:
    index = json.loads((default_site / "search" / "search_index.json").read_text("utf-8"))
    docs = {d["location"]: d for d in index["docs"]}
    for r in KIT.resources:
        doc = docs.get(f"{r.tab}/#{r.slug}--name")
        assert doc, f"{r.slug} is not a search section"
        assert html.unescape(re.sub(r"<[^>]+>", "", doc["title"])) == r.name
        text = html.unescape(re.sub(r"<[^>]+>", " ", doc["text"]))
        text = " ".join(text.split())
        first_words = " ".join(plain_text(r.description).split()[:6])
        assert first_words in text, (r.slug, first_words)
        for tag in r.tags:
            assert tag in text, (r.slug, tag)
    assert not any(loc.startswith("print/") for loc in docs), "the handout repeats the kit"


def run_linkchecker(site: Path, config_dir: Path) -> tuple[int, str]:
    """Crawl `site` over a local HTTP server; external links are not followed."""
    config = config_dir / "linkcheckerrc"
    config.write_text(LINKCHECKER_RC, encoding="utf-8")
    linkchecker = Path(sys.executable).with_name("linkchecker")
    with serve_dir(site) as base:
        run = subprocess.run(
            [str(linkchecker), "-f", str(config), "--no-status", "--no-robots", base],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    return run.returncode, run.stdout + run.stderr


def test_linkchecker_finds_no_broken_internal_link_anchor_or_asset(
    default_site: Path, tmp_path: Path
) -> None:
    code, report = run_linkchecker(default_site, tmp_path)
    checked = re.search(r"(\d+) links? in (\d+) URLs? checked", report)
    assert checked and int(checked.group(2)) > 50, report
    assert re.search(r"\b0 warnings found", report), report
    assert re.search(r"\b0 errors found", report), report
    assert code == 0, report


def test_linkchecker_reports_a_missing_page_anchor_and_asset(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<!doctype html><title>x</title><link rel="stylesheet" href="missing.css">'
        '<a href="a/#here">ok</a> <a href="a/#nowhere">bad anchor</a> <a href="gone/">gone</a>',
        encoding="utf-8",
    )
    (site / "a" / "index.html").write_text(
        '<!doctype html><title>a</title><p id="here">here</p>', encoding="utf-8"
    )
    code, report = run_linkchecker(site, tmp_path)
    assert code != 0
    assert "missing.css" in report and "gone/" in report
    assert re.search(r"Anchor .nowhere. .*\s+found", report), report
