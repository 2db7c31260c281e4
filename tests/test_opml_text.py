"""The OPML written as text is exactly what ElementTree writes for the same tree."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from plnkit.exports.common import feed_url, offered, plain_description
from plnkit.exports.opml import OPML_DOCS, kit_opml, opml_files
from plnkit.kit.loader import load_kit
from plnkit.kit.model import Kit
from plnkit.render.state import SiteState
from tests.conftest import write_kit

NOW = dt.datetime(2026, 11, 29, 12, 30, 15, 123, tzinfo=dt.UTC)
AWKWARD = "Quotes \" and ' & <angles> > ; tab\there, cr\rlf\nend, café 漢字 \U0001f600"


def with_element_tree(kit: Kit, state: SiteState, now: dt.datetime, tab: str | None) -> bytes:
    """The export as it was written with ElementTree (the reference)."""
    import email.utils

    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    tab_title = kit.binder.tab(tab).title if tab and kit.binder.tab(tab) else None
    ET.SubElement(head, "title").text = (
        f"{kit.binder.title}: {tab_title}" if tab_title else kit.binder.title
    )
    ET.SubElement(head, "dateCreated").text = email.utils.format_datetime(
        now.astimezone(dt.UTC).replace(microsecond=0), usegmt=True
    )
    ET.SubElement(head, "docs").text = OPML_DOCS
    if kit.binder.contact:
        ET.SubElement(head, "ownerId").text = kit.binder.contact
    body = ET.SubElement(root, "body")
    for binder_tab in kit.binder.tabs:
        if tab is not None and binder_tab.id != tab:
            continue
        feeds = [(r, feed_url(r, state)) for r in offered(kit, binder_tab.id)]
        feeds = [(r, url) for r, url in feeds if url]
        if not feeds:
            continue
        folder = ET.SubElement(body, "outline", text=binder_tab.title, title=binder_tab.title)
        for resource, url in feeds:
            ET.SubElement(
                folder,
                "outline",
                type="rss",
                text=resource.name,
                title=resource.name,
                xmlUrl=url or "",
                htmlUrl=resource.url,
                description=plain_description(resource),
            )
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


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
def test_opml_is_element_trees(kit: Kit, tab: str | None) -> None:
    state = SiteState()
    assert kit_opml(kit, state, NOW, tab=tab) == with_element_tree(kit, state, NOW, tab)


def test_the_site_files_are_the_same_documents(kit: Kit) -> None:
    state = SiteState()
    files = opml_files(kit, state, NOW)
    assert list(files) == [None, "start-here", "blogs", "empty"]
    for tab, data in files.items():
        assert data == with_element_tree(kit, state, NOW, tab)
    ET.fromstring(files[None])  # well-formed


def test_a_kit_without_feeds_has_an_empty_body(tmp_path: Path) -> None:
    kit = load_kit(
        write_kit(tmp_path, {"blogs/e.yml": resource("E", None, "No feed here at all.")})
    ).kit
    assert kit is not None
    assert b"<body />" in kit_opml(kit, SiteState(), NOW)
    assert kit_opml(kit, SiteState(), NOW) == with_element_tree(kit, SiteState(), NOW, None)
