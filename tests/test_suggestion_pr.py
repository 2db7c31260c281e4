"""scripts/open-suggestion-pr.sh (the suggest-resource workflow), end to end.

The script runs as the workflow runs it: on a real git checkout whose `origin` is a bare
repository, with the real `plnkit from-issue`, `plnkit validate` and `mkdocs build`, reading a
GitHub `issues` event payload whose body is exactly what GitHub writes for the "Suggest a
resource" form. Only `gh` is a stand-in (tests/fake_gh.py): it records the calls and keeps the
issues and pull requests in a JSON file.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from tests.script_support import (
    MODELINE_LOCAL,
    ROOT,
    copy_project,
    executable,
    gh_state,
    git,
    local_resource,
    make_fork,
    run_script,
    script_env,
    set_gh_state,
)

# The issue body GitHub renders for the form (.github/ISSUE_TEMPLATE/suggest-resource.yml):
# one `### Label` section per field, `_No response_` for what was left empty, and every
# checkbox option listed with `[X]` or `[ ]`.
BODY = """\
### Name

Ohio Library Talk

### Web address

https://talk.ohio-libraries.example.org/

### Kind

community

### Binder tab

Communities (communities)

### Description

A forum where Ohio school librarians swap ideas about programs,
budgets and advocacy.

### PLN stages

- [ ] consumption — reading, listening and following
- [X] connection — joining conversations and asking questions
- [ ] creation — trying ideas and making things
- [X] contribution — sharing back what worked

### Tags

Ohio, school libraries

### Feed address

_No response_

### Cost

free

### Hashtag

_No response_

### Schedule

_No response_

### Notes for the maintainers

The association runs it; members only for posting.
"""

PATH = "kit/communities/ohio-library-talk.yml"


def payload(body: str) -> dict:
    """An `issues` event as GitHub delivers it when a maintainer adds the `approved` label."""
    return {
        "action": "labeled",
        "label": {"id": 7, "name": "approved", "color": "0e8a16"},
        "issue": {
            "number": 12,
            "title": "Suggest: Ohio Library Talk",
            "state": "open",
            "body": body,
            "user": {"login": "jlibrarian", "id": 4242, "type": "User"},
            "labels": [{"name": "suggestion"}, {"name": "approved"}],
            "author_association": "NONE",
        },
        "repository": {"full_name": "example/pln-kit", "default_branch": "main"},
        "sender": {"login": "a-maintainer", "id": 99, "type": "User"},
    }


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A clone of a bare `origin` holding the project on main; the workflow's checkout."""
    origin = tmp_path / "origin.git"
    git("init", "--quiet", "--bare", str(origin), cwd=tmp_path)
    work = copy_project(tmp_path / "work")
    shutil.copytree(ROOT / ".github" / "ISSUE_TEMPLATE", work / ".github" / "ISSUE_TEMPLATE")
    (work / ".gitignore").write_text("site/\nbuild/\n.cache/\n", encoding="utf-8")
    git("init", "--quiet", cwd=work)
    git("add", "-A", cwd=work)
    git("commit", "--quiet", "-m", "the kit", cwd=work)
    git("remote", "add", "origin", str(origin), cwd=work)
    git("push", "--quiet", "origin", "main", cwd=work)
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload(BODY), indent=1), encoding="utf-8")
    env = script_env(
        tmp_path,
        ISSUE_NUMBER="12",
        SUBMITTER="jlibrarian",
        SUBMITTER_ID="4242",
        BASE_BRANCH="main",
        GH_TOKEN="test-token-not-real",
    )
    set_gh_state(env, issues=[{"number": 12, "title": "Suggest: Ohio Library Talk",
                               "state": "OPEN", "body": BODY, "comments": []}])  # fmt: skip
    return work, event, env


def test_an_approved_suggestion_becomes_a_credited_pull_request(repo) -> None:
    work, event, env = repo
    done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert PATH in log.splitlines()  # plnkit from-issue named the file it wrote
    assert "resources OK" in log  # then plnkit validate passed the whole kit
    built = work / "build" / "reports" / "site" / "communities" / "index.html"
    assert 'id="ohio-library-talk"' in built.read_text(encoding="utf-8")  # and the site built

    origin = work.parent / "origin.git"
    files = git("ls-tree", "-r", "--name-only", "suggest/issue-12", cwd=origin).splitlines()
    assert PATH in files
    assert [f for f in files if "ohio" in f] == [PATH]  # nothing else came along
    text = git("show", f"suggest/issue-12:{PATH}", cwd=origin)
    assert text.startswith("# yaml-language-server: $schema=../schema/resource.schema.json\n")
    data = yaml.safe_load(text)
    assert data["name"] == "Ohio Library Talk"
    assert data["url"] == "https://talk.ohio-libraries.example.org/"
    assert data["kind"] == "community"
    assert data["description"] == (
        "A forum where Ohio school librarians swap ideas about programs, budgets and advocacy."
    )
    assert data["stages"] == ["connection", "contribution"]
    assert data["tags"] == ["ohio", "school-libraries"]
    assert data["cost"] == "free"
    assert data["notes"] == (
        "Suggested by @jlibrarian in issue #12. The association runs it; members only for posting."
    )
    assert not {"feed", "hashtag", "schedule"} & set(data)  # "_No response_" left them out
    message = git("log", "-1", "--format=%B", "suggest/issue-12", cwd=origin)
    assert message.startswith("Add ohio-library-talk (suggested in #12)")
    assert "Co-authored-by: jlibrarian <4242+jlibrarian@users.noreply.github.com>" in message
    assert "ohio-library-talk" not in git("ls-tree", "-r", "--name-only", "main", cwd=origin)

    state = gh_state(env)
    (pr,) = state["prs"]
    assert (pr["base"], pr["head"], pr["title"]) == ("main", "suggest/issue-12",
                                                     "Add `Ohio Library Talk`")  # fmt: skip
    assert f"Adds `Ohio Library Talk` (`{PATH}`), suggested by @jlibrarian in #12." in pr["body"]
    assert "Closes #12" in pr["body"]
    assert "validated the whole kit with `plnkit validate`" in pr["body"]
    assert "built the site offline with `mkdocs build --strict`" in pr["body"]
    assert "this\nworkflow validated and built it instead" in pr["body"]
    assert ["auth", "setup-git"] in state["calls"]
    (comment,) = state["issues"][0]["comments"]
    assert pr["url"] in comment and "@jlibrarian" in comment and "validated and built" in comment


def test_in_a_fork_the_suggestion_goes_into_its_own_folder(repo) -> None:
    work, event, env = repo
    make_fork(work)
    local_resource(
        work, "research", "buckeye-conference", "Buckeye Library Conference",
        "https://conference.buckeye.example.org/", "event",
    )  # fmt: skip
    git("add", "-A", cwd=work)
    git("commit", "--quiet", "-m", "the fork's own folder", cwd=work)

    done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    local = "kit-local/communities/ohio-library-talk.yml"
    files = git("ls-tree", "-r", "--name-only", "suggest/issue-12", cwd=work.parent / "origin.git")
    assert local in files.splitlines() and PATH not in files.splitlines()
    text = git("show", f"suggest/issue-12:{local}", cwd=work)
    assert text.startswith(MODELINE_LOCAL)  # editors still find the schema, two folders up
    built = (work / "build" / "reports" / "site" / "communities" / "index.html").read_text("utf-8")
    assert 'id="ohio-library-talk"' in built
    (pr,) = gh_state(env)["prs"]
    assert f"(`{local}`)" in pr["body"]


def test_approving_again_updates_the_same_pull_request(repo) -> None:
    work, event, env = repo
    for _ in range(2):
        done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        git("switch", "--quiet", "main", cwd=work)
    state = gh_state(env)
    assert len(state["prs"]) == 1
    assert ["pr", "edit", str(state["prs"][0]["number"])] in [c[:3] for c in state["calls"]]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "https://talk.ohio-libraries.example.org/",
            "javascript:alert(1)",
            f"{PATH}:3:6: error: `url` must start with https:// or http://; "
            "got 'javascript:alert(1)'",
        ),
        (
            "A forum where Ohio school librarians swap ideas about programs,\n"
            "budgets and advocacy.",
            "_No response_",
            f"{PATH}:2:1: error: missing required field `description`",
        ),
    ],
)
def test_an_invalid_suggestion_gets_a_comment_and_no_pull_request(
    repo, old: str, new: str, expected: str
) -> None:
    work, event, env = repo
    assert old in BODY
    event.write_text(json.dumps(payload(BODY.replace(old, new))), encoding="utf-8")
    done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
    assert done.returncode == 1
    assert "error: the suggestion in issue #12 is not valid (plnkit from-issue exit 1)" in (
        done.stderr
    )
    state = gh_state(env)
    (comment,) = state["issues"][0]["comments"]
    assert comment.startswith("Thank you for the suggestion, @jlibrarian!")
    assert expected in comment, comment
    assert "`approved` label again" in comment
    assert state["prs"] == []
    assert "suggest/issue-12" not in git("branch", "--list", cwd=work.parent / "origin.git")
    assert not (work / PATH).exists()  # from-issue keeps nothing that does not validate
    assert git("status", "--porcelain", cwd=work) == ""


def test_a_name_with_closing_keywords_mentions_and_references_leaves_the_pr_inert(
    repo,
) -> None:
    """Issue 19: `Closes #1 fixes #2 @team` must not close, ping or cross-reference."""
    work, event, env = repo
    hostile = "Closes #1 fixes #2 @team `x` resolves example/pln-kit#3"
    event.write_text(json.dumps(payload(BODY.replace("Ohio Library Talk", hostile))))
    done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    (pr,) = gh_state(env)["prs"]
    inert = f"``{hostile}``"  # one code span; the fence is longer than the backticks inside
    assert pr["title"] == f"Add {inert}"
    assert f"Adds {inert} (`kit/communities/" in pr["body"]
    # Outside that code span the body names only the trusted issue and submitter.
    outside = pr["body"].replace(inert, "")
    assert not re.search(r"#[123]\b", outside) and "@team" not in outside
    assert "Closes #12" in outside
    origin = work.parent / "origin.git"
    message = git("log", "-1", "--format=%B", "suggest/issue-12", cwd=origin)
    # A keyword needs a reference (`fixes #2`); the slug keeps words, never a `#` or `@`.
    assert not re.search(r"#[123]\b", message) and "@team" not in message
    assert message.startswith("Add closes-1-fixes-2-team-x-resolves-example-pln-kit-3 (")


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\u2066", "\ufeff"])
def test_a_name_with_an_invisible_format_character_is_refused(repo, char: str) -> None:
    work, event, env = repo
    event.write_text(json.dumps(payload(BODY.replace("Ohio Library", f"Ohio{char} Library"))))
    done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
    assert done.returncode == 1
    state = gh_state(env)
    assert state["prs"] == []
    (comment,) = state["issues"][0]["comments"]
    assert f"U+{ord(char):04X}" in comment and "`name` contains" in comment, comment
    assert char not in comment.split("`````text", 1)[0]


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
    # A plnkit with no from-issue command in front of the real one.
    executable(
        tmp_path / "fake-bin" / "plnkit",
        f'#!/bin/sh\n[ "$1" = from-issue ] && exit 2\nexec "{sys.executable}" -m plnkit "$@"\n',
    )
    done = run_script("open-suggestion-pr.sh", str(event), cwd=work, env=env)
    assert done.returncode == 1
    assert "has no from-issue command, so issue #12 cannot become a resource file" in done.stderr
