"""Commands see the kit the site builds: mkdocs.yml's kit_dir, a fork's extra_kit_dirs and
exclude (plnkit.adapters.mkdocs_project), unless a KIT folder is named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from plnkit.adapters.mkdocs_project import ConfigError, KitLayout, resolve_layout
from tests.conftest import write_kit
from tests.script_support import MODELINE_LOCAL, git, local_resource

FORK_YML = """\
site_name: Buckeye Kit
theme: {name: material}
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - search
  - plnkit:
      offline: !ENV [PLNKIT_OFFLINE, false]
      cache_dir: store
      exclude: [gamma-guide]
      extra_kit_dirs: [kit-local]
"""


def plnkit(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plnkit", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=60,
        env={**os.environ, "PLNKIT_OFFLINE": "", **env},
    )


def delta(root: Path, url: str) -> Path:
    return local_resource(root, "communities", "delta-local", "Delta Local", url, "community")


@pytest.fixture
def fork(tmp_path: Path) -> Path:
    """A fork: the test kit (alpha-ning, beta-blog, gamma-guide), gamma-guide hidden, and its
    own kit-local/ with delta-local."""
    write_kit(tmp_path)
    delta(tmp_path, "https://lists.buckeye.example.org/")
    (tmp_path / "mkdocs.yml").write_text(FORK_YML, encoding="utf-8")
    return tmp_path


# --- Reading mkdocs.yml ------------------------------------------------------------------

PLUGIN = "  - plnkit:\n      kit_dir: {kit}\n      extra_kit_dirs: [mine]\n      exclude: [x]\n"


@pytest.mark.parametrize(
    ("files", "kit", "extra", "exclude"),
    [
        pytest.param({"mkdocs.yml": "plugins:\n" + PLUGIN.format(kit="k")}, "k", ["mine"], ["x"],
                     id="list"),
        pytest.param({"mkdocs.yml": "plugins:\n  search: {}\n  plnkit: {kit_dir: k}\n"}, "k", [],
                     [], id="mapping"),
        pytest.param({"mkdocs.yml": "plugins:\n  - search\n  - plnkit\n"}, "kit", [], [],
                     id="defaults"),
        pytest.param({"mkdocs.yml": "plugins:\n" + PLUGIN.format(kit="!ENV [KIT_FOR_TEST, k]")},
                     "from-env", ["mine"], ["x"], id="env-tag"),
        pytest.param({"mkdocs.yml": "nav:\n  - !relative $config_dir/a.md\n"
                      "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_generator: "
                      "!!python/name:material.extensions.emoji.to_svg\n"
                      "plugins:\n" + PLUGIN.format(kit="k")}, "k", ["mine"], ["x"],
                     id="other-tags"),
        pytest.param({"base.yml": "plugins:\n" + PLUGIN.format(kit="k"),
                      "mkdocs.yml": "INHERIT: base.yml\nsite_name: Fork\n"}, "k", ["mine"], ["x"],
                     id="inherit"),
        pytest.param({"mkdocs.yml": "plugins:\n  - search\n"}, "kit", [], [], id="no-plnkit"),
        pytest.param({}, "kit", [], [], id="no-mkdocs-yml"),
    ],
)  # fmt: skip
def test_the_layout_comes_from_mkdocs_yml(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    kit: str,
    extra: list[str],
    exclude: list[str],
) -> None:
    monkeypatch.setenv("KIT_FOR_TEST", "from-env")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    layout = resolve_layout(None, folder=tmp_path)
    root = tmp_path if "plnkit" in "".join(files.values()) else Path()
    assert layout.kit_dir == root / kit
    assert layout.extra_kit_dirs == tuple(root / d for d in extra)
    assert layout.exclude == tuple(exclude)


def test_reading_mkdocs_yml_runs_nothing(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        'hooks: !!python/object/apply:os.system ["touch pwned"]\nplugins: [plnkit]\n',
        encoding="utf-8",
    )
    layout = resolve_layout(None, folder=tmp_path)
    assert layout.kit_dir == tmp_path / "kit"
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_an_explicit_kit_is_that_folder_alone(fork: Path) -> None:
    assert resolve_layout(Path("kit"), folder=fork) == KitLayout(kit_dir=Path("kit"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("plugins: [\n", "mkdocs.yml:2:1: not valid YAML: expected the node content, but found"),
        ("plugins:\n  - plnkit: {kit_dir: [a, b]}\n", "mkdocs.yml: plnkit option `kit_dir`:"),
        ("- just\n- a list\n", "mkdocs.yml: expected `key: value` settings"),
    ],
)
def test_a_broken_mkdocs_yml_is_a_clear_usage_error(
    tmp_path: Path, text: str, message: str
) -> None:
    write_kit(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        resolve_layout(None, folder=tmp_path)
    done = plnkit("validate", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"plnkit validate: error: {message}")
    assert "Traceback" not in done.stderr
    assert plnkit("validate", "kit", cwd=tmp_path).returncode == 0  # a named KIT needs no config


# --- The commands in a fork --------------------------------------------------------------


def test_validate_checks_the_fork_as_the_site_builds_it(fork: Path) -> None:
    done = plnkit("validate", cwd=fork)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "kit + kit-local: 3 resources OK"  # gamma is hidden

    (fork / "kit-local" / "communities" / "broken.yml").write_text(
        MODELINE_LOCAL + "name: Broken\nurl: ftp://x.example.org/\n", encoding="utf-8"
    )
    done = plnkit("validate", "--format", "github", cwd=fork)
    assert done.returncode == 1
    assert "::error file=kit-local/communities/broken.yml,line=3,col=6::`url` must start" in (
        done.stdout
    )
    # A named folder is that folder alone, exactly as before.
    alone = plnkit("validate", "kit", cwd=fork)
    assert alone.returncode == 0 and alone.stdout.splitlines()[-1] == "kit: 3 resources OK"
    # --config reads another project's file, from anywhere.
    elsewhere = fork.parent / "elsewhere"
    elsewhere.mkdir()
    done = plnkit("validate", "--config", str(fork / "mkdocs.yml"), cwd=elsewhere)
    assert done.returncode == 1 and "kit-local/communities/broken.yml:3:6: error:" in done.stdout
    both = plnkit("validate", "kit", "--config", "mkdocs.yml", cwd=fork)
    assert both.returncode == 2 and "give either a KIT folder or --config" in both.stderr
    missing = plnkit("validate", "--config", "nope.yml", cwd=fork)
    assert missing.returncode == 2 and "--config nope.yml: no such file" in missing.stderr


def test_link_checks_feeds_and_exports_see_the_fork(fork: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/lists").respond_with_data("<html>the listserv</html>")
    delta(fork, httpserver.url_for("/lists"))
    done = plnkit("check-links", "--only", "delta-local", "--allow-local", cwd=fork)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [r.path for r, _ in httpserver.log] == ["/lists"]
    assert (fork / "store" / "links.json").is_file()  # mkdocs.yml's cache_dir
    assert not (fork / ".cache").exists()

    done = plnkit("export", "json", cwd=fork, PLNKIT_ALLOW_LOCAL="1")
    assert done.returncode == 0, done.stderr
    by_slug = {r["slug"]: r for r in json.loads(done.stdout)["resources"]}
    assert set(by_slug) == {"alpha-ning", "beta-blog", "delta-local"}
    assert by_slug["delta-local"]["health"]["state"] == "ok"  # read from store/

    done = plnkit("fetch-feeds", "--offline", "--json", "feeds.json", "--allow-local", cwd=fork)
    assert done.returncode == 0, done.stdout + done.stderr
    fetched = {r["slug"] for r in json.loads((fork / "feeds.json").read_text())["results"]}
    assert "delta-local" in fetched and "gamma-guide" not in fetched

    done = plnkit("check-links", "kit", "--offline", "--json", "links.json", cwd=fork)
    assert done.returncode == 0, done.stdout + done.stderr
    checked = {r["slug"] for r in json.loads((fork / "links.json").read_text())["results"]}
    assert "gamma-guide" in checked and "delta-local" not in checked  # KIT alone, as before


def test_changed_since_finds_changes_in_the_forks_own_folder(fork: Path) -> None:
    git("init", "--quiet", cwd=fork)
    git("add", "-A", cwd=fork)
    git("commit", "--quiet", "-m", "the fork", cwd=fork)
    local_resource(
        fork, "communities", "epsilon-local", "Epsilon Local",
        "https://epsilon.buckeye.example.org/", "community",
    )  # fmt: skip
    done = plnkit(
        "check-links", "--offline", "--changed-since", "HEAD", "--json", "r.json", cwd=fork
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((fork / "r.json").read_text())["results"]
    assert {r["slug"] for r in results} == {"epsilon-local"}


def test_from_issue_writes_into_the_forks_own_folder(fork: Path) -> None:
    def submit(name: str, *args: str) -> subprocess.CompletedProcess[str]:
        answers = {
            "name": name,
            "url": f"https://{name.lower().replace(' ', '-')}.example.org/",
            "kind": "community",
            "tab": "communities",
            "description": "Suggested through the form, for the association's members.",
        }
        (fork / "form.json").write_text(json.dumps(answers), encoding="utf-8")
        return plnkit("from-issue", "form.json", "--submitter", "sam", *args, cwd=fork)

    done = submit("Zeta Circle")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "kit-local/communities/zeta-circle.yml"
    text = (fork / "kit-local" / "communities" / "zeta-circle.yml").read_text(encoding="utf-8")
    assert text.startswith(MODELINE_LOCAL)
    assert (
        plnkit("validate", cwd=fork)
        .stdout.splitlines()[-1]
        .startswith("kit + kit-local: 4 resources OK")
    )

    clash = submit("Alpha Ning")  # upstream's kit/communities/alpha-ning.yml
    assert clash.returncode == 1
    assert (
        "kit-local/communities/alpha-ning.yml:1:1: error: kit/communities/alpha-ning.yml "
        "already has the name 'alpha-ning'; a second file with it would replace that one"
    ) in clash.stdout
    hidden = submit("Gamma Guide")
    assert hidden.returncode == 1
    assert "'gamma-guide' is listed under `exclude` in mkdocs.yml" in hidden.stdout
    assert sorted(p.name for p in (fork / "kit-local" / "communities").iterdir()) == [
        "delta-local.yml",
        "zeta-circle.yml",
    ]

    upstream = submit("Eta Circle", "--kit", "kit")  # a named kit folder: written there
    assert upstream.returncode == 0, upstream.stdout
    assert upstream.stdout.splitlines()[-1] == "kit/communities/eta-circle.yml"
