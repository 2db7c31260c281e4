"""The package's house rules, read from its own imports: stages, no cycle, public APIs only.

Each folder of `plugins/plnkit/` is a stage of the data flow (DESIGN.md §1); its
`__init__.py` says what it may import, and this test holds the code to that.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "plnkit"
TOP_LEVEL = {"__init__", "__main__", "cli"}
STAGES = {"store", "kit", "edit", "net", "links", "feeds", "render", "exports", "site",
          "adapters", "commands"}  # fmt: skip
# What each stage may import of the package (besides itself and `plnkit.__version__`).
ALLOWED = {
    "store": set(),
    "kit": {"store"},  # the per-file kit cache lives in the state store
    "net": {"kit", "store"},
    "links": {"kit", "store", "net"},
    "feeds": {"kit", "store", "net"},
    "render": {"kit", "links", "feeds"},
    "exports": {"kit", "net", "links", "feeds", "render"},
    "site": {"kit", "store", "net", "links", "feeds", "render", "exports"},
    "edit": {"kit", "site"},
    "adapters": {"kit", "store", "net", "links", "feeds", "render", "exports", "site", "edit"},
    "commands": STAGES | {"cli"},
    "cli": {"commands"},
    "__main__": {"cli"},
    "__init__": set(),
}
ENGINES = {"mkdocs", "material", "properdocs", "zensical"}


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name, e.g. plnkit.kit.loader
    target: str  # dotted module (or module.name) imported
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield module_name(path), path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def imports_of(name: str, tree: ast.Module) -> Iterator[Import]:
    package = name if tree and name.count(".") == 0 else name.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))  # fmt: skip
            for alias in node.names:
                yield Import(name, f"{base}.{alias.name}", node.lineno)


def stage_of(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


ALL = list(modules())
NAMES = {name for name, _, _ in ALL}


def own_module(target: str) -> str | None:
    """The package module an import names (`plnkit.kit.loader.load_kit` -> its module)."""
    while target:
        if target in NAMES:
            return target
        target = target.rpartition(".")[0]
    return None


def test_the_top_level_holds_only_the_command_line_and_the_store() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top <= TOP_LEVEL, f"move {sorted(top - TOP_LEVEL)} into a stage folder"
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == STAGES


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_each_stage_says_what_it_does_and_may_import(stage: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text()))
    assert doc and "import" in doc.lower(), f"{stage}/__init__.py needs its one docstring"


def test_each_stage_imports_only_what_it_may() -> None:
    wrong = []
    for name, path, tree in ALL:
        stage = stage_of(name)
        for imp in imports_of(name, tree):
            target = own_module(imp.target)
            if target is None or target == "plnkit":
                continue
            other = stage_of(target)
            if other != stage and other not in ALLOWED[stage]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{imp.line}: {stage} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_there_is_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {name: set() for name in NAMES}
    for name, _, tree in ALL:
        for imp in imports_of(name, tree):
            target = own_module(imp.target)
            if target and target != name and target != "plnkit":
                graph[name].add(target)
    cycles = strongly_connected(graph)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in cycles)


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iteratively; the components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(component)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [{"a", "b"}]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_only_adapters_import_an_engine() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE)}:{imp.line}: {imp.target}"
        for name, path, tree in ALL
        if stage_of(name) != "adapters"
        for imp in imports_of(name, tree)
        if imp.target.split(".")[0] in ENGINES
    ]
    assert not wrong, "only plnkit/adapters/ may import an engine:\n" + "\n".join(wrong)


def private_uses(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """`module._name` or `from module import _name` for a module not of this package."""
    outside: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not alias.name.startswith("plnkit"):
                    outside.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module.startswith("plnkit"):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield node.lineno, f"from {node.module} import {alias.name}"
                elif alias.name not in sys.builtin_module_names:
                    outside.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and isinstance(node.value, ast.Name | ast.Attribute)
        ):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in outside:
                yield node.lineno, ast.unparse(node)


def test_no_module_uses_another_packages_private_names() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE)}:{line}: {text}"
        for _, path, tree in ALL
        for line, text in private_uses(tree)
    ]
    assert not wrong, "use the library's public API:\n" + "\n".join(wrong)


def test_the_private_name_check_sees_both_forms() -> None:
    tree = ast.parse("import http.client\nfrom json import _x\nhttp.client._MAXLINE\n")
    assert [line for line, _ in private_uses(tree)] == [2, 3]


HTTP_LIBRARIES = {"aiohttp", "requests", "urllib3", "httpx", "http.client", "urllib.request"}


def test_only_net_speaks_http() -> None:
    """One HTTP client for links and feeds: no other stage imports an HTTP library."""
    wrong = [
        f"{path.relative_to(PACKAGE)}:{imp.line}: {imp.target}"
        for name, path, tree in ALL
        if stage_of(name) != "net"
        for imp in imports_of(name, tree)
        if any(imp.target == lib or imp.target.startswith(lib + ".") for lib in HTTP_LIBRARIES)
    ]
    assert not wrong, "only plnkit/net/ may import an HTTP library:\n" + "\n".join(wrong)
