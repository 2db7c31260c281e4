"""`plnkit check-links`: reports, exit codes, filters and careful file edits."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from plnkit.cli import main
from plnkit.net.clock import iso
from plnkit.store import StateStore
from tests.conftest import ROOT, write_kit
from tests.link_servers import resource_yaml

RESULT_KEYS = {
    "slug", "url", "kind", "state", "http_status", "final_url", "error", "health",
    "failures_in_a_row", "first_failed_at", "checked_at", "embeddable", "changed",
}  # fmt: skip


def cli(*args: str) -> int:
    return main(["check-links", *args, "--allow-local", "--per-host", "4"])


def test_offline_on_the_default_kit_skips_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    cache = tmp_path / "cache"
    code = main(["check-links", str(ROOT / "kit"), "--offline", "--cache-dir", str(cache),
                 "--json", str(out)])  # fmt: skip
    assert code == 0
    report = json.loads(out.read_text())
    assert report["offline"] is True and report["results"]
    assert {r["state"] for r in report["results"]} == {"skipped"}
    assert set(report["results"][0]) == RESULT_KEYS
    assert set(report["summary"]) >= {"ok", "redirected", "blocked", "transient", "broken"}
    assert not cache.exists(), "offline stores nothing"
    assert "skipped" in capsys.readouterr().out


def test_json_and_markdown_reports(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/ok").respond_with_data("fine")
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    kit = write_kit(tmp_path, {
        "communities/fine.yml": resource_yaml("Fine | Place", httpserver.url_for("/ok")),
        "communities/gone.yml": resource_yaml("Gone", httpserver.url_for("/gone")),
    })  # fmt: skip
    out, md = tmp_path / "r.json", tmp_path / "r.md"
    assert cli(str(kit), "--cache-dir", str(tmp_path / "c"), "--json", str(out),
               "--markdown", str(md)) == 0  # fmt: skip
    report = json.loads(out.read_text())
    lines = out.read_text().splitlines()
    for result in report["results"]:  # one line a result: to read, grep or diff by URL
        assert sum(json.dumps(result["url"]) in line for line in lines) == 1
        assert f"    {json.dumps(result)}" in {line.rstrip(",") for line in lines}
    assert lines[0] == "{" and lines[-1] == "}"
    states = {r["slug"]: (r["state"], r["health"], r["http_status"]) for r in report["results"]}
    assert states == {"fine": ("ok", "healthy", 200), "gone": ("broken", "failing", 404)}
    assert report["summary"]["ok"] == 1 and report["summary"]["broken"] == 1
    text = md.read_text()
    assert "## Failing (1)" in text and "gone.yml" in text and "HTTP 404 Not Found" in text
    assert f"`{httpserver.url_for('/gone')}`" in text and "fine" not in text.split("## Failing")[1]


def test_exit_1_only_when_a_link_is_newly_dead(
    httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    url = httpserver.url_for("/gone")
    kit = write_kit(tmp_path, {"communities/gone.yml": resource_yaml("Gone", url)})
    cache = tmp_path / "c"
    week_ago = iso(dt.datetime.now(dt.UTC) - dt.timedelta(days=8))
    StateStore(cache).write("links", {"urls": {url: {
        "state": "broken", "checked_at": week_ago, "failures_in_a_row": 2,
        "first_failed_at": week_ago, "last_failed_at": week_ago, "health": "failing",
    }}})  # fmt: skip
    assert cli(str(kit), "--cache-dir", str(cache)) == 1
    assert f"newly dead: gone {url}" in capsys.readouterr().out
    assert cli(str(kit), "--cache-dir", str(cache)) == 0, "dead, but not newly"


def test_only_and_unknown_slugs(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/a").respond_with_data("a")
    httpserver.expect_request("/b").respond_with_data("b")
    kit = write_kit(tmp_path, {
        "communities/a.yml": resource_yaml("A", httpserver.url_for("/a")),
        "communities/b.yml": resource_yaml("B", httpserver.url_for("/b")),
    })  # fmt: skip
    assert cli(str(kit), "--cache-dir", str(tmp_path / "c"), "--only", "b") == 0
    assert [r.path for r, _ in httpserver.log] == ["/b"]
    assert cli(str(kit), "--cache-dir", str(tmp_path / "c"), "--only", "nope") == 2


def test_changed_since_checks_only_changed_files(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/a").respond_with_data("a")
    httpserver.expect_request("/b").respond_with_data("b")
    httpserver.expect_request("/c").respond_with_data("c")
    kit = write_kit(tmp_path, {
        "communities/a.yml": resource_yaml("A", httpserver.url_for("/a")),
        "communities/b.yml": resource_yaml("B", httpserver.url_for("/b")),
    })  # fmt: skip
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=tmp_path, check=True)
    path_b = kit / "communities" / "b.yml"
    path_b.write_text(path_b.read_text() + "tags: [changed]\n")
    (kit / "communities" / "c.yml").write_text(resource_yaml("C", httpserver.url_for("/c")))
    assert cli(str(kit), "--cache-dir", str(tmp_path / "cache"), "--changed-since", "HEAD") == 0
    assert sorted(r.path for r, _ in httpserver.log) == ["/b", "/c"]
    assert cli(str(kit), "--cache-dir", str(tmp_path / "c2"), "--changed-since", "nope") == 2


def test_fix_redirects_rewrites_only_the_url_value(httpserver: HTTPServer, tmp_path: Path) -> None:
    new = httpserver.url_for("/new")
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": new})
    httpserver.expect_request("/new").respond_with_data("<html>new</html>")
    old = httpserver.url_for("/old")
    kit = write_kit(tmp_path, {"communities/moved.yml": (
        "# a comment the curator wants kept\n"
        f'name: Moved\nurl: "{old}"   # the home page\nkind: community\n'
        "description: A resource whose home moved somewhere else, permanently.\n"
        "tags: [a, b]  # trailing comment\n"
    )})  # fmt: skip
    path = kit / "communities" / "moved.yml"
    before = path.read_text()
    assert cli(str(kit), "--cache-dir", str(tmp_path / "c"), "--fix-redirects") == 0
    after = path.read_text()
    assert after == before.replace(f'url: "{old}"', f'url: "{new}"')
    assert main(["validate", str(kit), "--allow-local"]) == 0


def test_write_archive_urls_records_found_snapshots(httpserver: HTTPServer, tmp_path: Path) -> None:
    url = httpserver.url_for("/closed")
    httpserver.expect_request("/wayback").respond_with_json(
        {"archived_snapshots": {"closest": {"available": True,
                                            "url": f"http://web.archive.org/web/2015/{url}"}}}
    )  # fmt: skip
    retired = resource_yaml("Closed", url, extra="status: retired\nnotes: Closed in 2020.\n")
    kit = write_kit(tmp_path, {"communities/closed.yml": retired})
    path = kit / "communities" / "closed.yml"
    code = cli(str(kit), "--cache-dir", str(tmp_path / "c"), "--write-archive-urls",
               "--wayback-url", httpserver.url_for("/wayback"))  # fmt: skip
    assert code == 0
    lines = path.read_text().splitlines()
    assert lines[lines.index(f"url: {url}") + 1] == (
        f"archive_url: https://web.archive.org/web/2015/{url}"
    )
    assert [r.path for r, _ in httpserver.log] == ["/wayback"], "retired: not checked itself"
    assert main(["validate", str(kit), "--allow-local"]) == 0


def test_an_invalid_kit_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kit = write_kit(tmp_path, {"communities/bad.yml": "name: x\n"})
    assert cli(str(kit), "--offline") == 2
    assert "bad.yml" in capsys.readouterr().err


def test_requests_start_early_but_a_kit_that_fails_stores_nothing(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """Checking starts while the kit loads; a kit that then fails its checks is exit 2 and
    leaves the state store as it was."""
    httpserver.expect_request("/ok").respond_with_data("fine")
    kit = write_kit(tmp_path, {
        "communities/aa-fine.yml": resource_yaml("Fine", httpserver.url_for("/ok")),
        "communities/zz-bad.yml": "name: x\n",
    })  # fmt: skip
    cache = tmp_path / "cache"
    assert cli(str(kit), "--cache-dir", str(cache)) == 2
    assert not StateStore(cache).path("links").exists()


def test_a_fork_replacing_a_resource_reports_and_stores_only_its_own_url(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """Beside mkdocs.yml the kit has the fork's layer: the upstream file's URL (asked early,
    as the upstream layer loads first) is neither reported nor stored."""
    httpserver.expect_request("/upstream").respond_with_data("old")
    httpserver.expect_request("/fork").respond_with_data("new")
    write_kit(tmp_path, {
        "communities/shared.yml": resource_yaml("Shared", httpserver.url_for("/upstream")),
    })  # fmt: skip
    local = tmp_path / "kit-local" / "communities"
    local.mkdir(parents=True)
    (local / "shared.yml").write_text(resource_yaml("Shared", httpserver.url_for("/fork")))
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Fork\nplugins:\n  - plnkit:\n      kit_dir: kit\n"
        "      extra_kit_dirs: [kit-local]\n      cache_dir: .cache/plnkit\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.json"
    code = main(["check-links", "--config", str(tmp_path / "mkdocs.yml"), "--allow-local",
                 "--json", str(out), "--min-interval", "0"])  # fmt: skip
    assert code == 0
    assert [r["url"] for r in json.loads(out.read_text())["results"]] == [
        httpserver.url_for("/fork")
    ]
    stored = StateStore(tmp_path / ".cache" / "plnkit").read("links")
    assert set(stored["urls"]) == {httpserver.url_for("/fork")}
    asked = sorted(request.path for request, _ in httpserver.log)
    assert asked == ["/fork"], "the upstream URL the fork replaced is never asked"


@pytest.mark.parametrize("document", [
    {},
    {"results": []},
    {"generated_at": "2026-12-03T00:00:00Z", "summary": {"ok": 2},
     "results": [{"url": "https://é.example/\u2028", "error": None}, {"url": "x", "n": [1, {}]}]},
])  # fmt: skip
def test_the_report_text_is_the_document(document: dict) -> None:
    from plnkit.commands.common import report_text

    text = report_text(document)
    assert json.loads(text) == document and text.endswith("\n")
    assert len(text.splitlines()) == (1 if not document else len(document) + 2 + sum(
        len(v) + 1 for v in document.values() if isinstance(v, list) and v))
