"""Apply a packaged JSON Schema to a parsed file and say what is wrong in plain words.

One validator per schema (jsonschema's Draft 2020-12 validator, built once) answers "is this
file valid?" and, for files that fail, lists every error with its path, for the messages.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from plnkit.kit.yaml_source import Document, Position, printable

# Web addresses get a fuller check (scheme, host, credentials) in kit_rules / the binder check.
URL_FIELDS = ("url", "feed", "archive_url", "site_url")
RESOURCE = "resource"
SUGGESTIONS = 100  # unknown fields per mapping given a "did you mean" (see _unknown_fields)
BINDER = "binder"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A packaged schema, `plnkit/schema/<name>.schema.json`."""
    path = resources.files("plnkit").joinpath(f"schema/{name}.schema.json")
    return json.loads(path.read_text("utf-8"))


def resource_schema() -> dict[str, Any]:
    """The JSON Schema every resource file must satisfy (the single source of truth)."""
    return load_schema(RESOURCE)


class SchemaCheck:
    """One schema, compiled once, turned into plain-language messages with positions."""

    def __init__(self, schema: dict[str, Any]) -> None:
        Draft202012Validator.check_schema(schema)
        self.schema = schema
        self.full = Draft202012Validator(schema)

    def is_valid(self, data: Any) -> bool:
        return self.full.is_valid(data)

    def errors(self, doc: Document) -> list[tuple[Position, str]]:
        """Every schema problem in the document, each with the position it refers to."""
        if self.is_valid(doc.data):
            return []
        out: list[tuple[Position, str]] = []
        found = sorted(self.full.iter_errors(doc.data), key=lambda e: [str(p) for p in e.path])
        for error in found:
            path = tuple(error.absolute_path)
            if error.validator == "pattern" and _is_url_field(path):
                continue
            if path in doc.refused:
                continue  # an alias or a tag, already reported where it stands
            if error.validator == "additionalProperties":
                out.extend(_unknown_fields(error, doc))
                continue
            if error.validator == "oneOf" and isinstance(error.instance, dict):
                # A mapping where text or a mapping is allowed: explain the mapping's problems.
                inner = [
                    e
                    for e in error.context or ()
                    if not (e.validator == "type" and not e.relative_path)
                ]
                if inner:
                    out.extend(_located(sub, doc) for sub in inner)
                    continue
            out.append(_located(error, doc))
        return list(dict.fromkeys(out))  # the first of each, in order, in linear time


def _is_url_field(path: tuple[Any, ...]) -> bool:
    """A web-address field or a `sources` item: kit_rules checks those more fully."""
    return bool(path) and (path[-1] in URL_FIELDS or (path[0] == "sources" and len(path) == 2))


@cache
def checker(name: str) -> SchemaCheck:
    return SchemaCheck(load_schema(name))


def schema_errors(doc: Document, name: str = RESOURCE) -> list[tuple[Position, str]]:
    """Every problem the named schema finds in `doc`, with positions."""
    return checker(name).errors(doc)


def field_name(path: tuple[Any, ...]) -> str:
    """How a message names a place in the file.

    >>> field_name(("tags", 1)), field_name(("schedule", "time")), field_name(("tabs", 1, "id"))
    ('`tags` item 2', '`schedule.time`', '`id` in `tabs` item 2')
    """
    if not path:
        return "the file"
    last_item = max((i for i, p in enumerate(path) if isinstance(p, int)), default=-1)
    if last_item == -1:
        return f"`{printable('.'.join(map(str, path)))}`"
    head = path[:last_item]
    outer = f"{field_name(head)} item" if head else "item"
    outer = f"{outer} {path[last_item] + 1}"
    rest = path[last_item + 1 :]
    return f"`{printable('.'.join(map(str, rest)))}` in {outer}" if rest else outer


def what_yaml_made(value: Any, raw: str | None) -> str:
    """Words for the value YAML produced, quoting what the contributor wrote."""
    shown = raw if raw is not None else str(value)
    if isinstance(value, bool):
        return f"YAML read {shown!r} as the yes/no value {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"YAML read {shown!r} as the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"YAML read {shown!r} as a date"
    if value is None:
        return "it is empty"
    if isinstance(value, list):
        return "it is a list"
    if isinstance(value, dict):
        return "it is a set of `field: value` lines"
    return f"got {_short(shown)!r}"


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(raw: str) -> str:
    return f'"{raw}"' if '"' not in raw else f"'{raw}'"


def _located(error: ValidationError, doc: Document) -> tuple[Position, str]:
    message, where, at_key = _message(error, doc)
    return (doc.key_where(where) if at_key else doc.where(where)), message


def _unknown_fields(error: ValidationError, doc: Document) -> list[tuple[Position, str]]:
    """One message per field the schema does not know, at the field's key."""
    path = tuple(error.absolute_path)
    known = error.schema.get("properties", {})
    allowed = sorted(known)
    out = []
    for key in error.instance:
        if key in known or (*path, key) in doc.refused:
            continue
        # A suggestion for the first few only: past the per-file cap nobody reads them, and
        # each costs a fuzzy match against every allowed name.
        close = (
            difflib.get_close_matches(str(key), allowed, n=1) if len(out) < SUGGESTIONS else []
        )
        fix = f"did you mean `{close[0]}`?" if close else "check the spelling or remove it"
        where = f" in {field_name(path)}" if path else ""
        shown = printable(str(key))
        message = f"unknown field `{shown}`{where}; {fix} (allowed: {', '.join(allowed)})"
        out.append((doc.key_where((*path, key)), message))
    return out


def _example(schema: dict[str, Any], field: str) -> str:
    examples = (schema.get("properties", {}).get(field) or {}).get("examples") or []
    short = examples and isinstance(examples[0], str) and len(examples[0]) <= 40
    return examples[0] if short else "…"


def _message(error: ValidationError, doc: Document) -> tuple[str, tuple[Any, ...], bool]:
    """(message, path to point at, point at the key rather than the value)."""
    path = tuple(error.absolute_path)
    name = field_name(path)
    value = error.instance
    rule = error.validator
    raw = doc.raw.get(path)
    if rule == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "a field"
        where = f" in {name}" if path else ""
        hint = _example(error.schema, missing)
        return (
            f"missing required field `{missing}`{where}; add a line `{missing}: {hint}`",
            path,
            False,
        )
    if rule == "type":
        return _type_message(error.validator_value, name, path, value, raw), path, False
    if rule == "enum":
        choices = [str(c) for c in error.validator_value]
        got = raw if raw is not None else value
        close = difflib.get_close_matches(str(got).lower(), choices, n=1)
        tail = f" (did you mean {close[0]!r}?)" if close else ""
        if isinstance(got, (list, dict)):
            got = "a list" if isinstance(got, list) else "a set of fields"
        return f"{name} must be one of: {', '.join(choices)}; got {got!r}{tail}", path, False
    if rule == "minLength":
        return (
            f"{name} is too short ({len(value)} characters; at least {error.validator_value})",
            path,
            False,
        )
    if rule == "maxLength":
        return (
            f"{name} is too long ({len(value)} characters; at most "
            f"{error.validator_value}); shorten it",
            path,
            False,
        )
    if rule == "minItems":
        return f"{name} needs at least {error.validator_value} item(s)", path, False
    if rule == "uniqueItems":
        return f"{name} lists the same item twice; remove the repeat", path, False
    if rule == "pattern":
        help_text = error.schema.get("description", "").rstrip(".")
        example = (error.schema.get("examples") or [None])[0]
        tail = f" (e.g. {example!r})" if example else ""
        return (
            f"{name} is not in the expected form: {help_text}{tail}; got {_short(value)!r}",
            path,
            False,
        )
    if rule == "oneOf" and path and path[0] == "schedule":
        return (
            '`schedule` must be text ("Mondays, 8 pm Eastern") or a map with `text` and '
            "optional `rrule`, `time`, `timezone`, `duration_minutes`, `start`; "
            f"{what_yaml_made(value, raw)}",
            path,
            False,
        )
    if rule in ("minimum", "maximum"):
        bound = "at least" if rule == "minimum" else "at most"
        return f"{name} must be {bound} {error.validator_value}; got {value!r}", path, False
    return f"{name}: {error.message}", path, False


def _type_message(expected: Any, name: str, path: tuple[Any, ...], value: Any, raw: Any) -> str:
    made = what_yaml_made(value, raw)
    if value is None:
        return f"{name} is empty; fill it in or delete the line"
    if expected in ("string", ["string"]):
        if raw is not None and not isinstance(value, (list, dict)):
            line = (
                f"- {_quoted(raw)}" if isinstance(path[-1], int) else f"{path[-1]}: {_quoted(raw)}"
            )
            return f"{name} must be text, but {made}; put it in quotes: {line}"
        return f"{name} must be text, but {made}"
    if expected == "array":
        return f"{name} must be a list (one `- item` per line); {made}"
    if expected == "object":
        return f"{name} must be a set of `field: value` lines; {made}"
    if expected == "integer":
        return f"{name} must be a whole number; {made}"
    return f"{name} must be of type {expected}; {made}"


def field_problems(field: str, value: Any, name: str = RESOURCE) -> list[str]:
    """What the schema says about one field's value alone (for prompts that re-ask)."""
    schema = load_schema(name)
    sub = schema["properties"][field]
    wrapper = {"type": "object", "properties": {field: sub}}
    doc = Document(data={field: value})
    messages = []
    for error in Draft202012Validator(wrapper).iter_errors(doc.data):
        if error.validator == "pattern" and _is_url_field(tuple(error.absolute_path)):
            continue
        messages.append(_message(error, doc)[0])
    return messages
