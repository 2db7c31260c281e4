"""`plnkit from-issue`: an issue-form submission becomes a validated resource file, or messages."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plnkit.edit.issue_form import load_form, parse_body, to_resource
from plnkit.kit.loader import load_kit
from tests.conftest import ROOT, write_kit

FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-resource.yml"


def issue_body(**answers: str) -> str:
    """The Markdown GitHub writes for a submitted form (labels from the real form)."""
    sections = []
    for field in load_form(FORM):
        value = answers.get(field.id, "")
        if field.type == "checkboxes":
            chosen = value.split(",") if value else []
            value = "\n".join(
                f"- [{'X' if option.split(' ')[0] in chosen else ' '}] {option}"
                for option in field.options
            )
        sections.append(f"### {field.label}\n\n{value or '_No response_'}")
    return "\n\n".join(sections) + "\n"


GOOD = {
    "name": "Cafe Librarians",
    "url": "https://cafe.example.org/",
    "kind": "community",
    "tab": "Communities (communities)",
    "description": "A friendly place where school librarians\nmeet every week to trade ideas.",
    "stages": "consumption,connection",
    "tags": "School Libraries, ning",
    "cost": "free",
    "sources": "https://cafe.example.org/about\n\nhttps://news.example.org/cafe-opens\n",
    "notes": "Found it through a colleague.",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_kit(tmp_path)
    (tmp_path / ".github" / "ISSUE_TEMPLATE").mkdir(parents=True)
    shutil.copy(FORM, tmp_path / ".github" / "ISSUE_TEMPLATE" / FORM.name)
    return tmp_path


def event(path: Path, body: str, login: str = "jane-doe", number: int = 42) -> Path:
    payload = {"action": "labeled", "label": {"name": "approved"},
               "issue": {"number": number, "body": body, "user": {"login": login}}}  # fmt: skip
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def from_issue(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plnkit", "from-issue", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=60,
    )


def test_event_payload_becomes_a_valid_file_crediting_the_submitter(project: Path) -> None:
    payload = event(project / "event.json", issue_body(**GOOD))
    done = from_issue(str(payload), "--submitter", "jane-doe", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "kit/communities/cafe-librarians.yml"
    resource = load_kit(project / "kit").kit.get("cafe-librarians")
    assert resource.url == "https://cafe.example.org/"
    assert resource.description.startswith("A friendly place where school librarians meet")
    assert resource.stages == ("consumption", "connection")
    assert resource.tags == ("school-libraries", "ning")
    assert resource.cost == "free"
    assert resource.sources == (
        "https://cafe.example.org/about",
        "https://news.example.org/cafe-opens",
    )
    assert resource.notes == "Suggested by @jane-doe in issue #42. Found it through a colleague."


def test_json_keyed_by_field_ids(project: Path) -> None:
    answers = {**GOOD, "tab": "blogs", "kind": "podcast", "stages": ["creation"],
               "feed": "_No response_", "hashtag": "tlchat",
               "sources": ["https://cafe.example.org/episodes"]}  # fmt: skip
    (project / "form.json").write_text(json.dumps(answers), encoding="utf-8")
    done = from_issue("form.json", "--submitter", "sam", "--issue", "7", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    resource = load_kit(project / "kit").kit.get("cafe-librarians")
    assert (resource.tab, resource.kind, resource.stages) == ("blogs", "podcast", ("creation",))
    assert resource.sources == ("https://cafe.example.org/episodes",)
    assert resource.hashtag == "#tlchat"
    assert resource.feed is None
    assert resource.notes.startswith("Suggested by @sam in issue #7.")


def test_a_ticked_browser_check_becomes_the_verified_field(project: Path) -> None:
    answers = {**GOOD, "verified": ["I opened this link in a browser today and it is the "
                                    "resource described above"]}  # fmt: skip
    (project / "form.json").write_text(json.dumps(answers), encoding="utf-8")
    done = from_issue("form.json", "--submitter", "sam", "--issue", "7", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    verified = load_kit(project / "kit").kit.get("cafe-librarians").verified
    assert (verified.by, verified.on) == ("@sam", dt.date.today().isoformat())
    (project / "kit" / "communities" / "cafe-librarians.yml").unlink()
    (project / "form.json").write_text(json.dumps({**GOOD, "verified": []}), encoding="utf-8")
    assert from_issue("form.json", "--submitter", "sam", cwd=project).returncode == 0
    assert load_kit(project / "kit").kit.get("cafe-librarians").verified is None


def test_invalid_submission_prints_messages_and_writes_nothing(project: Path) -> None:
    bad = {**GOOD, "url": "javascript:alert(1)", "kind": "comunity", "description": "short"}
    payload = event(project / "event.json", issue_body(**bad))
    done = from_issue(str(payload), cwd=project)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    path = "kit/communities/cafe-librarians.yml"
    assert f"{path}:3:6: error: `url` must start with https:// or http://; got " in done.stdout
    assert any(line.startswith(f"{path}:4:7: error: `kind` must be one of:") for line in lines)
    assert f"{path}:5:14: error: `description` is too short" in done.stdout
    assert not (project / path).exists()


def test_missing_tab_and_unknown_tab(project: Path) -> None:
    (project / "a.json").write_text(json.dumps({**GOOD, "tab": ""}), encoding="utf-8")
    done = from_issue("a.json", cwd=project)
    assert done.returncode == 1
    assert done.stdout.startswith("a.json:1:1: error: the submission has no binder tab")
    (project / "b.json").write_text(json.dumps({**GOOD, "tab": "../../etc"}), encoding="utf-8")
    done = from_issue("b.json", cwd=project)
    assert done.returncode == 1
    assert "'../../etc' is not a tab of the binder" in done.stdout
    assert sorted(p.name for p in project.iterdir()) == [".github", "a.json", "b.json", "kit"]


def test_the_same_suggestion_twice_is_refused(project: Path) -> None:
    payload = event(project / "event.json", issue_body(**GOOD))
    assert from_issue(str(payload), cwd=project).returncode == 0
    again = from_issue(str(payload), cwd=project)
    assert again.returncode == 1
    assert "already exists" in again.stdout


def test_hostile_text_stays_text(project: Path) -> None:
    hostile = {
        **GOOD,
        "name": 'NO: "x"\nurl: javascript:alert(1)',
        "notes": "### Name\n\nInjected\n!!python/object/apply:os.system [id]\n&a *a",
    }
    payload = event(project / "event.json", issue_body(**hostile))
    done = from_issue(str(payload), cwd=project)
    assert done.returncode == 0, done.stdout
    written = project / done.stdout.splitlines()[-1]
    resource = load_kit(project / "kit").kit.get(written.stem)
    assert resource.name == 'NO: "x" url: javascript:alert(1)'
    assert resource.url == "https://cafe.example.org/"
    assert "!!python/object/apply:os.system [id]" in resource.notes


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["missing.json"], None, "cannot read missing.json"),
        (["bad.json"], "{not json", "bad.json is not JSON"),
        (["bad.json"], "[1, 2]", "must hold a JSON object"),
        (["bad.json", "--submitter", "x; rm -rf /"], "{}", "--submitter must be a GitHub login"),
        (["bad.json", "--kit", "nowhere"], "{}", "no kit folder at nowhere"),
        (["bad.json", "--form", "nope.yml"], '{"issue": {"body": ""}}', "no issue form found"),
        ([], None, "the following arguments are required: file"),
    ],
)
def test_usage_errors_exit_2(project: Path, args: list[str], content: str, message: str) -> None:
    if content is not None:
        (project / "bad.json").write_text(content, encoding="utf-8")
    done = from_issue(*args, cwd=project)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_body_parsing_follows_the_form_order() -> None:
    fields = load_form(FORM)
    description = "Two lines of text\n### Not a field\nstill the description."
    notes = "### Name\n\nInjected name"  # a heading typed into the last field
    body = issue_body(**{**GOOD, "description": description, "notes": notes})
    answers = parse_body(body.replace("\n", "\r\n"), fields)
    assert answers["name"] == "Cafe Librarians"
    assert answers["description"] == description
    assert answers["notes"] == notes
    assert answers["stages"] == [
        "consumption — reading, listening and following",
        "connection — joining conversations and asking questions",
    ]
    assert answers["feed"] == ""
    tab, data = to_resource(answers)
    assert tab == "communities"
    assert data["description"] == "Two lines of text ### Not a field still the description."
    assert "feed" not in data


def test_schedule_parts_become_a_repeat_rule_the_calendar_holds(project: Path) -> None:
    answers = {**GOOD, "kind": "chat", "schedule": "First Monday of the month, 8 pm Eastern",
               "schedule_frequency": "First week of the month (1)",
               "schedule_weekday": "Monday (MO)", "schedule_time": "8 pm",
               "schedule_timezone": "Eastern (America/New_York)"}  # fmt: skip
    payload = event(project / "event.json", issue_body(**answers))
    done = from_issue(str(payload), cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    kit = load_kit(project / "kit").kit
    schedule = kit.get("cafe-librarians").schedule
    assert schedule.text == "First Monday of the month, 8 pm Eastern"
    assert (schedule.rrule, schedule.time, schedule.timezone) == (
        "FREQ=MONTHLY;BYDAY=1MO",
        "20:00",
        "America/New_York",
    )
    from plnkit.exports.ics import calendar_slugs

    assert "cafe-librarians" in calendar_slugs(kit, dt.datetime(2026, 12, 1, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("parts", "rrule", "time", "note"),
    [
        ({"schedule_frequency": "Every other week (biweekly)",
          "schedule_weekday": "Wednesday (WE)"}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", None, None),
        ({"schedule_frequency": "Every week (weekly)", "schedule_weekday": "Friday (FR)",
          "schedule_time": "19:30"}, "FREQ=WEEKLY;BYDAY=FR", None, "without a time zone"),
        ({"schedule_weekday": "Friday (FR)"}, None, None, "incomplete"),
        ({"schedule_frequency": "Last week of the month (-1)", "schedule_weekday": "Sunday (SU)",
          "schedule_time": "soon", "schedule_timezone": "UTC (UTC)"},
         "FREQ=MONTHLY;BYDAY=-1SU", None, "not understood"),
    ],
)  # fmt: skip
def test_schedule_parts_table(
    parts: dict[str, str], rrule: str | None, time: str | None, note: str | None
) -> None:
    body = issue_body(**{**GOOD, **parts})
    _, data = to_resource(parse_body(body, load_form(FORM)))
    schedule = data.get("schedule")
    assert (schedule or {}).get("rrule") == rrule
    assert (schedule or {}).get("time") == time
    if note:
        assert note in data["notes"]
