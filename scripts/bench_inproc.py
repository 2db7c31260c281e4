"""Time one PLN Kit library call in-process: the checker's or fetcher's own time, without
interpreter start-up, imports or loading the kit.

    python scripts/bench_inproc.py plnkit.links:check_kit_links KIT CACHE_DIR

The call's arguments are filled by name from what the benchmark knows (the kit, its folder,
the cache folder or a StateStore on it, allow_local=True). A required argument it cannot fill
makes it print {"error": ...} rather than guess; the benchmark then says so in its table.
Prints one JSON line: {"seconds": S, "api": "module:function(arguments)"}.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import time
from pathlib import Path
from typing import Any


def known_arguments(kit_dir: Path, cache_dir: Path) -> dict[str, Any]:
    from plnkit.loader import load_kit
    from plnkit.state_store import StateStore

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("api", help="module:function")
    parser.add_argument("kit", type=Path)
    parser.add_argument("cache_dir", type=Path)
    args = parser.parse_args()
    module_name, _, function_name = args.api.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
        positional, keywords = bind(function, known_arguments(args.kit, args.cache_dir))
    except (ImportError, AttributeError, ValueError) as err:
        print(json.dumps({"error": f"{args.api}: {err}"}))
        return 0
    started = time.perf_counter()
    function(*positional, **keywords)
    seconds = time.perf_counter() - started
    shown = ", ".join([*(type(a).__name__ for a in positional), *keywords])
    print(json.dumps({"seconds": round(seconds, 4), "api": f"{args.api}({shown})"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
