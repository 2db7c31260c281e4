"""One MkDocs build of a binder site, from a kept output when nothing changed (`build_cache`).

The adapter (`mkdocs_plugin`) calls one method per MkDocs event. A build that finds a usable
kept output never imports the loader, the renderer or the exports: it configures the site from
the kept binder, hands MkDocs the kept pages and copies the kept exports. Otherwise it builds as
always (`build_support`) and keeps what it made for the next build.
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plnkit import build_cache as bc
from plnkit import heap
from plnkit.model import Binder
from plnkit.net.clock import Clock
from plnkit.net.offline import env_offline
from plnkit.site_config import asset_files, configure

if TYPE_CHECKING:
    from plnkit.model import Kit
    from plnkit.site_state import SiteState

Log = logging.Logger | logging.LoggerAdapter


class FrozenClock:
    """The build's one moment: freshness and the exports' time stamps agree, kept or not."""

    def __init__(self, clock: Clock, moment: dt.datetime) -> None:
        self.clock, self.moment = clock, moment

    def now(self) -> dt.datetime:
        return self.moment

    def monotonic(self) -> float:
        return self.clock.monotonic()

    async def pause(self, seconds: float) -> None:
        await self.clock.pause(seconds)


def uses_network(options: Any) -> bool:
    """Whether the build may check links or fetch feeds (and so change the store)."""
    offline = bool(options["offline"]) or env_offline()
    return not offline and bool(options["links"]["check"] or options["feeds"]["fetch"])


@dataclass
class Kept:
    """A usable kept output: the manifest and the folder of its files."""

    manifest: dict[str, Any]
    folder: Path
    binder: Binder


@dataclass
class Recording:
    """What this build made, to keep once the exports are written."""

    key: str
    paths: list[str]
    digest: str
    settled: bool
    logs: dict[str, list[bc.Record]] = field(default_factory=dict)
    nav: list[dict[str, str]] = field(default_factory=list)
    binder: dict[str, Any] | None = None
    pages: dict[str, str] = field(default_factory=dict)


class PluginBuild:
    def __init__(self, options: Any, config_file: str | None, clock: Clock, log: Log) -> None:
        self.options, self.config_file, self.log = options, config_file, log
        root = Path(config_file).resolve().parent if config_file else Path.cwd()
        self.cache_dir = root / options["cache_dir"]
        self.kit_dirs = (root / options["kit_dir"], *(root / d for d in options["extra_kit_dirs"]))
        self.cacheable = bool(options["build_cache"]) and not uses_network(options)
        self.moment = clock.now()
        self.clock: Clock = FrozenClock(clock, self.moment) if self.cacheable else clock
        self.kept: Kept | None = None
        self.recording: Recording | None = None
        self.kit: Kit | None = None
        self.state: SiteState | None = None
        self.binder: Binder | None = None
        self.loaded = 0  # how many times this build loaded the kit (tests read it)

    # --- on_config -------------------------------------------------------------------------
    def configure(self, config: Any) -> None:
        """Configure the site from a kept output, or load the kit (KitInvalid on errors)."""
        if self.cacheable and self.cache_dir.is_dir():
            key = bc.build_key(self.options, self.config_file, self.moment)
            self.kept = self._lookup(key)
            if self.kept is None:
                self._start_recording(key)
        if self.kept is not None:
            bc.replay(self.kept.manifest["logs"]["load"])
            self.binder = self.kept.binder
            configure(config, self.kept.manifest["nav"], self.binder)
            return
        from plnkit import build_support
        from plnkit.render.pages import nav

        self._load("load")
        assert self.kit is not None
        self.binder = self.kit.binder
        if self.recording:
            self.recording.nav = nav(self.kit)
            self.recording.binder = bc.binder_json(self.kit.binder)
        build_support.configure_site(config, self.kit)

    def _lookup(self, key: str) -> Kept | None:
        manifest = bc.read_manifest(self.cache_dir)
        if manifest.get("key") != key or manifest.get("format") != bc.FORMAT:
            return None
        try:
            made, until = bc.parse_iso(manifest["made"]), manifest["until"]
            if self.moment < made or (until and self.moment > bc.parse_iso(until)):
                return None
            if not bc.fresh(manifest["inputs"], manifest["digest"]):
                return None
            folder = self.cache_dir / bc.DOCUMENT / manifest["folder"]
            return Kept(manifest, folder, bc.binder_from_json(manifest["binder"]))
        except (KeyError, TypeError, ValueError) as err:
            self._unusable(f"its manifest is incomplete ({err.__class__.__name__})")
            return None

    def _start_recording(self, key: str) -> None:
        paths = bc.input_paths(self.kit_dirs, self.cache_dir)
        if paths is None:
            return  # a symbolic link in the kit: never kept
        digest, newest = bc.stamps_digest(paths)
        self.recording = Recording(key, paths, digest, bc.settled(newest))

    def _unusable(self, why: str, *, discard: bool = False) -> None:
        self.log.warning(
            "the kept build output in %s is unusable (%s); building from the kit",
            self.cache_dir / bc.DOCUMENT,
            why,
        )
        if discard:  # so the next build makes and keeps a whole new one
            bc.discard(self.cache_dir)

    def _load(self, step: str) -> None:
        from plnkit import build_support

        self.loaded += 1
        setup = build_support.settings(self.options, self.config_file)
        with self._capture(step):
            self.kit = build_support.load_or_fail(setup, self.log)

    def _capture(self, step: str) -> AbstractContextManager[None]:
        if self.recording is None:
            return nullcontext()
        return bc.captured(self.recording.logs.setdefault(step, []))

    # --- on_files --------------------------------------------------------------------------
    def files(self) -> dict[str, str | Path]:
        """The generated pages and assets, as MkDocs' virtual files."""
        if self.kept is not None:
            try:
                pages = self._kept_pages(self.kept)
            except (OSError, UnicodeDecodeError, bc.Unusable, KeyError, TypeError) as err:
                self._unusable(str(err), discard=True)
                self.kept = None
                self._load("load")
            else:
                bc.replay(self.kept.manifest["logs"]["state"])
                return {**pages, **asset_files()}
        from plnkit import build_support

        assert self.kit is not None
        setup = build_support.settings(self.options, self.config_file)
        with heap.collector_paused(), self._capture("state"):
            self.state = build_support.build_state(self.kit, setup, self.log, self.clock)
            generated = build_support.generated_files(self.kit, setup, self.log, self.state)
        if self.recording:
            self.recording.pages = {u: c for u, c in generated.items() if isinstance(c, str)}
        return generated

    @staticmethod
    def _kept_pages(kept: Kept) -> dict[str, str]:
        pages = {}
        for uri, file, size in kept.manifest["pages"]:
            data = (kept.folder / file).read_bytes()
            if len(data) != size:
                raise bc.Unusable(f"{kept.folder / file} is not the size it was written with")
            pages[uri] = data.decode("utf-8")
        return pages

    # --- on_post_build ---------------------------------------------------------------------
    def post_build(self, site_dir: Path) -> None:
        """Write the exports beside the built pages (kept ones, or made now and kept)."""
        if self.kept is not None:
            try:
                bc.copy_out(self.kept.folder, self.kept.manifest, site_dir, self.moment)
            except (OSError, bc.Unusable, KeyError, TypeError, ValueError) as err:
                self._unusable(str(err), discard=True)
                self.kept = None
                self._load("load")
            else:
                bc.replay(self.kept.manifest["logs"]["exports"])
                return
        from plnkit import build_support

        assert self.kit is not None
        setup = build_support.settings(self.options, self.config_file)
        with heap.collector_paused():
            if self.state is None:  # the kept pages were handed out, the exports were not
                self.state = build_support.build_state(self.kit, setup, self.log, self.clock)
            with self._capture("exports"):
                written = build_support.write_outputs(
                    self.kit, setup, site_dir, self.log, self.state, self.clock.now()
                )
        if self.recording is not None and self.recording.settled:
            self._keep(self.recording, site_dir, written)

    def _keep(self, recording: Recording, site_dir: Path, written: list[Path]) -> None:
        from plnkit.build_keep import keep_output

        assert self.state is not None
        keep_output(self.cache_dir, recording, self.state, self.options, self.moment,
                    site_dir, written)  # fmt: skip
