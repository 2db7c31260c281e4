"""The schema is the single source of truth: the model, the editor help and the form agree."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from plnkit.edit.issue_form import load_form, option_value
from plnkit.kit import model
from plnkit.kit.model import Resource
from plnkit.kit.schema import load_schema
from tests.conftest import ROOT

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-resource.yml"
# Resource attributes that come from where the file is, not from its fields.
PLACEMENT = {"slug", "tab", "path", "lines"}


def _properties(schema: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict]]:
    for name, sub in schema.get("properties", {}).items():
        yield f"{path}{name}", sub
        for branch in sub.get("oneOf", ()):
            yield from _properties(branch, f"{path}{name}.")
        yield from _properties(sub, f"{path}{name}.")
        if isinstance(sub.get("items"), dict):
            yield from _properties(sub["items"], f"{path}{name}[].")


@pytest.mark.parametrize("name", ["resource", "binder"])
def test_schemas_are_valid_2020_12(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_model_fields_and_schema_properties_agree() -> None:
    fields = {f.name for f in dataclasses.fields(Resource)} - PLACEMENT
    assert fields == set(load_schema("resource")["properties"])


def test_required_fields_are_the_model_fields_without_defaults() -> None:
    no_default = {
        f.name
        for f in dataclasses.fields(Resource)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    assert no_default - PLACEMENT == set(load_schema("resource")["required"])


@pytest.mark.parametrize(
    ("field", "choices"),
    [
        ("kind", model.KINDS),
        ("cost", model.COSTS),
        ("status", model.STATUSES),
        ("stages", model.STAGES),
        ("audience", model.AUDIENCES),
        ("handles", model.HANDLE_NETWORKS),
    ],
)
def test_model_choices_match_schema_enums(field: str, choices: tuple[str, ...]) -> None:
    sub = load_schema("resource")["properties"][field]
    enum = sub.get("enum") or sub.get("items", {}).get("enum") or list(sub["properties"])
    assert tuple(enum) == choices


@pytest.mark.parametrize("name", ["resource", "binder"])
def test_every_field_has_title_description_and_example(name: str) -> None:
    for path, sub in _properties(load_schema(name)):
        assert sub.get("title"), f"{path} has no title"
        assert sub.get("description"), f"{path} has no description"
        assert sub.get("examples"), f"{path} has no examples"


def test_schema_examples_are_valid_values() -> None:
    schema = load_schema("resource")
    for field, sub in schema["properties"].items():
        for example in sub["examples"]:
            errors = list(Draft202012Validator(sub).iter_errors(example))
            assert not errors, f"{field}: example {example!r}: {errors[0].message}"


def test_kit_copy_of_the_schema_is_byte_identical() -> None:
    packaged = ROOT / "plugins" / "plnkit" / "schema" / "resource.schema.json"
    copy = ROOT / "kit" / "schema" / "resource.schema.json"
    assert copy.read_bytes() == packaged.read_bytes()
    json.loads(copy.read_text(encoding="utf-8"))


def test_issue_form_ids_are_schema_fields() -> None:
    fields = load_form(FORM)
    ids = [f.id for f in fields]
    assert ids == [
        "name", "url", "kind", "tab", "description", "stages",
        "tags", "feed", "cost", "hashtag", "schedule", "schedule_frequency",
        "schedule_weekday", "schedule_time", "schedule_timezone", "verified", "sources", "notes",
    ]  # fmt: skip
    # The schedule's parts become one `schedule` map (plnkit.edit.schedule_parts).
    parts = {i for i in ids if i.startswith("schedule_")}
    assert set(ids) - {"tab"} - parts <= set(load_schema("resource")["properties"])
    assert len({f.label for f in fields}) == len(fields), "labels must be unique"


@pytest.mark.parametrize(
    ("field_id", "choices"),
    [("kind", model.KINDS), ("cost", model.COSTS), ("stages", model.STAGES)],
)
def test_issue_form_options_are_schema_values(field_id: str, choices: tuple[str, ...]) -> None:
    field = next(f for f in load_form(FORM) if f.id == field_id)
    assert tuple(option_value(o) for o in field.options) == choices


def test_issue_form_tabs_are_the_binder_tabs() -> None:
    binder = yaml.safe_load((ROOT / "kit" / "binder.yml").read_text(encoding="utf-8"))
    field = next(f for f in load_form(FORM) if f.id == "tab")
    assert [option_value(o) for o in field.options] == [t["id"] for t in binder["tabs"]]
    assert [o.rsplit(" (", 1)[0] for o in field.options] == [t["title"] for t in binder["tabs"]]


def test_issue_config_points_at_the_contributing_guide() -> None:
    config = yaml.safe_load((FORM.parent / "config.yml").read_text(encoding="utf-8"))
    assert any("CONTRIBUTING.md" in link["url"] for link in config["contact_links"])
