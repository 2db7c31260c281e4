"""Time one PLN Kit library call in-process: the checker's or fetcher's own time, without
interpreter start-up, imports or loading the kit.

    python scripts/bench_inproc.py plnkit.links.run:check_kit_links KIT CACHE_DIR \
        --set concurrency=64 --set per_host=64 --set min_interval=0

The call's arguments are filled by name from what the benchmark knows (the kit, its folder,
the cache folder or a StateStore on it, allow_local=True). `--set NAME=VALUE` builds the
call's `options` (its annotated class, e.g. CheckOptions) with those fields and allow_local,
so the call runs with the settings the whole-process command was given. A required argument
it cannot fill makes it print {"error": ...} rather than guess; the benchmark then says so.
The call is made twice and the second one timed, so what the library imports on its first
network run is not counted. Prints one JSON line:
{"seconds": S, "api": "module:function(arguments)"}.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import inspect
import json
import time
import typing
from pathlib import Path
from typing import Any


def known_arguments(kit_dir: Path, cache_dir: Path) -> dict[str, Any]:
    from plnkit.kit.loader import load_kit
    from plnkit.store import StateStore

    result = load_kit(kit_dir, allow_local=True)
    if result.kit is None:
        raise SystemExit(json.dumps({"error": f"the kit {kit_dir} does not validate"}))
    store = StateStore(cache_dir)
    return {
        "kit": result.kit,
        "kit_dir": kit_dir,
        "cache_dir": cache_dir,
        "store": store,
        "state_store": store,
        "allow_local": True,
        "offline": False,
    }


def bind(function: Any, known: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """Positional and keyword arguments for `function`; ValueError names one it cannot fill."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name not in known:
            if parameter.default is parameter.empty:
                raise ValueError(f"required argument {name!r} is not one the benchmark knows")
            continue
        if parameter.kind is parameter.POSITIONAL_ONLY:
            args.append(known[name])
        else:
            kwargs[name] = known[name]
    return args, kwargs


def options_for(function: Any, settings: dict[str, Any]) -> Any:
    """The function's `options` argument (its annotated dataclass) with `settings` set."""
    # Only this one annotation is evaluated: others may name types imported for checkers only.
    hint: Any = inspect.signature(function).parameters["options"].annotation
    if isinstance(hint, str):
        hint = eval(hint, function.__globals__)  # an annotation of our own code
    kinds = [k for k in (typing.get_args(hint) or (hint,)) if dataclasses.is_dataclass(k)]
    if not kinds:
        raise ValueError("it takes no `options` to --set")
    names = {f.name for f in dataclasses.fields(kinds[0])}
    unknown = sorted(set(settings) - names)
    if unknown:
        raise ValueError(f"{kinds[0].__name__} has no {', '.join(unknown)}")
    return kinds[0](**settings)


def setting(text: str) -> tuple[str, Any]:
    name, _, value = text.partition("=")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("api", help="module:function")
    parser.add_argument("kit", type=Path)
    parser.add_argument("cache_dir", type=Path)
    parser.add_argument("--set", action="append", default=[], type=setting, metavar="NAME=VALUE")
    args = parser.parse_args()
    module_name, _, function_name = args.api.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
        known = known_arguments(args.kit, args.cache_dir)
        if args.set:
            known["options"] = options_for(function, {"allow_local": True, **dict(args.set)})
        positional, keywords = bind(function, known)
    except (ImportError, AttributeError, ValueError, TypeError, NameError) as err:
        print(json.dumps({"error": f"{args.api}: {err}"}))
        return 0
    # Once untimed, then timed: the library imports what a network run needs (the HTTP
    # client, the parsers) at its first such run, and the figure is the call's own work.
    # The warm calls this times leave the store as warm as they found it.
    function(*positional, **keywords)
    started = time.perf_counter()
    function(*positional, **keywords)
    seconds = time.perf_counter() - started
    shown = ", ".join([*(type(a).__name__ for a in positional), *keywords])
    print(json.dumps({"seconds": round(seconds, 4), "api": f"{args.api}({shown})"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
