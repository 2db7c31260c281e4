"""Safe YAML reading that keeps where every value came from.

PyYAML's loaders silently keep the last of two duplicate keys, expand aliases and build
Python objects from custom tags. A contributed kit file gets none of that: this module builds
plain data from the parser's *events*, so every anchor, alias, custom tag and duplicate key is
seen and reported with its line and column, and nothing is ever constructed from a tag.
An alias is never expanded (it becomes an empty value), so an "alias bomb" costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

try:  # libyaml's parser is several times faster; the pure-Python one gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32  # a resource file needs 3 levels; deeper is a mistake (or an attack)

Path_ = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_STR = f"{_STD}str"
_ALLOWED_EXPLICIT = {_STR, "!"}
_constructor = yaml.constructor.SafeConstructor()
_QUOTED = frozenset(("'", '"', "|", ">"))
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers


class Position(NamedTuple):
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Issue:
    """A problem found while reading, before any schema is applied."""

    position: Position
    message: str


@dataclass
class Document:
    """Plain data (dict/list/str/int/float/bool/None/date) plus where each value sits.

    Keys are always the text as written (`NO: x` has the key "NO", not False).
    """

    data: Any
    # Parser marks (0-based) of each value and each key; read them through the methods below,
    # which turn them into 1-based positions only for the few that are ever reported.
    marks: dict[Path_, Any] = field(default_factory=dict)
    key_marks: dict[Path_, Any] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)  # scalar text as written
    refused: set[Path_] = field(default_factory=set)  # aliases and tagged values, left empty
    issues: list[Issue] = field(default_factory=list)

    def value_at(self, path: Path_) -> Position | None:
        """The exact position of the value at `path`, or None when there is none."""
        mark = self.marks.get(tuple(path))
        return _pos(mark) if mark is not None else None

    def where(self, path: Path_) -> Position:
        """The closest known position for `path`: the value, its key, or a parent."""
        probe = tuple(path)
        while True:
            mark = self.marks.get(probe) or self.key_marks.get(probe)
            if mark is not None:
                return _pos(mark)
            if not probe:
                return Position(1, 1)
            probe = probe[:-1]

    def key_where(self, path: Path_) -> Position:
        """Where the key of `path` is written (the start of its line), else `where(path)`."""
        mark = self.key_marks.get(tuple(path))
        return _pos(mark) if mark is not None else self.where(path)

    def key_lines(self) -> dict[str, int]:
        """The 1-based line of each top-level key."""
        return {str(path[0]): m.line + 1 for path, m in self.key_marks.items() if len(path) == 1}


def printable(text: str) -> str:
    """Text from a file as it can be shown inside a one-line message (escapes if needed).

    >>> printable("name"), printable("a\\nb")
    ('name', 'a\\\\nb')
    """
    return text if text.isprintable() else repr(text)[1:-1]


def _pos(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _scalar(event: yaml.ScalarEvent) -> Any:
    """The value YAML 1.1 (PyYAML's rules) gives a scalar: what a contributor's file means."""
    tag = event.tag
    if tag is None or tag == "!":
        if event.style in _QUOTED or not event.implicit[0]:
            return event.value  # quoted and block scalars are always text
        tag = _plain_tag(event.value)
    if tag == _STR:
        return event.value
    builder = _constructor.yaml_constructors.get(tag)
    if builder is None:
        return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return builder(_constructor, node)
    except (ValueError, OverflowError, yaml.YAMLError):
        return event.value


def _plain_tag(value: str) -> str:
    """PyYAML's implicit typing of a plain scalar (what Resolver.resolve does, minus overhead)."""
    for tag, pattern in _IMPLICIT.get(value[0] if value else "", ()):
        if pattern.match(value):
            return tag
    return _STR


def _events(text: str) -> Any:
    loader = _Loader(text)
    try:
        while True:
            event = loader.get_event()
            if event is None or type(event) is yaml.StreamEndEvent:
                return
            yield event
    finally:
        loader.dispose()


def _hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return " (a value containing ': ' needs quotes around it)"
    if "found character '\\t'" in problem or "found character that cannot start" in problem:
        return " (indent with spaces, not tabs; values starting with @ or ` need quotes)"
    if "could not find expected ':'" in problem:
        return " (each line needs `field: value`; check the line above for a missing colon)"
    if "found undefined alias" in problem or "found unknown escape" in problem:
        return " (put the value in quotes)"
    if "found unexpected end of stream" in problem or "while scanning a quoted" in problem:
        return " (a quote was opened and never closed)"
    return " (check indentation, quotes and colons on this line and the one above)"


def decode(data: bytes) -> tuple[str | None, Issue | None]:
    """UTF-8 text of a file, or an issue pointing at the first byte that is not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        return None, Issue(
            Position(line, column),
            f"the file is not UTF-8 text (byte 0x{data[err.start]:02x}); "
            "save it with UTF-8 encoding",
        )
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return None, Issue(
            Position(line, column), "the file contains a NUL byte; it is not a text file"
        )
    return text, None


class _Builder:
    """Turns parser events into plain data, recording positions and every issue."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        # For each open container: [container, its path, pending key, seen keys, start event,
        # whether the container is itself a key (`? [a, b]`: reported, then named by position),
        # whether it carries a refused tag (then it is left empty, like a tagged scalar)].
        self.stack: list[list[Any]] = []

    def issue(self, event: Any, message: str) -> None:
        self.doc.issues.append(Issue(_pos(event.start_mark), message))

    def child_path(self) -> Path_:
        if not self.stack:
            return ()
        container, path, key = self.stack[-1][:3]
        return (*path, len(container)) if isinstance(container, list) else (*path, key)

    def is_key(self) -> bool:
        top = self.stack[-1] if self.stack else None
        return top is not None and isinstance(top[0], dict) and top[2] is _NO_KEY

    def key(self, text: str, event: Any, refused: bool = False) -> None:
        top = self.stack[-1]
        here = event.start_mark
        seen = top[3]
        if text in seen:
            first = seen[text]
            self.issue(
                event,
                f"duplicate key `{printable(text)}` (first set on line {first.line + 1}); "
                "keep one and delete the other",
            )
        else:
            seen[text] = here
            self.doc.key_marks[(*top[1], text)] = here
        if refused:
            self.doc.refused.add((*top[1], text))
        top[2] = text

    def value(self, value: Any, event: Any, raw: str | None = None, refused: bool = False) -> None:
        doc = self.doc
        if not self.stack:
            doc.data = value
            doc.marks[()] = event.start_mark
            if refused:
                doc.refused.add(())
            return
        top = self.stack[-1]
        container, path = top[0], top[1]
        if isinstance(container, list):
            item_path = (*path, len(container))
            container.append(value)
        else:
            key = top[2]
            top[2] = _NO_KEY
            item_path = (*path, key)
            if key in container:  # duplicates keep the first value; the issue is reported
                return
            container[key] = value
        doc.marks[item_path] = event.start_mark
        if refused:
            doc.refused.add(item_path)
        if raw is not None:
            doc.raw[item_path] = raw

    def refuse_anchor_and_tag(self, event: Any) -> bool:
        """Report an anchor or a custom tag; True when the value must be left empty."""
        if getattr(event, "anchor", None):
            self.issue(
                event, f"anchors (&{event.anchor}) are not allowed; write the value out in full"
            )
        tag = getattr(event, "tag", None)
        if (
            tag
            and tag not in _ALLOWED_EXPLICIT
            and not (
                isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
                and tag in (f"{_STD}map", f"{_STD}seq")
            )
        ):
            self.issue(
                event,
                f"the tag `{tag.replace(_STD, '!!')}` is not allowed; remove it and write "
                "plain text",
            )
            return True
        return False


def parse(text: str) -> Document:
    """Read one YAML document into plain data, collecting every issue instead of raising."""
    doc = Document(data=None)
    build = _Builder(doc)
    documents = 0
    try:
        for event in _events(text):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                tag = event.tag
                if tag is not None or event.anchor is not None:
                    build.refuse_anchor_and_tag(event)
                if build.is_key():
                    build.key(event.value, event)
                    continue
                tagged = tag is not None and tag not in _ALLOWED_EXPLICIT
                if tagged:
                    build.value(None, event, raw=event.value, refused=True)
                else:
                    build.value(_scalar(event), event, raw=event.value)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                tagged = build.refuse_anchor_and_tag(event)
                if len(build.stack) >= MAX_DEPTH:
                    build.issue(event, f"the file is nested more than {MAX_DEPTH} levels deep")
                    doc.data = None
                    return doc
                as_key = build.is_key()
                if as_key:
                    build.issue(event, "a key must be plain text")
                container: Any = {} if kind is yaml.MappingStartEvent else []
                path = () if as_key else build.child_path()
                build.stack.append([container, path, _NO_KEY, {}, event, as_key, tagged])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                container, _, _, _, start, as_key, tagged = build.stack.pop()
                if as_key:
                    build.key(f"<key on line {start.start_mark.line + 1}>", start, refused=True)
                elif tagged:
                    build.value(None, start, refused=True)
                else:
                    build.value(container, start)
            elif kind is yaml.AliasEvent:
                build.issue(
                    event,
                    f"aliases (*{event.anchor}) are not allowed; write the value out in full",
                )
                if build.is_key():
                    build.key(f"*{event.anchor}", event, refused=True)
                else:
                    build.value(None, event, refused=True)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    build.issue(event, "only one YAML document per file; remove the `---` line")
                    break
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or str(err)
        position = _pos(mark) if mark else Position(1, 1)
        doc.issues.append(Issue(position, f"YAML syntax error: {problem}{_hint(problem)}"))
        doc.data = None
    except yaml.reader.ReaderError:  # a character YAML does not allow in a file
        # libyaml counts bytes, the pure-Python reader characters: find the character again.
        found = yaml.reader.Reader.NON_PRINTABLE.search(text)
        at = found.start() if found else 0
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        code = ord(text[at]) if found else 0
        doc.issues.append(
            Issue(
                Position(line, column),
                f"the file contains the character U+{code:04X}, which YAML does not "
                "allow; delete it (it often comes from copying text out of another program)",
            )
        )
        doc.data = None
    except yaml.YAMLError as err:  # pragma: no cover - any other reading error, on one line
        doc.issues.append(Issue(Position(1, 1), "YAML error: " + " ".join(str(err).split())))
        doc.data = None
    return doc


class _NoKey:
    def __repr__(self) -> str:
        return "<no key>"


_NO_KEY: Any = _NoKey()
