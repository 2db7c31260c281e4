"""scripts/link-report.sh (the weekly link-report workflow) against a stand-in for `gh`.

One "Link health report" issue: created when something is failing or dead, updated (and
reopened) after that, closed when all is well, left alone on offline or outage runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import write_kit
from tests.script_support import (
    copy_project,
    gh_state,
    has_plnkit_command,
    run_script,
    script_env,
    set_gh_state,
)

TITLE = "Link health report"


def result(slug: str, health: str, state: str = "ok") -> dict[str, Any]:
    return {
        "slug": slug,
        "url": f"https://{slug}.example.org/",
        "kind": "url",
        "state": state,
        "http_status": 404 if state == "broken" else 200,
        "final_url": None,
        "error": None,
        "health": health,
        "failures_in_a_row": 0 if health == "healthy" else 3,
        "first_failed_at": None,
        "checked_at": "2026-11-30T06:41:00Z",
        "embeddable": True,
    }


def write_report(
    folder: Path, results: list[dict[str, Any]], markdown: str = "", **extra: Any
) -> tuple[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    report = {"generated_at": "2026-11-30T06:41:00Z", "offline": False, "summary": {}}
    report |= extra | {"results": results}
    (folder / "links.json").write_text(json.dumps(report), encoding="utf-8")
    (folder / "links.md").write_text(markdown, encoding="utf-8")
    return str(folder / "links.json"), str(folder / "links.md")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def post(project: Path, env: dict[str, str], *report: str) -> str:
    done = run_script("link-report.sh", "--from-report", *report, cwd=project, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stderr


def issue(number: int, state: str, title: str = TITLE) -> dict[str, Any]:
    return {"number": number, "title": title, "state": state, "body": "old", "comments": []}


def test_a_dead_link_opens_the_issue_with_the_report(project: Path, tmp_path: Path) -> None:
    env = script_env(tmp_path)
    set_gh_state(env)
    markdown = "## Dead\n\n- `kit/blogs/gone.yml`: https://gone.example.org/ (404)\n"
    report = write_report(
        tmp_path / "r", [result("gone", "dead", "broken"), result("fine", "healthy")], markdown
    )
    log = post(project, env, *report)
    state = gh_state(env)
    assert [i["title"] for i in state["issues"]] == [TITLE]
    body = state["issues"][0]["body"]
    assert "1 dead, 0 failing" in body and "2026-11-30" in body
    assert markdown in body
    assert "opened the link health issue" in log


def test_the_open_issue_is_updated_not_duplicated(project: Path, tmp_path: Path) -> None:
    env = script_env(tmp_path)
    set_gh_state(env, issues=[issue(7, "OPEN"), issue(3, "CLOSED")])
    report = write_report(tmp_path / "r", [result("slow", "failing", "transient")], "slow\n")
    post(project, env, *report)
    state = gh_state(env)
    assert len(state["issues"]) == 2
    assert state["issues"][0]["body"].endswith("slow\n")
    assert "0 dead, 1 failing" in state["issues"][0]["body"]
    assert state["issues"][1]["body"] == "old"
    assert ["issue", "create"] not in [c[:2] for c in state["calls"]]


def test_a_closed_issue_is_reopened_and_updated(project: Path, tmp_path: Path) -> None:
    env = script_env(tmp_path)
    set_gh_state(env, issues=[issue(4, "CLOSED"), issue(9, "CLOSED", "Link health report (2025)")])
    post(project, env, *write_report(tmp_path / "r", [result("gone", "dead")], "gone\n"))
    reopened, other = gh_state(env)["issues"]
    assert reopened["state"] == "OPEN" and reopened["body"].endswith("gone\n")
    assert reopened["comments"] == ["Some links are failing again (2026-11-30)."]
    assert other["state"] == "CLOSED" and other["body"] == "old"


def test_all_well_closes_the_open_issue(project: Path, tmp_path: Path) -> None:
    env = script_env(tmp_path)
    set_gh_state(env, issues=[issue(5, "OPEN")])
    log = post(project, env, *write_report(tmp_path / "r", [result("fine", "healthy")]))
    closed = gh_state(env)["issues"][0]
    assert closed["state"] == "CLOSED"
    assert closed["comments"][0].startswith("All links are healthy as of 2026-11-30")
    assert "closed issue #5" in log


def test_all_well_and_no_issue_opens_nothing(project: Path, tmp_path: Path) -> None:
    env = script_env(tmp_path)
    set_gh_state(env, issues=[issue(5, "CLOSED")])
    post(project, env, *write_report(tmp_path / "r", [result("fine", "healthy")]))
    state = gh_state(env)
    assert [c[:2] for c in state["calls"]] == [["issue", "list"]]
    assert state["issues"][0]["state"] == "CLOSED"


@pytest.mark.parametrize("flag", [{"offline": True}, {"outage": True}])
def test_offline_or_outage_runs_leave_the_issue_alone(
    project: Path, tmp_path: Path, flag: dict[str, bool]
) -> None:
    env = script_env(tmp_path)
    set_gh_state(env, issues=[issue(5, "OPEN")])
    report = write_report(tmp_path / "r", [result("x", "healthy", "skipped")], **flag)
    log = post(project, env, *report)
    assert gh_state(env)["calls"] == []
    assert "no change to the link health issue" in log


def test_a_huge_report_is_cut_to_fit_an_issue(project: Path, tmp_path: Path) -> None:
    env = script_env(tmp_path)
    set_gh_state(env)
    post(project, env, *write_report(tmp_path / "r", [result("x", "dead")], "x" * 100_000))
    body = gh_state(env)["issues"][0]["body"]
    assert len(body) < 65_536
    assert "The report is cut here" in body


def test_an_unreadable_report_fails_without_touching_issues(project: Path, tmp_path: Path) -> None:
    env = script_env(tmp_path)
    set_gh_state(env)
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "links.json").write_text("{not json", encoding="utf-8")
    done = run_script(
        "link-report.sh",
        "--from-report",
        str(folder / "links.json"),
        str(folder / "links.md"),
        cwd=project,
        env=env,
    )
    assert done.returncode == 1
    assert "is not readable" in done.stderr
    assert gh_state(env)["calls"] == []


def test_a_real_check_against_a_local_server(tmp_path: Path, httpserver: HTTPServer) -> None:
    """With `plnkit check-links` present, the script runs it; without it, it says it skipped."""
    httpserver.expect_request("/ok").respond_with_data("fine")
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    project = tmp_path / "project"
    write_kit(
        project,
        {
            "communities/ok-place.yml": f"""\
                name: OK Place
                url: {httpserver.url_for("/ok")}
                kind: community
                description: A community that answers every request it gets.
                stages: [connection]
                """,
            "blogs/gone-blog.yml": f"""\
                name: Gone Blog
                url: {httpserver.url_for("/gone")}
                kind: blog
                description: A blog whose address now answers 404 Not Found.
                stages: [consumption]
                """,
        },
    )
    copy_project(tmp_path / "scripts-only")
    (project / "scripts").symlink_to(tmp_path / "scripts-only" / "scripts")
    env = script_env(tmp_path, PLNKIT_ALLOW_LOCAL="1")
    env.pop("PLNKIT_OFFLINE")
    set_gh_state(env)
    done = run_script("link-report.sh", cwd=project, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    state = gh_state(env)
    if has_plnkit_command("check-links"):
        assert [i["title"] for i in state["issues"]] == [TITLE]
        assert "gone-blog" in state["issues"][0]["body"]
    else:
        assert "skipped the link report: this version of plnkit has no check-links" in done.stderr
        assert state["calls"] == []
