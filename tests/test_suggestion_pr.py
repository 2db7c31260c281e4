"""scripts/open-suggestion-pr.sh (the suggest-resource workflow) with real git and a fake gh.

`plnkit from-issue` belongs to the contributing work (issue 3); its contract is: read the event
file, write and validate one resource file, print its path as the last line, exit 1 when the
submission is invalid. A small stand-in honours that contract here so these tests exercise this
script's part: validating and building, the branch, the credit, the pull request, the comments.
Every other plnkit command is the real one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.script_support import (
    VENV_BIN,
    copy_project,
    executable,
    gh_state,
    git,
    run_script,
    script_env,
    set_gh_state,
)

RESOURCE = """\
# yaml-language-server: $schema=../schema/resource.schema.json
name: Ohio Library Talk
url: https://talk.ohio-libraries.example.org/
kind: community
description: A forum where Ohio school librarians swap ideas about programs and budgets.
stages: [connection]
"""

STAND_IN = f"""#!/bin/sh
# Stand-in for `plnkit from-issue` (see the module docstring); all else is the real plnkit.
if [ "$1" = from-issue ]; then
  if [ "$2" = --help ]; then echo "usage: plnkit from-issue FILE --submitter LOGIN"; exit 0; fi
  if [ -n "$FROM_ISSUE_FAIL" ]; then
    echo "$FROM_ISSUE_FAIL"
    exit 1
  fi
  grep -q '"number": 12' "$2" || {{ echo "not the event file"; exit 1; }}
  [ "$3" = --submitter ] && [ "$4" = jlibrarian ] || {{ echo "no --submitter"; exit 1; }}
  cp "$FROM_ISSUE_RESOURCE" kit/communities/ohio-library-talk.yml
  echo "wrote kit/communities/ohio-library-talk.yml"
  echo kit/communities/ohio-library-talk.yml
  exit 0
fi
exec "{VENV_BIN / "plnkit"}" "$@"
"""


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A clone of a bare `origin` holding the project on main; the workflow's checkout."""
    origin = tmp_path / "origin.git"
    git("init", "--quiet", "--bare", str(origin), cwd=tmp_path)
    work = copy_project(tmp_path / "work")
    (work / ".gitignore").write_text("site/\nbuild/\n", encoding="utf-8")
    git("init", "--quiet", cwd=work)
    git("add", "-A", cwd=work)
    git("commit", "--quiet", "-m", "the kit", cwd=work)
    git("remote", "add", "origin", str(origin), cwd=work)
    git("push", "--quiet", "origin", "main", cwd=work)
    resource = tmp_path / "resource.yml"
    resource.write_text(RESOURCE, encoding="utf-8")
    event = tmp_path / "event.json"
    payload = {"action": "labeled", "label": {"name": "approved"}, "issue": {"number": 12}}
    event.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    env = script_env(
        tmp_path,
        ISSUE_NUMBER="12",
        SUBMITTER="jlibrarian",
        SUBMITTER_ID="4242",
        BASE_BRANCH="main",
        GH_TOKEN="test-token-not-real",
        FROM_ISSUE_RESOURCE=str(resource),
    )
    executable(tmp_path / "fake-bin" / "plnkit", STAND_IN)
    set_gh_state(env, issues=[{"number": 12, "title": "Suggest", "state": "OPEN",
                               "body": "form", "comments": []}])  # fmt: skip
    return work, event, env


def test_an_approved_suggestion_becomes_a_credited_pull_request(repo) -> None:
    work, event, env = repo
    done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert "resources OK" in log  # validated the whole kit
    assert (work / "build" / "reports" / "site" / "communities" / "index.html").is_file()

    origin = work.parent / "origin.git"
    files = git("ls-tree", "-r", "--name-only", "suggest/issue-12", cwd=origin).splitlines()
    assert "kit/communities/ohio-library-talk.yml" in files
    message = git("log", "-1", "--format=%B", "suggest/issue-12", cwd=origin)
    assert message.startswith("Add Ohio Library Talk (suggested in #12)")
    assert "Co-authored-by: jlibrarian <4242+jlibrarian@users.noreply.github.com>" in message
    main_files = git("ls-tree", "-r", "--name-only", "main", cwd=origin)
    assert "ohio-library-talk" not in main_files

    state = gh_state(env)
    (pr,) = state["prs"]
    assert (pr["base"], pr["head"], pr["title"]) == ("main", "suggest/issue-12",
                                                     "Add Ohio Library Talk")  # fmt: skip
    assert "suggested by @jlibrarian in #12" in pr["body"]
    assert "Closes #12" in pr["body"]
    assert "validated the whole kit with `plnkit validate`" in pr["body"]
    assert "mkdocs build --strict" in pr["body"]
    assert "GITHUB_TOKEN start no other workflow" in pr["body"]
    assert ["auth", "setup-git"] in state["calls"]
    (comment,) = state["issues"][0]["comments"]
    assert pr["url"] in comment and "@jlibrarian" in comment


def test_approving_again_updates_the_same_pull_request(repo) -> None:
    work, event, env = repo
    for _ in range(2):
        done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        git("switch", "--quiet", "main", cwd=work)
    state = gh_state(env)
    assert len(state["prs"]) == 1
    assert ["pr", "edit", str(state["prs"][0]["number"])] in [c[:3] for c in state["calls"]]


def test_an_invalid_suggestion_gets_a_comment_and_no_branch(repo) -> None:
    work, event, env = repo
    env["FROM_ISSUE_FAIL"] = "issue form: url: `url` must start with https:// or http://"
    done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
    assert done.returncode == 1
    assert "the suggestion in issue #12 is not valid" in done.stderr
    state = gh_state(env)
    (comment,) = state["issues"][0]["comments"]
    assert "`url` must start with https:// or http://" in comment
    assert "`approved` label again" in comment
    assert state["prs"] == []
    branches = git("branch", "--list", cwd=work.parent / "origin.git")
    assert "suggest/issue-12" not in branches


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ISSUE_NUMBER", "12; rm -rf /", "ISSUE_NUMBER must be a number"),
        ("SUBMITTER", "$(whoami)", "SUBMITTER is not a GitHub login"),
        ("SUBMITTER_ID", "x1", "SUBMITTER_ID must be a number"),
    ],
)
def test_odd_event_values_are_refused_before_anything_runs(
    repo, name: str, value: str, message: str
) -> None:
    work, event, env = repo
    env[name] = value
    done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
    assert done.returncode == 1
    assert message in done.stderr
    assert gh_state(env)["calls"] == []


def test_without_from_issue_the_script_says_so(repo, tmp_path: Path) -> None:
    work, event, env = repo
    # A plnkit with no from-issue command: the real one, called without the stand-in.
    executable(
        tmp_path / "fake-bin" / "plnkit",
        f'#!/bin/sh\n[ "$1" = from-issue ] && exit 2\nexec "{sys.executable}" -m plnkit "$@"\n',
    )
    done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
    assert done.returncode == 1
    assert "has no from-issue command, so issue #12 cannot become a resource file" in done.stderr
