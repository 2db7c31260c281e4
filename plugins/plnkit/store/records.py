"""Each state store document checked on read against its JSON Schema, record by record.

The schemas are packaged as `plnkit/schema/store-<document>.schema.json`. A schema's
`x-plnkit-records` names the maps (URL → record, slug → record) whose entries are checked one
at a time: a bad entry is dropped with one warning naming the file and its key, and the rest is
used (a quick check, `plnkit.store.fast_check`, answers for each record; jsonschema explains
the ones it refuses). A document whose other fields do not fit is dropped whole (one
warning). A document with no schema is taken as it is. Warnings are capped per file
(`MAX_WARNINGS`), then one line says how many more there were.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from plnkit.store.fast_check import Unsupported, compile_check

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

RECORDS_KEYWORD = "x-plnkit-records"
MAX_WARNINGS = 50


@dataclass
class Checked:
    """A document after its check: what is usable, and what was said about the rest."""

    data: dict[str, Any] | None  # None: nothing usable (the whole document is dropped)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Validators:
    document: Draft202012Validator
    record: Draft202012Validator | None
    record_maps: tuple[str, ...]
    record_ok: Callable[[Any], bool] | None  # the quick yes/no (fast_check), else jsonschema


@cache
def _validators(name: str) -> _Validators | None:
    path = resources.files("plnkit").joinpath(f"schema/store-{name}.schema.json")
    if not path.is_file():
        return None
    from jsonschema import Draft202012Validator

    schema = json.loads(path.read_text("utf-8"))
    maps = tuple(schema.get(RECORDS_KEYWORD) or ())
    outer = {**schema, "properties": dict(schema.get("properties", {}))}
    for key in maps:  # the maps' entries are checked one by one, not as part of the whole
        outer["properties"][key] = {"type": "object"}
    record = quick = None
    if "record" in schema.get("$defs", {}):
        record_schema = {"$defs": schema["$defs"], "$ref": "#/$defs/record"}
        record = Draft202012Validator(record_schema)
        try:
            quick = compile_check(record_schema)
        except Unsupported:
            quick = record.is_valid
    return _Validators(Draft202012Validator(outer), record, maps, quick)


def _reason(validator: Draft202012Validator, value: Any) -> str:
    error = next(iter(validator.iter_errors(value)), None)
    if error is None:
        return "does not fit"
    where = ".".join(str(p) for p in error.absolute_path) or "the record"
    message = error.message if len(error.message) <= 120 else error.message[:119] + "…"
    return f"{where}: {message}"


def _shown(key: str) -> str:
    text = key if len(key) <= 200 else key[:199] + "…"
    return json.dumps(text)  # quoted and escaped: a key may hold anything


def check_document(name: str, data: Any, label: str, cap: int = MAX_WARNINGS) -> Checked:
    """`data` (a store document's `data`) with every record that breaks the schema dropped."""
    if not isinstance(data, dict):
        return Checked(None, [f"{label} has no usable data; starting fresh for it"])
    found = _validators(name)
    if found is None:
        return Checked(data)
    if not found.document.is_valid(data):
        why = _reason(found.document, data)
        return Checked(None, [f"{label} does not fit its schema ({why}); starting fresh for it"])
    warnings: list[str] = []
    dropped = 0
    clean = dict(data)
    for key in found.record_maps:
        records = data.get(key)
        if not isinstance(records, dict) or found.record is None:
            continue
        is_valid = found.record_ok or found.record.is_valid
        bad = [k for k, rec in records.items() if not is_valid(rec)]
        if not bad:
            continue
        dropped += len(bad)
        for record_key in bad[: max(0, cap - len(warnings))]:
            why = _reason(found.record, records[record_key])
            warnings.append(
                f"{label}: dropped the record {_shown(str(record_key))} in `{key}` "
                f"({why}); the rest is used"
            )
        unwanted = set(bad)
        clean[key] = {k: v for k, v in records.items() if k not in unwanted}
    if dropped > len(warnings):
        warnings.append(f"…and {dropped - len(warnings)} more problems in {label}")
    return Checked(clean, warnings)
