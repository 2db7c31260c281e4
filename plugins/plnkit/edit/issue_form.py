"""The "Suggest a resource" issue form: its fields, and a submission turned into resource data.

The form itself (`.github/ISSUE_TEMPLATE/suggest-resource.yml`) is the one source of its field
ids and labels. GitHub writes a submitted form into the issue body as Markdown, one section
per field: `### Label`, a blank line, then the answer (`_No response_` when left empty, and
`- [X] option` lines for checkboxes). `parse_body` reads that back by the form's labels, in the
form's order, so text a submitter types cannot invent or reorder fields.

Everything in a submission is untrusted text: it only ever becomes YAML through the emitter
(`plnkit.edit.resource_file`) and is validated like any other kit file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plnkit.edit.schedule_parts import FIELDS as SCHEDULE_FIELDS
from plnkit.edit.schedule_parts import schedule_from_parts
from plnkit.kit.rules import slugify

FORM_PATH = Path(".github/ISSUE_TEMPLATE/suggest-resource.yml")
NO_RESPONSE = "_No response_"
TEXT_FIELDS = ("name", "url", "description", "feed", "hashtag", "schedule", "notes")
CHOICE_FIELDS = ("kind", "tab", "cost")
_CHECKED = re.compile(r"^\s*[-*]\s*\[[xX]\]\s*(.+?)\s*$")
_UNCHECKED = re.compile(r"^\s*[-*]\s*\[\s\]\s*")


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    type: str  # input, textarea, dropdown, checkboxes
    options: tuple[str, ...] = ()


def load_form(path: Path) -> tuple[FormField, ...]:
    """The fields of an issue form, in order (Markdown blocks, which have no id, skipped)."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = []
    for item in spec.get("body", []):
        if "id" not in item:
            continue
        attributes = item.get("attributes", {})
        options = attributes.get("options", ())
        labels = tuple(o["label"] if isinstance(o, dict) else str(o) for o in options)
        fields.append(FormField(item["id"], attributes["label"], item["type"], labels))
    return tuple(fields)


def find_form(*roots: Path) -> Path | None:
    """The form file under the first of `roots` that has one."""
    for root in roots:
        candidate = root / FORM_PATH
        if candidate.is_file():
            return candidate
    return None


def parse_body(body: str, fields: tuple[FormField, ...]) -> dict[str, Any]:
    """The answers in an issue body, keyed by field id; checkboxes as lists of options.

    >>> form = (FormField("name", "Name", "input"), FormField("feed", "Feed", "input"))
    >>> parse_body("### Name\\n\\nTL Ning\\n\\n### Feed\\n\\n_No response_\\n", form)
    {'name': 'TL Ning', 'feed': ''}
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: dict[str, tuple[int, int]] = {}  # id -> (first line of the answer, end)
    cursor = 0
    starts: list[tuple[str, int]] = []
    for form_field in fields:
        heading = f"### {form_field.label}".rstrip()
        for index in range(cursor, len(lines)):
            if lines[index].rstrip() == heading:
                starts.append((form_field.id, index))
                cursor = index + 1
                break
    for position, (field_id, index) in enumerate(starts):
        end = starts[position + 1][1] if position + 1 < len(starts) else len(lines)
        found[field_id] = (index + 1, end)
    kinds = {f.id: f.type for f in fields}
    answers: dict[str, Any] = {}
    for field_id, (start, end) in found.items():
        text = "\n".join(lines[start:end]).strip()
        if kinds[field_id] == "checkboxes":
            answers[field_id] = [
                m.group(1) for line in text.split("\n") if (m := _CHECKED.match(line))
            ]
        else:
            answers[field_id] = "" if text == NO_RESPONSE else text
    return answers


def option_value(text: str) -> str:
    """The value behind a dropdown or checkbox option as the form shows it.

    >>> option_value("Communities (communities)"), option_value("connection — join in")
    ('communities', 'connection')
    >>> option_value("Free")
    'free'
    """
    text = text.strip()
    inner = re.search(r"\(([^()]*)\)\s*$", text)
    if inner:
        text = inner.group(1)
    elif " — " in text:
        text = text.split(" — ", 1)[0]
    return text.strip().lower()


def _bracketed(text: str) -> str:
    """The value in a dropdown option's brackets, case kept (time zones), else the text.

    >>> _bracketed("Eastern (America/New_York)"), _bracketed("8 pm")
    ('America/New_York', '8 pm')
    """
    inner = re.search(r"\(([^()]*)\)\s*$", text)
    return (inner.group(1) if inner else text).strip()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    text = str(value).strip()
    return "" if text == NO_RESPONSE else text


def _choices(value: Any) -> list[str]:
    if isinstance(value, list):
        items = [_text(v) for v in value]
    else:
        items = [_UNCHECKED.sub("", part) for part in re.split(r"[,\n]", _text(value))]
        items = [m.group(1) if (m := _CHECKED.match(i)) else i for i in items]
    return [option_value(i) for i in items if i.strip() and not _UNCHECKED.match(i)]


def to_resource(answers: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """(tab, resource data) from the answers; empty answers are left out.

    Values are tidied the way a curator would (tags in kebab-case, a `#` before a hashtag,
    one-line name and description) but never checked here: the loader does that.
    """
    data: dict[str, Any] = {}
    for field_id in TEXT_FIELDS:
        text = _text(answers.get(field_id))
        if text and field_id in ("name", "description", "url", "feed", "hashtag"):
            text = " ".join(text.split())
        if text:
            data[field_id] = text
    for field_id in CHOICE_FIELDS:
        text = _text(answers.get(field_id))
        if text:
            data[field_id] = option_value(text)
    tab = data.pop("tab", "")
    stages = _choices(answers.get("stages"))
    if stages:
        data["stages"] = stages
    tags = [slugify(t) for t in _choices(answers.get("tags"))]
    tags = list(dict.fromkeys(t for t in tags if t))
    if tags:
        data["tags"] = tags
    hashtag = data.get("hashtag")
    if hashtag and not hashtag.startswith("#"):
        data["hashtag"] = f"#{hashtag}"
    given = answers.get("sources")
    addresses = given if isinstance(given, list) else _text(given).split()  # one per line
    sources = list(dict.fromkeys(t for a in addresses if (t := _text(a))))
    if sources:
        data["sources"] = sources
    parts = {
        key: _text(answers.get(key))
        if key == "schedule_time"
        else _bracketed(_text(answers.get(key)))
        for key in SCHEDULE_FIELDS
    }
    schedule = schedule_from_parts(parts, data.get("schedule", ""))
    if schedule.schedule is not None:
        data["schedule"] = schedule.schedule  # the words, with a rule a calendar can hold
    if schedule.notes:
        data["notes"] = " ".join([*schedule.notes, data.get("notes", "")]).strip()
    return tab, data


def opened_in_browser(answers: Mapping[str, Any]) -> bool:
    """Whether the suggester ticked "I opened this link in a browser"."""
    return bool(_choices(answers.get("verified")))


def credit(login: str | None, issue: int | None) -> str:
    """The `notes` line crediting whoever suggested the resource."""
    who = f"@{login}" if login else "a reader"
    return f"Suggested by {who}" + (f" in issue #{issue}." if issue else ".")
