"""scripts/link-shards.sh (the sharded link-check workflow): plan, check each shard, merge."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.conftest import write_kit
from tests.link_servers import resource_yaml
from tests.script_support import gh_state, run_script, script_env, set_gh_state

ROOT = Path(__file__).resolve().parent.parent


def test_plan_lists_the_shards_and_refuses_nonsense(tmp_path: Path) -> None:
    out = tmp_path / "output"
    env = script_env(tmp_path, GITHUB_OUTPUT=str(out))
    done = run_script("link-shards.sh", "plan", "3", cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert out.read_text().splitlines() == ["count=3", "shards=[1,2,3]"]
    for bad in ("0", "257", "four", "-1"):
        assert run_script("link-shards.sh", "plan", bad, cwd=ROOT, env=env).returncode == 1


def test_two_shards_then_a_merge_update_the_issue(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/ok").respond_with_data("fine")
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    kit = write_kit(tmp_path, {
        "communities/fine.yml": resource_yaml("Fine", httpserver.url_for("/ok")),
        "communities/gone.yml": resource_yaml("Gone", httpserver.url_for("/gone")),
    })  # fmt: skip
    reports = tmp_path / "reports"
    env = script_env(tmp_path, PLNKIT_KIT=str(kit), PLNKIT_REPORT_DIR=str(reports),
                     PLNKIT_ALLOW_LOCAL="1", PLNKIT_OFFLINE="0")  # fmt: skip
    set_gh_state(env)
    for shard in ("1/2", "2/2"):
        done = shards_script("check", shard, cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    files = sorted(p.name for p in (reports / "shards").iterdir())
    assert files == ["feeds-1-of-2.json", "feeds-2-of-2.json", "links-1-of-2.json",
                     "links-2-of-2.json"]  # fmt: skip
    done = shards_script("merge", str(reports / "shards"), cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((reports / "links.json").read_text())
    assert {r["slug"]: r["health"] for r in report["results"]} == {
        "fine": "healthy", "gone": "failing"
    }  # fmt: skip
    issues = gh_state(env)["issues"]
    assert len(issues) == 1 and "1 failing" in issues[0]["body"]


def shards_script(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The script run in `cwd`, so its state store (.cache/plnkit) is the test's own."""
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "link-shards.sh"), *args],
        cwd=cwd, env=env, text=True, capture_output=True, timeout=180,
    )  # fmt: skip
