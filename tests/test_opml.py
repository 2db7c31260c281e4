"""The OPML export: the kit's feeds by tab, awkward text and all, read back by the import."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from plnkit.exports.common import feed_url, offered, plain_description
from plnkit.exports.opml import OPML_DOCS, kit_opml, opml_files
from plnkit.exports.opml_import import read_opml
from plnkit.kit.loader import load_kit
from plnkit.kit.model import Kit
from plnkit.render.state import SiteState
from tests.conftest import write_kit

NOW = dt.datetime(2026, 11, 29, 12, 30, 15, 123, tzinfo=dt.UTC)
AWKWARD = "Quotes \" and ' & <angles> > ; tab\there, cr\rlf\nend, café 漢字 \U0001f600"


def resource(name: str, feed: str | None, description: str, status: str = "active") -> str:
    url = f"https://x.example.org/{len(name)}/{name[:1]}?b=1&c=2"
    data = {"name": name, "url": url, "kind": "blog", "description": description,
            "stages": ["consumption"], "status": status}  # fmt: skip
    if feed:
        data["feed"] = feed
    if status != "active":
        data["notes"] = "Closed."
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.fixture(scope="module", params=["with contact", "without"])
def kit(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Kit:
    binder = {
        "title": f"Title {AWKWARD}",
        "tabs": [
            {"id": "start-here", "title": "Start & go"},
            {"id": "blogs", "title": 'Blogs & <b> "q"\tcafé'},
            {"id": "empty", "title": "Nothing with a feed"},
        ],
    }
    if request.param == "with contact":
        binder["contact"] = 'mailto:team@example.org?subject=<kit>&x="1"'
    resources = {
        "blogs/a.yml": resource(f"A {AWKWARD}", "https://a.example.org/feed?x=1&y=<2>", AWKWARD),
        "blogs/b.yml": resource("B", "https://b.example.org/f", "*Mark* [a](https://l.org) & so"),
        "blogs/c.yml": resource("C", "https://c.org/f", "Retired long ago, gone.", "retired"),
        "start-here/d.yml": resource("D", "https://d.example.org/rss", "Plain words only here."),
        "empty/e.yml": resource("E", None, "No feed at all for this one."),
    }  # fmt: skip
    root = tmp_path_factory.mktemp("opml")
    result = load_kit(write_kit(root, resources, yaml.safe_dump(binder, allow_unicode=True)))
    assert result.kit is not None, [p.format() for p in result.problems]
    return result.kit


@pytest.mark.parametrize("tab", [None, "start-here", "blogs", "empty", "no-such-tab"])
def test_the_opml_reads_back_as_the_kits_feeds(kit: Kit, tab: str | None) -> None:
    state = SiteState()
    data = kit_opml(kit, state, NOW, tab=tab)
    root = ET.fromstring(data)
    shown = kit.binder.tab(tab) if tab else None
    title = kit.binder.title + (f": {shown.title}" if shown else "")
    assert root.findtext("head/title") == title.replace("\r", "\n")  # XML reads CR as LF
    assert root.findtext("head/docs") == OPML_DOCS
    assert root.findtext("head/dateCreated") == "Sun, 29 Nov 2026 12:30:15 GMT"
    expected = [
        (r.name, feed_url(r, state), r.url, plain_description(r), " ".join(t.title.split()))
        for t in kit.binder.tabs
        if tab is None or t.id == tab
        for r in offered(kit, t.id)
        if feed_url(r, state)
    ]
    feeds = read_opml(data, "kit.opml")
    assert [(f.xml_url, f.html_url, f.folder) for f in feeds] == [e[1:3] + e[4:] for e in expected]
    outlines = root.findall("body/outline/outline")
    assert [(o.get("title"), o.get("description")) for o in outlines] == [
        (e[0], e[3]) for e in expected
    ]
    assert "https://c.org/f" not in {f.xml_url for f in feeds}  # retired: not offered


def test_the_site_files_are_the_same_documents(kit: Kit) -> None:
    state = SiteState()
    files = opml_files(kit, state, NOW)
    assert list(files) == [None, "start-here", "blogs", "empty"]
    for tab, data in files.items():
        assert data == kit_opml(kit, state, NOW, tab=tab)


def test_a_kit_without_feeds_has_an_empty_body(tmp_path: Path) -> None:
    kit = load_kit(
        write_kit(tmp_path, {"blogs/e.yml": resource("E", None, "No feed here at all.")})
    ).kit
    assert kit is not None
    assert b"<body />" in kit_opml(kit, SiteState(), NOW)
