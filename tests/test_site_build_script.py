"""scripts/site-build.sh, the build step of the deploy, pull-request and suggestion workflows,
run here exactly as CI runs it, on a copy of this repository's own kit."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from pytest_httpserver import HTTPServer

from plnkit.kit.loader import resource_files
from tests.script_support import (
    ROOT,
    copy_project,
    git,
    has_plnkit_command,
    local_resource,
    make_fork,
    run_script,
    script_env,
)

TABS = ("start-here", "communities", "webinars", "blogs", "social", "platforms", "research")


@pytest.fixture(scope="module")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The default kit built offline by the script, once for the tests that only read it."""
    tmp = tmp_path_factory.mktemp("default-site")
    project = copy_project(tmp / "project")
    done = run_script("site-build.sh", "offline", cwd=project, env=script_env(tmp))
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site", done.stdout + done.stderr


def test_offline_build_of_the_default_kit_is_complete(default_site: tuple[Path, str]) -> None:
    site, log = default_site
    assert "resources OK" in log  # plnkit validate ran first
    assert "built site (offline)" in log
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>PLN Starter Kit for School Librarians</title>" in home
    assert 'class="plnkit-intro"' in home and "read and listen first" in home
    for tab in TABS:
        page = site / tab / "index.html"
        assert page.is_file(), tab
        assert 'class="plnkit-card"' in page.read_text(encoding="utf-8"), tab


def test_deploy_mode_runs_every_step_or_says_which_it_skipped(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    done = run_script("site-build.sh", "deploy", cwd=project, env=script_env(tmp_path))
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    steps = [line for line in log.splitlines() if line.startswith(("==> ", "note: "))]
    assert steps[0] == "==> Validate the kit (as mkdocs.yml builds it)"
    assert steps[-1] == "==> Build the site into site"
    for command, skipped in (
        ("check-links", "skipped the link check"),
        ("fetch-feeds", "skipped fetching feeds"),
    ):
        if has_plnkit_command(command):
            assert skipped not in log
        else:
            assert f"note: {skipped}: this version of plnkit has no {command} command" in log
    if has_plnkit_command("check-links"):
        assert (project / "build" / "reports" / "links.json").is_file()
    assert (project / "site" / "index.html").is_file()


def test_pull_request_mode_checks_changed_resources_and_builds_offline(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    git("init", "--quiet", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "--quiet", "-m", "kit", cwd=project)
    resource = project / "kit" / "communities" / "classroom-20.yml"
    resource.write_text(
        resource.read_text(encoding="utf-8").replace("cost: free", "cost: freemium"),
        encoding="utf-8",
    )
    git("commit", "--quiet", "-am", "change one resource", cwd=project)
    env = script_env(tmp_path)

    missing = run_script("site-build.sh", "pull-request", cwd=project, env=env)
    assert missing.returncode == 1
    assert "pull-request mode needs --changed-since REV" in missing.stderr

    done = run_script(
        "site-build.sh", "pull-request", "--changed-since", "HEAD~1", cwd=project, env=env
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    if has_plnkit_command("check-links"):
        assert "==> Check links of resources changed since HEAD~1" in log
    else:
        assert "skipped the link check" in log
    assert "fetch feeds" not in log.lower()
    assert (project / "site" / "communities" / "index.html").is_file()


def test_an_invalid_kit_stops_before_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "kit" / "communities" / "broken.yml").write_text(
        "name: Broken\nurl: javascript:alert(1)\n", encoding="utf-8"
    )
    done = run_script("site-build.sh", "offline", cwd=project, env=script_env(tmp_path))
    assert done.returncode == 1
    assert "kit/communities/broken.yml:2:6: error: `url` must start with https://" in done.stdout
    assert not (project / "site").exists()


def test_in_actions_problems_become_annotations_and_groups(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "kit" / "communities" / "broken.yml").write_text("name: Broken\n", encoding="utf-8")
    env = script_env(tmp_path, GITHUB_ACTIONS="true")
    done = run_script("site-build.sh", "offline", cwd=project, env=env)
    assert done.returncode == 1
    assert re.search(r"^::error file=kit/communities/broken.yml,line=\d+", done.stdout, re.M)
    assert "::group::Validate the kit (as mkdocs.yml builds it)" in done.stdout


def test_the_build_is_strict_a_warning_fails_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    binder = project / "kit" / "binder.yml"
    binder.write_text(
        binder.read_text(encoding="utf-8").replace("primary: indigo", "primary: tael"),
        encoding="utf-8",
    )
    done = run_script("site-build.sh", "offline", cwd=project, env=script_env(tmp_path))
    assert done.returncode != 0
    assert "`colors.primary` is 'tael', which is not a Material for MkDocs colour" in done.stderr
    assert "Aborted with 1 warnings in strict mode" in done.stdout + done.stderr


def test_unknown_mode_prints_usage(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    done = run_script("site-build.sh", "publish", cwd=project, env=script_env(tmp_path))
    assert done.returncode == 2
    assert "scripts/site-build.sh offline" in done.stderr


@pytest.mark.parametrize(
    ("workflow", "job", "uploaded"),
    [("deploy.yml", "build", "site"), ("pull-request.yml", "check", "site")],
)
def test_the_workflow_run_lines_work_here(
    tmp_path: Path, workflow: str, job: str, uploaded: str
) -> None:
    """Each `run:` of the job, read from the workflow file and run verbatim, in CI's order."""
    project = copy_project(tmp_path / "project")
    git("init", "--quiet", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "--quiet", "-m", "kit", cwd=project)
    git("update-ref", "refs/remotes/origin/main", "HEAD", cwd=project)  # the PR's base
    data = yaml.safe_load((ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))
    steps = data["jobs"][job]["steps"]
    runs = [s for s in steps if "run" in s and not s["run"].startswith("python -m pip install")]
    assert runs
    for step in runs:
        # What GitHub would put in the step's env: from the event, here fixed values.
        event = {"BASE_REF": "main"}
        env = script_env(tmp_path, **{k: event[k] for k in step.get("env", {})})
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=project,
            env=env,
            text=True,
            capture_output=True,
            timeout=180,
        )
        assert done.returncode == 0, f"{step['name']}:\n{done.stdout}{done.stderr}"
    upload = next(s for s in steps if "upload" in s.get("uses", ""))
    assert upload["with"]["path"] == uploaded
    assert (project / uploaded / "index.html").is_file()


def test_messages_cannot_smuggle_workflow_commands(tmp_path: Path) -> None:
    """In Actions a message is one escaped line: a newline in it cannot start a command."""
    lib = ROOT / "scripts" / "lib.sh"
    env = script_env(tmp_path, GITHUB_ACTIONS="true")
    done = subprocess.run(
        ["bash", "-c", f'. "{lib}"; warn "$1"', "warn", "100% sure\n::add-mask::secret\r"],
        env=env,
        text=True,
        capture_output=True,
        timeout=30,
    )
    assert done.stdout == "::warning::100%25 sure%0A::add-mask::secret%0D\n"


def test_pull_request_checks_cover_a_forks_own_folder(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    make_fork(project, exclude=("google-reader",))
    git("init", "--quiet", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "--quiet", "-m", "the fork", cwd=project)
    own = local_resource(
        project, "communities", "buckeye-listserv", "Buckeye Librarians Listserv",
        "https://lists.buckeye.example.org/", "community",
    )  # fmt: skip
    git("add", "-A", cwd=project)
    git("commit", "--quiet", "-m", "our listserv", cwd=project)
    env = script_env(tmp_path, GITHUB_ACTIONS="true")

    done = run_script(
        "site-build.sh", "pull-request", "--changed-since", "HEAD~1", cwd=project, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    shared = len(resource_files(ROOT / "kit"))
    assert f"kit + kit-local: {shared} resources OK" in done.stdout  # one hidden, one ours
    report = json.loads((project / "build" / "reports" / "links.json").read_text("utf-8"))
    assert [r["slug"] for r in report["results"]] == ["buckeye-listserv"]
    assert 'id="buckeye-listserv"' in (project / "site" / "communities" / "index.html").read_text(
        encoding="utf-8"
    )

    (own.parent / "broken.yml").write_text("name: Broken\nurl: ftp://x.example.org/\n", "utf-8")
    done = run_script(
        "site-build.sh", "pull-request", "--changed-since", "HEAD", cwd=project, env=env
    )
    assert done.returncode == 1
    assert "::error file=kit-local/communities/broken.yml,line=2,col=6::`url` must start" in (
        done.stdout
    )


@pytest.mark.parametrize(("answer", "expected_rc"), [(404, 1), (200, 0), (503, 0)])
def test_a_pull_request_adding_a_broken_address_fails_on_its_url_line(
    tmp_path: Path, httpserver: HTTPServer, answer: int, expected_rc: int
) -> None:
    """A new address has no history: 404 fails the PR at once, annotated on its `url:` line;
    an answer that may recover (503) only warns."""
    httpserver.expect_request("/new-community").respond_with_data("x", status=answer)
    project = copy_project(tmp_path / "project")
    git("init", "--quiet", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "--quiet", "-m", "kit", cwd=project)
    url = httpserver.url_for("/new-community")
    path = project / "kit" / "communities" / "new-community.yml"
    path.write_text(
        "# yaml-language-server: $schema=../schema/resource.schema.json\n"
        f"name: New Community\nurl: {url}\nkind: community\n"
        "description: A community a contributor suggests in this pull request.\n"
        "stages: [connection]\n",
        encoding="utf-8",
    )
    git("add", "-A", cwd=project)
    git("commit", "--quiet", "-m", "add a resource", cwd=project)
    env = script_env(tmp_path, PLNKIT_OFFLINE="", PLNKIT_ALLOW_LOCAL="1", GITHUB_ACTIONS="true")
    done = run_script(
        "site-build.sh", "pull-request", "--changed-since", "HEAD~1", cwd=project, env=env
    )
    log = done.stdout + done.stderr
    assert done.returncode == expected_rc, log
    where = "file=kit/communities/new-community.yml,line=3,col=1::the new `url`"
    if answer == 404:
        assert f"::error {where}" in log and "is broken (HTTP 404" in log
    elif answer == 503:
        assert f"::warning {where}" in log and "could not be reached this time" in log
    else:
        assert where not in log
    asked = [r.path for r, _ in httpserver.log]
    assert "/new-community" in asked
