"""Link trust beyond a status code: a person's check of a site that turns checkers away, and
when each link was last checked, end to end through `plnkit` and real builds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from plnkit.cli import main
from plnkit.kit.loader import load_kit
from plnkit.links.options import CheckOptions
from plnkit.links.run import check_kit_links
from plnkit.store import StateStore
from tests.conftest import build_site, write_kit
from tests.link_servers import resource_yaml

BOT_WALL = "<html><title>Just a moment...</title>Checking your browser (cf-chl)</html>"


def _card(html: str, slug: str) -> str:
    match = re.search(rf'<article class="plnkit-card" id="{slug}".*?</article>', html, re.S)
    assert match, f"no card for {slug}"
    return match.group(0)


def _verified(days_ago: int, by: str = "jsmith") -> str:
    day = (dt.date.today() - dt.timedelta(days=days_ago)).isoformat()
    return f'verified:\n  on: "{day}"\n  by: {by}\n'


@pytest.fixture
def walled(httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three resources behind a bot wall: checked lately by a person, long ago, never."""
    for path in ("/recent", "/old", "/never"):
        httpserver.expect_request(path).respond_with_data(
            BOT_WALL, status=403, headers={"cf-ray": "1", "Content-Type": "text/html"}
        )
    write_kit(tmp_path, {
        "communities/recent.yml": resource_yaml("Recent", httpserver.url_for("/recent"),
                                                extra=_verified(10)),
        "communities/old.yml": resource_yaml("Old", httpserver.url_for("/old"),
                                             extra=_verified(400, by="asmith")),
        "communities/never.yml": resource_yaml("Never", httpserver.url_for("/never")),
    })  # fmt: skip
    kit = load_kit(tmp_path / "kit", allow_local=True)
    assert kit.ok and kit.kit, [p.format() for p in kit.problems]
    store = StateStore(tmp_path / ".cache" / "plnkit")
    check_kit_links(kit.kit, store, CheckOptions(allow_local=True, min_interval=0, retries=0))
    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    return tmp_path


def test_a_recent_person_check_replaces_the_problem_and_an_old_one_asks_again(
    walled: Path,
) -> None:
    site = build_site(walled)
    page = (site / "communities" / "index.html").read_text(encoding="utf-8")
    recent_day = dt.date.today() - dt.timedelta(days=10)
    recent = _card(page, "recent")
    assert f"Checked by a person on {recent_day.day} " in recent
    assert "site limits checkers" not in recent
    assert "Checked by a person" not in _card(page, "old")
    assert "site limits checkers" in _card(page, "old")

    health = (site / "link-health" / "index.html").read_text(encoding="utf-8")
    turned_away = health.split('<h2 id="sites-that-turn-away-checkers"', 1)[1].split("<h2", 1)[0]
    assert "Old" in turned_away and "too old" in turned_away
    assert "Never" in turned_away and "plnkit verify never --by NAME" in turned_away
    assert "Recent" not in turned_away
    checked = health.split('<h2 id="checked-by-a-person"', 1)[1]
    assert "Recent" in checked and "jsmith" in checked


def test_every_card_and_the_health_page_say_when_the_link_was_last_checked(
    walled: Path,
) -> None:
    site = build_site(walled)
    today = dt.date.today()
    said = f"Last checked <time datetime=\"{today.isoformat()}"
    page = (site / "communities" / "index.html").read_text(encoding="utf-8")
    for slug in ("recent", "old", "never"):
        card = _card(page, slug)
        assert said in card and f">{today.day} " in card.split(said, 1)[1][:80]
    health = (site / "link-health" / "index.html").read_text(encoding="utf-8")
    assert health.count("Last checked") >= 2


def test_the_verify_command_writes_the_field_and_the_kit_still_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_kit(tmp_path, {
        "communities/walled.yml": "# keep this comment\n" + resource_yaml(
            "Walled", "https://example.org/walled", extra="notes: Cloudflare wall since 2025.\n"
        ),
    })  # fmt: skip
    kit = tmp_path / "kit"
    code = main(["verify", "walled", str(kit), "--by", "jsmith", "--note", "Opens fine"])
    assert code == 0, capsys.readouterr().err
    text = (kit / "communities" / "walled.yml").read_text(encoding="utf-8")
    assert "# keep this comment\nname: Walled\n" in text
    assert text.index("verified:") < text.index("notes:")
    resource = load_kit(kit).kit.get("walled")
    assert resource.verified.by == "jsmith" and resource.verified.note == "Opens fine"
    assert resource.verified.on == dt.date.today().isoformat()
    assert main(["verify", "walled", str(kit), "--by", "asmith", "--on", "2026-01-02"]) == 0
    again = load_kit(kit).kit.get("walled").verified
    assert (again.by, again.on, again.note) == ("asmith", "2026-01-02", None)
    assert main(["validate", str(kit)]) == 0


def test_verify_refuses_an_unknown_slug_and_an_empty_name(tmp_path: Path) -> None:
    write_kit(tmp_path, {"communities/walled.yml": resource_yaml("W", "https://example.org/w")})
    assert main(["verify", "nope", str(tmp_path / "kit"), "--by", "jsmith"]) == 2
    assert main(["verify", "walled", str(tmp_path / "kit"), "--by", " "]) == 2
    with pytest.raises(SystemExit) as stop:
        main(["verify", "walled", str(tmp_path / "kit"), "--by", "x", "--on", "2026-13-45"])
    assert stop.value.code == 2


def _moved_project(httpserver: HTTPServer, tmp_path: Path, *, taken: bool) -> Path:
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/new")}
    )
    httpserver.expect_request("/new").respond_with_data("<html><title>New</title></html>")
    files = {"communities/moved.yml": resource_yaml("Moved", httpserver.url_for("/old"))}
    if taken:
        files["communities/already.yml"] = resource_yaml("Already", httpserver.url_for("/new"))
    write_kit(tmp_path, files)
    return tmp_path / "kit"


def _check(kit: Path, *extra: str) -> int:
    return main(["check-links", str(kit), "--allow-local", "--min-interval", "0",
                 "--cache-dir", str(kit.parent / "store"), *extra])  # fmt: skip


def test_fix_redirects_right_after_a_check_uses_the_stored_results(
    httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kit = _moved_project(httpserver, tmp_path, taken=False)
    assert _check(kit) == 0
    asked = len(httpserver.log)
    assert _check(kit, "--fix-redirects") == 0
    assert len(httpserver.log) == asked, "the fresh stored result is used, nothing asked again"
    out = capsys.readouterr().out
    assert f"url set to {httpserver.url_for('/new')}" in out
    text = (kit / "communities" / "moved.yml").read_text(encoding="utf-8")
    assert f"url: {httpserver.url_for('/new')}\n" in text
    assert main(["validate", str(kit), "--allow-local"]) == 0


def test_fix_redirects_refuses_to_make_two_files_the_same_resource(
    httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kit = _moved_project(httpserver, tmp_path, taken=True)
    before = (kit / "communities" / "moved.yml").read_bytes()
    assert _check(kit, "--fix-redirects") == 0
    err = capsys.readouterr().err
    assert "already the address of already.yml" in err and "merge" in err
    assert (kit / "communities" / "moved.yml").read_bytes() == before


def test_fix_redirects_says_when_there_is_nothing_to_fix(
    httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/fine").respond_with_data("<html>fine</html>")
    write_kit(tmp_path, {"communities/fine.yml": resource_yaml("F", httpserver.url_for("/fine"))})
    assert _check(tmp_path / "kit", "--fix-redirects") == 0
    assert "no link has moved permanently; no file changed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("state", "failure", "outage", "level"),
    [
        ("broken", None, False, "error"),
        ("transient", "dns", False, "error"),
        ("transient", "dns", True, "warning"),
        ("transient", "read-timeout", False, "warning"),
        ("ok", None, False, None),
        ("blocked", None, False, None),
    ],
)
def test_how_a_new_address_is_judged(
    tmp_path: Path, state: str, failure: str | None, outage: bool, level: str | None
) -> None:
    from plnkit.links.new_links import new_link_problems
    from plnkit.links.types import CheckResult, Entry, Failure, Health, LinkState, RunReport, Use

    write_kit(tmp_path, {"communities/new.yml": resource_yaml("New", "https://new.example.org/")})
    kit = load_kit(tmp_path / "kit").kit
    resource = kit.get("new")
    result = CheckResult(resource.url, LinkState(state), error="it failed",
                         failure=Failure(failure) if failure else None)  # fmt: skip
    entry = Entry(Use("new", "url", resource.path), resource.url, result, Health.HEALTHY)
    report = RunReport(generated_at="2026-12-03T00:00:00Z", offline=False, entries=[entry])
    report.outage = outage
    found = new_link_problems(report, kit, {resource.url}, lambda p: p.name)
    assert [str(p.level) for p in found] == ([level] if level else [])
    if found:
        assert (found[0].path, found[0].line) == ("new.yml", resource.lines["url"])
    assert new_link_problems(report, kit, set(), lambda p: p.name) == []


BLOG = ("<html><head><title>TL Café: a blog for school librarians</title></head><body>"
        "<p>Notes from a school library, every week.</p></body></html>")  # fmt: skip
PARKED = (Path(__file__).parent / "parking" / "for-sale-lander.html").read_text(encoding="utf-8")


def test_a_page_turned_into_a_parking_page_is_flagged_until_a_curator_confirms(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pages = [BLOG]
    httpserver.expect_request("/blog").respond_with_handler(
        lambda _r: __import__("werkzeug").Response(pages[-1], content_type="text/html")
    )
    write_kit(tmp_path, {"blogs/cafe.yml": resource_yaml("Cafe", httpserver.url_for("/blog"))})
    kit = tmp_path / "kit"
    args = ["check-links", str(kit), "--allow-local", "--min-interval", "0", "--max-age-hours",
            "0", "--cache-dir", str(tmp_path / ".cache" / "plnkit")]  # fmt: skip
    assert main(args) == 0
    pages.append(PARKED)  # the domain was sold
    report = tmp_path / "links.md"
    assert main([*args, "--markdown", str(report), "--json", str(tmp_path / "l.json")]) == 0
    markdown = report.read_text(encoding="utf-8")
    assert "## May have changed hands (1)" in markdown
    assert "plnkit verify cafe --by NAME" in markdown
    assert '"changed": "the page says' in (tmp_path / "l.json").read_text(encoding="utf-8")

    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    site = build_site(tmp_path)
    card = _card((site / "blogs" / "index.html").read_text(encoding="utf-8"), "cafe")
    assert "This address may have changed hands" in card and "domain is for sale" in card
    assert "data-preview-src" not in card
    health = (site / "link-health" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="may-have-changed-hands"' in health

    # A curator opens it and finds that the new page is, after all, the resource.
    assert main(["verify", "cafe", str(kit), "--by", "jsmith"]) == 0
    capsys.readouterr()
    assert main(args) == 0
    site = build_site(tmp_path)
    card = _card((site / "blogs" / "index.html").read_text(encoding="utf-8"), "cafe")
    assert "may have changed hands" not in card and "Link OK" in card


def test_a_new_address_that_shows_a_parking_page_fails_the_pull_request_check(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    from plnkit.links.new_links import new_link_problems

    httpserver.expect_request("/sold").respond_with_data(PARKED, content_type="text/html")
    write_kit(tmp_path, {"blogs/sold.yml": resource_yaml("Sold", httpserver.url_for("/sold"))})
    kit = load_kit(tmp_path / "kit", allow_local=True).kit
    store = StateStore(tmp_path / "store")
    report = check_kit_links(kit, store, CheckOptions(allow_local=True, min_interval=0))
    found = new_link_problems(report, kit, {httpserver.url_for("/sold")}, lambda p: p.name)
    assert [str(p.level) for p in found] == ["error"]
    assert "does not look like the resource" in found[0].message
