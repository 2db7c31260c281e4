"""The benchmark's workspace for one scale, its web server, and what `plnkit` offers.

A scale's folder (.bench/work/kit-N) holds the generated kit, the URL lists every checker
reads, the MkDocs configurations of the plugin build and of the plain-Markdown floor, and
the state store the PLN Kit commands fill.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import bench_report as R
import bench_server
import gen_kit

SCRIPTS = Path(__file__).resolve().parent
PY = sys.executable
BIN = Path(sys.executable).parent
HOSTS = 32
IN_FLIGHT = 64
THEME = """\
theme:
  name: material
  language: en
  features: [navigation.tabs, navigation.tabs.sticky, navigation.top, search.highlight]
  font: false
markdown_extensions:
  - attr_list
  - md_in_html
  - toc:
      permalink: true
"""


def start_server(lifetime: float) -> tuple[subprocess.Popen, list[int]]:
    server = subprocess.Popen(
        [
            PY,
            str(SCRIPTS / "bench_server.py"),
            "--base-port",
            "0",
            "--hosts",
            str(HOSTS),
            "--lifetime",
            str(lifetime),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = server.stdout.readline() if server.stdout else ""
    if not line:
        raise SystemExit("the benchmark server did not start; see the message above")
    return server, json.loads(line)["ports"]


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class Plnkit:
    """Which sub-commands and options this build of `plnkit` has (from its own --help)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.top = self._help([])
        self.helps: dict[str, str] = {}

    def _help(self, args: list[str]) -> str:
        done = subprocess.run(
            [str(BIN / "plnkit"), *args, "--help"], capture_output=True, text=True, env=self.env
        )
        return done.stdout + done.stderr

    def has(self, command: str) -> bool:
        return re.search(rf"^\s+{re.escape(command)}\b", self.top, re.M) is not None

    def option(self, command: str, *names: str) -> str | None:
        if command not in self.helps:
            self.helps[command] = self._help([command])
        return next(
            (n for n in names if re.search(rf"{re.escape(n)}\b", self.helps[command])), None
        )


def lychee_args(report: str = "lychee.json") -> list[str]:
    """lychee's arguments for the benchmark's URL page: the same limits as every checker (64
    in flight, no per-host limit or interval), its JSON report to `report`."""
    n = str(IN_FLIGHT)
    return [
        "--no-progress", "--max-concurrency", n, "--host-concurrency", n,
        "--host-request-interval", "0ms", "--format", "json", "-o", report, "urls.html",
    ]  # fmt: skip


class Scale:
    """One scale's workspace: kit, URL lists, MkDocs configs, state store."""

    def __init__(self, bench: Path, resources: int, ports: list[int]) -> None:
        self.resources = resources
        self.dir = bench / "work" / f"kit-{resources}"
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        self.kit = gen_kit.write_kit(self.dir / "kit", gen_kit.Spec(resources, tuple(ports)))
        urls, feeds = gen_kit.kit_urls(self.kit)
        archived = gen_kit.archived_urls(self.kit)  # not checked by plnkit: left out for all
        self.urls = [u for u in dict.fromkeys(urls + feeds) if u not in archived]
        self.feeds = feeds
        self.expected_broken = sum(
            bench_server.classify(urlsplit(u).path).outcome is bench_server.Outcome.NOT_FOUND
            for u in self.urls
        )
        (self.dir / "urls.txt").write_text("\n".join(self.urls) + "\n", encoding="utf-8")
        (self.dir / "feeds.txt").write_text("\n".join(feeds) + "\n", encoding="utf-8")
        links = "".join(
            f'<li><a href="{html.escape(u)}">link {i}</a></li>' for i, u in enumerate(self.urls)
        )
        (self.dir / "urls.html").write_text(
            f"<!doctype html><html><head><title>URLs</title></head><body><ul>{links}</ul>"
            "</body></html>\n",
            encoding="utf-8",
        )
        (self.dir / "linkcheckerrc").write_text(
            # Its defaults skip parsing pages over 1 MiB: the 10,000 list is bigger.
            f"[checking]\nthreads={IN_FLIGHT}\nmaxrequestspersecond=1000\n"
            "maxfilesizeparse=268435456\nmaxfilesizedownload=268435456\n",
            encoding="utf-8",
        )
        docs = self.dir / "docs"
        docs.mkdir()
        (docs / "index.md").write_text("# Benchmark kit\n\nGenerated.\n", encoding="utf-8")
        self.store = self.dir / ".cache" / "plnkit"
        (self.dir / "mkdocs.yml").write_text(
            f"site_name: Benchmark kit\n{THEME}plugins:\n  - search\n  - plnkit:\n"
            "      kit_dir: kit\n      cache_dir: .cache/plnkit\n      offline: true\n",
            encoding="utf-8",
        )

    def write_floor_config(self) -> None:
        from plnkit.kit.loader import load_kit
        from plnkit.render.pages import nav
        from plnkit.site.build import CSS_URI

        kit = load_kit(self.kit, allow_local=True).kit
        assert kit is not None, "the generated kit must validate"
        entries = "".join(
            f"  - {json.dumps(k)}: {json.dumps(v)}\n" for item in nav(kit) for k, v in item.items()
        )
        (self.dir / "floor" / "mkdocs.yml").write_text(
            f"site_name: Benchmark kit\n{THEME}extra_css: [{CSS_URI}]\nnav:\n{entries}"
            "plugins:\n  - search\n",
            encoding="utf-8",
        )

    def reset_store(self, snapshot: Path | None = None) -> Callable[[], None]:
        """A cold store for the next run: no link or feed results (only `snapshot`'s), but
        the kit files' check results kept, as after a site build: "cold" is about the
        network, and every checker is compared on the same links."""
        kit_files = self.store / "kit-files.json"

        def reset() -> None:
            kept = kit_files.read_bytes() if kit_files.exists() else None
            shutil.rmtree(self.store, ignore_errors=True)
            if snapshot is not None and snapshot.exists():
                shutil.copytree(snapshot, self.store)
            self.store.mkdir(parents=True, exist_ok=True)  # so the run keeps its kit cache
            if kept is not None:
                kit_files.write_bytes(kept)

        return reset


def json_line(text: str) -> dict:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return {}
    return {}


def broken_count(name: str, sample_output: str, scale: Scale) -> float | None:
    """How many broken links a tool reported, read from its own output."""
    try:
        if name == R.LYCHEE:
            return json.loads((scale.dir / "lychee.json").read_text())["errors"]
        if name == R.LINKCHECKER:
            found = re.search(r"(\d+) errors? found", sample_output)
            return (
                int(found.group(1))
                if found
                else (0 if "No errors found" in sample_output else None)
            )
        if name == R.LINKINATOR:
            return len(re.findall(r'"state":\s*"BROKEN"', sample_output))
        if name == R.FLOOR_LINKS:
            return json_line(sample_output).get("broken")
        if name == R.LINKS_COLD:
            return json.loads((scale.dir / "links.json").read_text())["summary"]["broken"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None
