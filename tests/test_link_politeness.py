"""The per-host minimum interval is configurable: `plnkit check-links --min-interval`, and
`links: {min_interval: …}` in mkdocs.yml for the link checks a build makes. Fake clock, real
local server."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from plnkit.adapters.mkdocs_config import PlnKitConfig
from plnkit.cli import main
from plnkit.commands import check_links
from plnkit.kit.loader import load_kit
from plnkit.links.options import CheckOptions
from plnkit.net.clock import FakeClock
from plnkit.site import build as build_support
from plnkit.site.state import gather_state
from tests.conftest import write_kit
from tests.link_servers import resource_yaml


def plugin_settings(root: Path, links: dict[str, object]) -> build_support.Settings:
    """The settings a build resolves from mkdocs.yml's plnkit options, as the plugin does."""
    config = PlnKitConfig(config_file_path=str(root / "mkdocs.yml"))
    config.load_dict({"links": links, "feeds": {"fetch": False}, "cache_dir": "cache"})
    errors, _warnings = config.validate()
    assert not errors, errors
    return build_support.settings(config, str(root / "mkdocs.yml"))


def three_pages(httpserver: HTTPServer, root: Path) -> Path:
    for n in range(3):
        httpserver.expect_request(f"/page-{n}").respond_with_data("fine")
    return write_kit(root, {
        f"communities/page-{n}.yml": resource_yaml(f"Page {n}", httpserver.url_for(f"/page-{n}"))
        for n in range(3)
    })  # fmt: skip


def test_the_default_interval_is_polite(tmp_path: Path) -> None:
    assert plugin_settings(tmp_path, {}).refresh.links_min_interval == 0.05
    assert CheckOptions().min_interval == 0.05


@pytest.mark.parametrize(("interval", "waits"), [(0.25, [0.25, 0.25]), (0, [])])
def test_a_builds_link_checks_keep_the_configured_interval(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    interval: float, waits: list[float],
) -> None:  # fmt: skip
    monkeypatch.setenv("PLNKIT_ALLOW_LOCAL", "1")
    kit = load_kit(three_pages(httpserver, tmp_path), allow_local=True).kit
    assert kit is not None
    setup = plugin_settings(tmp_path, {"min_interval": interval, "per_host": 1, "concurrency": 1})
    assert setup.refresh.links_min_interval == interval
    clock = FakeClock()
    gathered = gather_state(kit, setup.cache_dir, setup.refresh, clock=clock)
    assert {view.health for view in gathered.state.links.values()} == {"ok"}
    assert len(httpserver.log) == 3
    assert [s for s in clock.slept if s > 0] == waits, "one host: requests spaced as configured"


def test_check_links_takes_min_interval(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[CheckOptions] = []

    class Recording(check_links.LinkRun):  # the real run, its options noted
        def finish(self, kit, on_result=None):
            seen.append(self.options)
            return super().finish(kit, on_result)

    monkeypatch.setattr(check_links, "LinkRun", Recording)
    kit = three_pages(httpserver, tmp_path)
    common = [str(kit), "--allow-local", "--cache-dir", str(tmp_path / "c")]
    assert main(["check-links", *common, "--min-interval", "0"]) == 0
    assert main(["check-links", *common, "--max-age-hours", "0"]) == 0
    assert [o.min_interval for o in seen] == [0.0, 0.05]
    assert len(httpserver.log) == 6


def test_both_network_commands_default_to_the_librarys_politeness() -> None:
    """check-links and fetch-feeds share one set of limits, defaulting to the library's."""
    from plnkit.cli import build_parser
    from plnkit.feeds.options import FetchOptions

    parser = build_parser(("plnkit.commands.check_links", "plnkit.commands.fetch_feeds"))
    names = ("timeout", "concurrency", "per_host", "min_interval")
    for command, library in (("check-links", CheckOptions()), ("fetch-feeds", FetchOptions())):
        args = parser.parse_args([command])
        assert {n: getattr(args, n) for n in names} == {n: getattr(library, n) for n in names}
    lifted = parser.parse_args(["fetch-feeds", "--concurrency", "1", "--min-interval", "0"])
    assert check_links.polite_limits(lifted)["concurrency"] == 1
    assert check_links.polite_limits(lifted)["min_interval"] == 0.0
    # Out-of-range values are usage errors now (tests/test_store_safety.py runs the commands).
    with pytest.raises(SystemExit) as refused:
        parser.parse_args(["fetch-feeds", "--concurrency", "0"])
    assert refused.value.code == 2
