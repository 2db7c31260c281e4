"""A quick yes/no for store records: the small part of JSON Schema the store schemas use.

jsonschema takes about a millisecond a record, so checking 10,000 links on every build would
cost seconds. `compile_check` turns a schema written with only the keywords below into plain
Python checks (microseconds a record); jsonschema still checks the whole document and explains
each record this says is bad. A schema with any other keyword is refused at compile time
(`Unsupported`), and the caller falls back to jsonschema alone, so a schema change can never
go unchecked. tests/test_store_records.py holds the two to the same answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]
ANNOTATIONS = {"title", "description", "examples", "$comment", "$schema", "$id", "default"}
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    # As JSON Schema says: 2.0 is an integer too.
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


_PYTHON: dict[str, type] = {"object": dict, "array": list, "string": str, "boolean": bool,
                             "null": type(None)}  # fmt: skip


class Unsupported(ValueError):
    """The schema uses a keyword this checker does not know."""


def compile_check(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Check:
    """A function telling whether a value satisfies `schema` (local `$ref`s into `defs`)."""
    defs = schema.get("$defs", {}) if defs is None else defs
    pair = _pair_of_simple_types(schema)
    if pair is not None:
        return pair
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in ANNOTATIONS or keyword == "$defs" or keyword.startswith("x-"):
            continue
        checks.append(_keyword(keyword, value, schema, defs))
    return _all_of(checks)


def _pair_of_simple_types(schema: dict[str, Any]) -> Check | None:
    """`[text, text]` and the like (link history's `recent` runs), in one quick test."""
    if set(schema) != {"type", "prefixItems", "minItems", "maxItems"} or schema["type"] != "array":
        return None
    prefix = schema["prefixItems"]
    if not (len(prefix) == 2 == schema["minItems"] == schema["maxItems"]):
        return None
    kinds = [sub.get("type") for sub in prefix]
    if any(set(sub) != {"type"} or kind not in _PYTHON for sub, kind in zip(prefix, kinds,
                                                                            strict=True)):
        return None
    first, second = (_PYTHON[kind] for kind in kinds)
    return lambda v: (
        isinstance(v, list) and len(v) == 2 and isinstance(v[0], first)
        and isinstance(v[1], second)
    )  # fmt: skip


def _all_of(checks: list[Check]) -> Check:
    """One function for several checks, without a generator per value (this runs per field)."""
    if not checks:
        return lambda _value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    def every(value: Any) -> bool:
        for check in checks:  # noqa: SIM110 - a plain loop: all() makes a generator per call
            if not check(value):
                return False
        return True

    return every


def _keyword(keyword: str, value: Any, schema: dict[str, Any], defs: dict[str, Any]) -> Check:
    if keyword == "$ref":
        prefix = "#/$defs/"
        if not (isinstance(value, str) and value.startswith(prefix)):
            raise Unsupported(f"$ref {value!r}")
        return compile_check(defs[value[len(prefix) :]], defs)
    if keyword == "type":
        kinds = {value} if isinstance(value, str) else set(value)
        if not kinds <= _TYPES.keys():
            raise Unsupported(f"type {value!r}")
        if kinds & {"integer", "number"}:
            tests = [_TYPES[k] for k in sorted(kinds)]
            return lambda v: any(test(v) for test in tests)
        python = tuple(_PYTHON[k] for k in sorted(kinds))  # no bool confusion without numbers
        return lambda v: isinstance(v, python)
    if keyword == "enum":
        allowed = list(value)
        return lambda v: any(v == a and type(v) is type(a) for a in allowed)
    if keyword in ("minimum", "maximum"):
        bound = value
        is_number = _TYPES["number"]
        if keyword == "minimum":
            return lambda v: not is_number(v) or v >= bound
        return lambda v: not is_number(v) or v <= bound
    if keyword in ("minLength", "maxLength"):
        size = value
        if keyword == "minLength":
            return lambda v: not isinstance(v, str) or len(v) >= size
        return lambda v: not isinstance(v, str) or len(v) <= size
    if keyword in ("minItems", "maxItems"):
        size = value
        if keyword == "minItems":
            return lambda v: not isinstance(v, list) or len(v) >= size
        return lambda v: not isinstance(v, list) or len(v) <= size
    if keyword == "required":
        names = list(value)
        return lambda v: not isinstance(v, dict) or all(n in v for n in names)
    if keyword == "properties":
        return _properties(value, defs)
    if keyword == "additionalProperties":
        if value is True:
            return lambda _v: True
        if not isinstance(value, dict):
            raise Unsupported("additionalProperties: false")
        known = set(schema.get("properties", {}))
        extra = compile_check(value, defs)
        return lambda v: not isinstance(v, dict) or all(
            extra(item) for key, item in v.items() if key not in known
        )
    if keyword == "items":
        each = compile_check(value, defs)
        skip = len(schema.get("prefixItems", ()))

        def items(v: Any) -> bool:
            if isinstance(v, list):
                for item in v[skip:] if skip else v:
                    if not each(item):
                        return False
            return True

        return items
    if keyword == "prefixItems":
        firsts = [compile_check(s, defs) for s in value]
        return lambda v: not isinstance(v, list) or all(
            check(item) for check, item in zip(firsts, v, strict=False)
        )
    raise Unsupported(keyword)


def _properties(properties: dict[str, Any], defs: dict[str, Any]) -> Check:
    compiled = {name: compile_check(sub, defs) for name, sub in properties.items()}

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for name, item in value.items():
            test = compiled.get(name)
            if test is not None and not test(item):
                return False
        return True

    return check
