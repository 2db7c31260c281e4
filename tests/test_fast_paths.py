"""The build's shortcuts give the same bytes as the long way round, for any input."""

from __future__ import annotations

import html
import json
from typing import Any

import nh3
import pytest
from hypothesis import given
from hypothesis import strategies as st

from plnkit.exports import json_text
from plnkit.exports.json_text import dumps_indented, dumps_streamed
from plnkit.feeds.content import html_to_text, plain_text
from plnkit.render import print_page, text
from plnkit.render.text import _rendered, inline_markdown, is_plain
from tests.test_properties import SETTINGS

# Characters that mean something to Markdown, HTML or the sanitizer, mixed with plain ones.
TRICKY = list("abcXYZ019 .,;:'\"()-+=~^|{}/?%$@é漢Ωœ\u00a0\u2028\t\n\r*_`[]<>&\\!#\x01\x7f\x85")
words = st.lists(
    st.one_of(st.sampled_from(TRICKY), st.sampled_from(["1. ", "- ", "+ ", "---", "  ", "=="])),
    max_size=14,
).map("".join)
texts = st.one_of(words, st.builds(lambda a, b: a + b, st.sampled_from("aZé漢"), words))


@SETTINGS
@given(texts)
def test_plain_text_skips_markdown_with_the_same_html(value: str) -> None:
    long_way = _rendered(value)
    assert inline_markdown(value) == (
        html.escape(value, quote=False) if is_plain(value) else long_way
    )
    if is_plain(value):
        assert inline_markdown(value) == long_way
        assert (
            print_page.plain_text(value) == html.unescape(nh3.clean(long_way, tags=set())).strip()
        )
        assert plain_text(value, limit=8) == html_to_text(long_way, limit=8)


@pytest.mark.parametrize(
    "value, plain",
    [
        ("A weekly chat for school librarians.", True),
        ("Café talk, 8 pm (Eastern) - free/open; 100% online?", True),
        ("A *weekly* chat", False),
        ("1. first", False),
        ("- a list", False),
        ("Two  spaces", False),
        ("Trailing space ", False),
        ("Line\nbreak", False),
        ("Tom & Jerry", False),
        ("No\u00a0break", False),
        ("", False),
    ],
)
def test_what_counts_as_plain(value: str, plain: bool) -> None:
    assert is_plain(value) is plain
    assert inline_markdown(value) == _rendered(value)


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
json_keys = st.one_of(st.text(max_size=8), st.integers(), st.booleans(), st.none())
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(json_keys, inner, max_size=4),
    ),
    max_leaves=25,
)


@SETTINGS
@given(json_values)
def test_indented_json_is_the_standard_librarys(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


@SETTINGS
@given(
    st.dictionaries(st.text(max_size=6), json_values, max_size=4), st.lists(json_values, max_size=4)
)
def test_streamed_json_is_the_same_text(head: dict[str, Any], items: list[Any]) -> None:
    head.pop("items", None)
    streamed = "".join(dumps_streamed(head, "items", iter(items)))
    assert streamed == json.dumps({**head, "items": items}, ensure_ascii=False, indent=2)


def test_indented_json_refuses_what_the_standard_library_refuses() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError):
        dumps_indented(loop)
    with pytest.raises(TypeError):
        dumps_indented({"when": object()})


@pytest.mark.parametrize("module", [text, json_text])
def test_docstring_examples(module: Any) -> None:
    import doctest

    assert doctest.testmod(module).failed == 0


url_parts = st.lists(
    st.sampled_from(["http", "https", "HTTP", "ftp", "://", ":", "//", "/", "?", "#", "@", ".",
                     "-", "a", "b.org", "127.0.0.1", "0", "80", "65535", "65536", "99999", " ",
                     "\t", "[", "]", "%20", "é", "x=1&y=2"]),
    max_size=9,
).map("".join)  # fmt: skip


@SETTINGS
@given(
    st.one_of(
        url_parts,
        st.builds(lambda a, b: a + b, st.sampled_from(["http://", "https://"]), url_parts),
    )
)
def test_stored_urls_are_judged_as_the_full_check_judges_them(value: str) -> None:
    from plnkit.links.site_view import _web_url
    from plnkit.url_safety import url_problem

    assert _web_url(value) == (None if url_problem(value, allow_local=True) else value)


@pytest.mark.parametrize("value", ["", "plain", "a & b < c > d \" e ' f", 7, None])
def test_escaping_is_the_standard_librarys(value: object) -> None:
    assert text.esc(value) == html.escape(str(value), quote=True)
