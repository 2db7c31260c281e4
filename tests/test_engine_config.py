"""The engine adapters' configuration writers, without running an engine."""

from __future__ import annotations

import doctest
import importlib
import tomllib

import pytest

from plnkit.adapters.zensical_config import zensical_toml

MODULES = ("plnkit.adapters.zensical_config", "plnkit.site.site_config")


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    assert doctest.testmod(importlib.import_module(name)).failed == 0


def test_zensical_toml_reads_back_as_written() -> None:
    config = {
        "site_name": "Rich &amp; Test",
        "site_description": 'Quotes " and \\ and é and 🙂',
        "theme": {
            "name": "material",
            "features": ["navigation.tabs"],
            "font": False,
            "palette": [{"scheme": "default", "primary": "teal"}],
        },
        "nav": [{"Home": "index.md"}, {"Blogs &amp; feeds": "blogs/index.md"}],
        "plugins": ["search", {"offline": {"enabled": False}}],
        "markdown_extensions": ["attr_list", {"toc": {"permalink": True}}],
        "extra_css": ["assets/plnkit/plnkit.css"],
        "extra": {"social": [{"icon": "material/email", "link": "mailto:a@b.org"}]},
        "copyright": None,
    }
    project = tomllib.loads(zensical_toml(config, "docs", "site"))["project"]
    assert project["site_name"] == "Rich & Test"  # Zensical escapes what it prints
    assert project["site_description"] == 'Quotes " and \\ and é and 🙂'
    assert project["nav"] == [{"Home": "index.md"}, {"Blogs & feeds": "blogs/index.md"}]
    assert project["plugins"] == {"search": {}, "offline": {"enabled": False}}
    assert project["markdown_extensions"]["toc"] == {"permalink": True}
    assert project["markdown_extensions"]["pymdownx.highlight"] == {"use_pygments": False}
    assert project["theme"]["variant"] == "classic" and project["theme"]["font"] is False
    assert project["docs_dir"] == "docs" and project["site_dir"] == "site"
    assert "copyright" not in project


def test_pages_reached_by_links_are_declared_outside_the_nav(tmp_path) -> None:
    """So MkDocs and ProperDocs print no "not included in the nav" line for print/ and the
    other pages the binder links to."""
    from plnkit.adapters.engines import ENGINES, write_engine_config

    docs = tmp_path / "docs"
    for page in ("index.md", "blogs/index.md", "print/index.md", "link-health/index.md"):
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).write_text("# x\n", encoding="utf-8")
    nav = [{"Home": "index.md"}, {"Blogs": "blogs/index.md"}]
    written = write_engine_config(ENGINES["mkdocs"], {"site_name": "x", "nav": nav}, tmp_path)
    import yaml

    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert data["not_in_nav"].split("\n") == ["/link-health/index.md", "/print/index.md"]
