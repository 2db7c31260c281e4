"""The kit a project builds, read from its `mkdocs.yml`, so commands see what the site shows.

`mkdocs build` takes the kit from the plnkit plugin's options: `kit_dir`, a fork's own
`extra_kit_dirs` merged over it, and `exclude`. `plnkit validate`, `check-links`, `fetch-feeds`,
`export` and `from-issue` use the same layout when they are run without an explicit KIT in a
folder whose `mkdocs.yml` has a plnkit entry (or with `--config FILE`); an explicit KIT means
that one folder, as always.

mkdocs.yml is read the way MkDocs reads it (`INHERIT`, `!ENV`), with any other tag
(`!relative`, `!!python/name:…`) taken as plain data, so reading never imports or runs
anything. The options are checked by the plugin's own typed config, so the defaults are the
plugin's defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plnkit.kit.problems import display_path

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")  # the files `mkdocs build` looks for
PLUGIN_NAME = "plnkit"
DEFAULT_KIT = Path("kit")
DEFAULT_CACHE = Path(".cache/plnkit")


class ConfigError(Exception):
    """mkdocs.yml cannot say which kit to use; the message names the file and the fix."""


@dataclass(frozen=True)
class KitLayout:
    """Where a project's kit lives: the upstream folder, a fork's folders, hidden slugs."""

    kit_dir: Path
    extra_kit_dirs: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    cache_dir: Path = DEFAULT_CACHE
    config_file: Path | None = None  # the mkdocs.yml it came from, if any

    @property
    def local_dir(self) -> Path:
        """Where new resources go: a fork's own folder (the last of `extra_kit_dirs`, whose
        files win), else the kit folder itself."""
        return self.extra_kit_dirs[-1] if self.extra_kit_dirs else self.kit_dir

    @property
    def dirs(self) -> tuple[Path, ...]:
        return (self.kit_dir, *self.extra_kit_dirs)

    def shown(self, path: Path) -> str:
        """A folder as the user named it: as typed for KIT, relative for mkdocs.yml's."""
        return display_path(path) if self.config_file else str(path)

    def label(self) -> str:
        """The kit's folders for messages, e.g. `kit + kit-local`."""
        return " + ".join(self.shown(d) for d in self.dirs)


class _TolerantLoader(yaml.SafeLoader):
    """Safe YAML where a tag this reader does not know yields its plain value."""


def _untagged(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


_TolerantLoader.add_constructor(None, _untagged)  # type: ignore[arg-type]


def read_config(path: Path) -> dict[str, Any]:
    """mkdocs.yml as data: `INHERIT` merged and `!ENV` resolved as MkDocs does."""
    # MkDocs is imported here, not at start-up: a command given its KIT never needs it.
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    try:
        with path.open("rb") as handle:
            data = yaml_load(handle, get_yaml_loader(loader=_TolerantLoader))
    except OSError as err:
        raise ConfigError(f"{display_path(path)}: cannot read it: {err.strerror or err}") from None
    except ConfigurationError as err:
        found = err.__context__  # MkDocs words a YAML error without its position; use the cause
        if isinstance(found, yaml.MarkedYAMLError) and found.problem_mark is not None:
            mark = found.problem_mark
            where = f"{display_path(Path(mark.name))}:{mark.line + 1}:{mark.column + 1}"
            raise ConfigError(f"{where}: not valid YAML: {found.problem}") from None
        raise ConfigError(f"{display_path(path)}: {err}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{display_path(path)}: expected `key: value` settings")
    return data


def plugin_options(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The plnkit plugin's options in a config, or None when it lists no plnkit plugin.

    >>> plugin_options({"plugins": ["search", {"plnkit": {"kit_dir": "k"}}]})
    {'kit_dir': 'k'}
    >>> plugin_options({"plugins": {"plnkit": None}}), plugin_options({"plugins": ["search"]})
    ({}, None)
    """
    plugins = data.get("plugins")
    if isinstance(plugins, Mapping):  # MkDocs also accepts plugins as a mapping
        entries: list[tuple[Any, Any]] = list(plugins.items())
    elif isinstance(plugins, list):
        entries = []
        for item in plugins:
            if isinstance(item, Mapping):
                entries.extend(item.items())
            else:
                entries.append((item, None))
    else:
        return None
    for name, options in entries:
        if name == PLUGIN_NAME:
            return dict(options) if isinstance(options, Mapping) else {}
    return None


def layout_from_config(path: Path) -> KitLayout | None:
    """The kit layout `path` (a mkdocs.yml) builds; None when it has no plnkit plugin."""
    from plnkit.adapters.mkdocs_config import PlnKitConfig

    options = plugin_options(read_config(path))
    if options is None:
        return None
    checked = PlnKitConfig(config_file_path=str(path))
    checked.load_dict(options)
    errors, _warnings = checked.validate()
    if errors:
        key, error = errors[0]
        raise ConfigError(f"{display_path(path)}: plnkit option `{key}`: {error}")
    root = path.resolve().parent
    return KitLayout(
        kit_dir=root / checked["kit_dir"],
        extra_kit_dirs=tuple(root / d for d in checked["extra_kit_dirs"]),
        exclude=tuple(checked["exclude"]),
        cache_dir=root / checked["cache_dir"],
        config_file=path,
    )


def find_config(folder: Path) -> Path | None:
    """The config file `mkdocs build` would use in `folder`, if there is one."""
    return next((folder / n for n in CONFIG_NAMES if (folder / n).is_file()), None)


def resolve_layout(
    kit: Path | None, config: Path | None = None, folder: Path | None = None
) -> KitLayout:
    """The kit a command works on.

    An explicit `kit` is that folder alone; `config` must be a mkdocs.yml with a plnkit
    plugin; with neither, the mkdocs.yml in `folder` (default: the working folder) is used
    when it has a plnkit plugin, else `./kit`.
    """
    if kit is not None and config is not None:
        raise ConfigError("give either a KIT folder or --config, not both")
    if kit is not None:
        return KitLayout(kit_dir=kit)
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"--config {config}: no such file")
        layout = layout_from_config(config)
        if layout is None:
            raise ConfigError(f"{display_path(config)}: no `{PLUGIN_NAME}` entry under `plugins`")
        return layout
    found = find_config(folder or Path.cwd())
    layout = layout_from_config(found) if found else None
    return layout or KitLayout(kit_dir=DEFAULT_KIT)
