"""The examples in the docstrings of the reader-facing modules (issue 16) hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "plnkit.render.contribute",
    "plnkit.render.head",
    "plnkit.render.site_files",
    "plnkit.render.whole_kit",
    "plnkit.render.paging",
    "plnkit.render.pager",
    "plnkit.render.list_pages",
    "plnkit.render.link_health_page",
    "plnkit.render.print_page",
    "plnkit.site.page_head",
    "plnkit.exports.site_exports",
    "plnkit.edit.schedule_parts",
    "plnkit.edit.issue_form",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
