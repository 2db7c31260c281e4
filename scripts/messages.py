"""Keep plnkit's message catalogues in step with the code: `make messages`.

Finds every `_("…")`, `N_("…")` and `ngettext("…", "…", n)` in render/ and site/ (with the
standard `ast` module, which also sees calls inside f-strings), writes the template
`plugins/plnkit/locale/plnkit.pot`, merges it into each language's `plnkit.po` (new messages
arrive untranslated, gone ones are dropped), and compiles every `.po` to the `.mo` plnkit reads.
"""

from __future__ import annotations

import ast
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "plugins" / "plnkit"
LOCALE_DIR = PACKAGE / "locale"
SOURCES = ("render", "site")
Message = str | tuple[str, str]


def messages_in(path: Path) -> Iterator[Message]:
    """The messages one module asks for, in order."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
        texts = [t for t in texts if isinstance(t, str)]
        if node.func.id in ("_", "N_") and len(texts) == 1:
            yield texts[0]
        elif node.func.id == "ngettext" and len(texts) == 2:
            yield (texts[0], texts[1])


def all_messages() -> list[Message]:
    found: dict[str, Message] = {}
    for folder in SOURCES:
        for path in sorted((PACKAGE / folder).glob("*.py")):
            for message in messages_in(path):
                found.setdefault(message if isinstance(message, str) else message[0], message)
    return [found[key] for key in sorted(found)]


def template() -> Catalog:
    catalog = Catalog(project="plnkit", domain="plnkit")
    for message in all_messages():
        catalog.add(message)
    return catalog


def _pairs(catalog: Catalog) -> dict[object, object]:
    def key(value: object) -> object:
        if value is None:  # a message new from the template: not translated yet
            return ""
        return value if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]

    return {key(m.id): key(m.string) for m in catalog if m.id}


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` unless the file already holds it (a second run changes nothing)."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def compile_all() -> list[Path]:
    written = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/plnkit.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        out = io.BytesIO()
        write_mo(out, catalog, use_fuzzy=False)
        if _write_if_changed(po.with_suffix(".mo"), out.getvalue()):
            written.append(po.with_suffix(".mo"))
    return written


def main() -> int:
    pot = template()
    out = io.BytesIO()
    write_po(out, pot, omit_header=True, no_location=True, sort_output=True)
    _write_if_changed(LOCALE_DIR / "plnkit.pot", out.getvalue())
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/plnkit.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        before = _pairs(catalog)
        catalog.update(pot, no_fuzzy_matching=True)
        if _pairs(catalog) != before:  # only a real change rewrites the file (and its date)
            out = io.BytesIO()
            write_po(out, catalog, no_location=True, sort_output=True, ignore_obsolete=True)
            _write_if_changed(po, out.getvalue())
        missing = [m.id for m in catalog if m.id and not m.string]
        if missing:
            print(f"{po.relative_to(ROOT)}: {len(missing)} message(s) to translate")
    for mo in compile_all():
        print(f"compiled {mo.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
