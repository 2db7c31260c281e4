"""Apply the resource JSON Schema to a parsed file and say what is wrong in plain words."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from plnkit.yaml_source import Document, Position

URL_FIELDS = ("url", "feed", "archive_url")


@cache
def resource_schema() -> dict[str, Any]:
    """The JSON Schema every resource file must satisfy (the single source of truth)."""
    text = resources.files("plnkit").joinpath("schema/resource.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(resource_schema())


def _field(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path) if path else "the file"


def _what_yaml_made(value: Any, raw: str | None) -> str:
    shown = raw if raw is not None else str(value)
    if isinstance(value, bool):
        return f"YAML read {shown!r} as the yes/no value {str(value).lower()}"
    if isinstance(value, int):
        return f"YAML read {shown!r} as the number {value}"
    if isinstance(value, float):
        return f"YAML read {shown!r} as the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"YAML read {shown!r} as a date"
    if value is None:
        return "the value is empty"
    if isinstance(value, list):
        return "got a list"
    if isinstance(value, dict):
        return "got a mapping of fields"
    return f"got {shown!r}"


def _message(error: ValidationError, doc: Document) -> tuple[str, tuple[Any, ...], bool]:
    """(message, path to point at, point at the key rather than the value)."""
    path = tuple(error.absolute_path)
    name = _field(path)
    value = error.instance
    validator = error.validator
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "a field"
        example = {"url": "https://…", "name": "…", "kind": "community", "description": "…"}
        hint = example.get(missing, "…")
        where = f" in `{name}`" if path else ""
        return (
            f"missing required field `{missing}`{where}; add a line `{missing}: {hint}`",
            path,
            False,
        )
    if validator == "additionalProperties":
        extras = [k for k in value if k not in (error.schema.get("properties") or {})]
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        key = extras[0] if extras else "?"
        return (
            f"unknown field `{key}`; check the spelling or remove it (allowed: {allowed})",
            (*path, key),
            True,
        )
    if validator == "type":
        expected = error.validator_value
        if expected == "string" or expected == ["string"]:
            raw = doc.raw.get(path)
            made = _what_yaml_made(value, raw)
            if raw is not None and not isinstance(value, (list, dict)) and value is not None:
                return (
                    f'`{name}` must be text, but {made}; put it in quotes: {path[-1]}: "{raw}"',
                    path,
                    False,
                )
            return f"`{name}` must be text, but {made}", path, False
        if expected == "array":
            return (
                f"`{name}` must be a list (one `- item` per line); "
                f"{_what_yaml_made(value, doc.raw.get(path))}",
                path,
                False,
            )
        if expected == "object":
            return (
                f"`{name}` must be a set of `field: value` lines; "
                f"{_what_yaml_made(value, doc.raw.get(path))}",
                path,
                False,
            )
        if expected == "integer":
            return (
                f"`{name}` must be a whole number; {_what_yaml_made(value, doc.raw.get(path))}",
                path,
                False,
            )
    if validator == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        raw = doc.raw.get(path)
        got = raw if raw is not None else value
        return f"`{name}` must be one of: {choices}; got {got!r}", path, False
    if validator == "minLength":
        return (
            f"`{name}` is too short ({len(value)} characters; at least {error.validator_value})",
            path,
            False,
        )
    if validator == "maxLength":
        return (
            f"`{name}` is too long ({len(value)} characters; at most "
            f"{error.validator_value}); shorten it",
            path,
            False,
        )
    if validator == "uniqueItems":
        return f"`{name}` lists the same item twice; remove the repeat", path, False
    if validator == "pattern":
        field_schema = error.schema
        help_text = field_schema.get("description", "")
        example = (field_schema.get("examples") or [None])[0]
        tail = f" (e.g. {example!r})" if example else ""
        return (
            f"`{name}` is not in the expected form: {help_text}{tail}; got {value!r}",
            path,
            False,
        )
    if validator == "oneOf" and path and path[0] == "schedule":
        return (
            '`schedule` must be text ("Mondays, 8 pm Eastern") or a map with `text` and '
            "optional `rrule`, `time`, `timezone`, `duration_minutes`, `start`",
            path,
            False,
        )
    if validator in ("minimum", "maximum"):
        return f"`{name}` must be between the allowed limits ({error.message})", path, False
    return f"`{name}`: {error.message}", path, False


def schema_errors(doc: Document) -> list[tuple[Position, str]]:
    """Every schema problem in the document, each with the position it refers to."""
    out: list[tuple[Position, str]] = []
    for error in sorted(_validator().iter_errors(doc.data), key=lambda e: list(map(str, e.path))):
        path = tuple(error.absolute_path)
        if path and path[0] in URL_FIELDS and error.validator == "pattern":
            continue  # URL fields get a fuller check (scheme, host, credentials) in kit_rules
        inner = [e for e in error.context or () if e.validator != "type"]
        if error.validator == "oneOf" and isinstance(error.instance, dict) and inner:
            # A mapping schedule: point at the specific problems inside it.
            for sub in inner:
                message, where, at_key = _message(sub, doc)
                spot = doc.key_positions.get(where) if at_key else None
                out.append((spot or doc.where(where), message))
            continue
        message, where, at_key = _message(error, doc)
        spot = doc.key_positions.get(where) if at_key else None
        out.append((spot or doc.where(where), message))
    return out
