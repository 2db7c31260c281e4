"""The quick record check agrees with jsonschema on every store schema (issue 19)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from plnkit.store.fast_check import Unsupported, compile_check

SCHEMAS = sorted(
    p.name for p in resources.files("plnkit").joinpath("schema").iterdir()
    if p.name.startswith("store-")
)  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 1200), st.floats(allow_nan=False),
    st.sampled_from(["ok", "dead", "healthy", "2026-01-01T00:00:00Z", "", "x" * 70]),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner,
                                                                max_size=3),
    max_leaves=8,
)  # fmt: skip


def record_schema(name: str) -> dict[str, Any]:
    schema = json.loads(resources.files("plnkit").joinpath(f"schema/{name}").read_text())
    return {"$defs": schema.get("$defs", {}), "$ref": "#/$defs/record"}


def fields(name: str) -> list[str]:
    return sorted(record_schema(name)["$defs"].get("record", {}).get("properties", {}))


@pytest.mark.parametrize("name", [n for n in SCHEMAS if fields(n)])
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_the_quick_check_says_what_jsonschema_says(name: str, data: st.DataObject) -> None:
    schema = record_schema(name)
    known = fields(name)
    record = data.draw(st.dictionaries(st.sampled_from([*known, "other"]), VALUES, max_size=6))
    if data.draw(st.booleans()):  # also records of the right shape, field by field
        record = {k: v for k, v in record.items() if Draft202012Validator(
            {"$defs": schema["$defs"], **schema["$defs"]["record"]["properties"].get(k, {})}
        ).is_valid(v)}  # fmt: skip
    expected = Draft202012Validator(schema).is_valid(record)
    assert compile_check(schema)(record) is expected, record


def test_a_keyword_it_does_not_know_is_refused_at_compile_time() -> None:
    with pytest.raises(Unsupported):
        compile_check({"type": "string", "pattern": "^a"})
    with pytest.raises(Unsupported):
        compile_check({"type": "object", "additionalProperties": False})
