"""Safe YAML reading that keeps where every value came from.

PyYAML's loaders silently keep the last of two duplicate keys, expand aliases and build
Python objects from custom tags. A contributed kit file gets none of that: this module reads the
node graph of `yaml.compose()` (PyYAML's composer; libyaml's when PyYAML has it) and builds plain
data from it, so every anchor, alias, custom tag and duplicate key is seen on the nodes and
reported with its line and column (the nodes' marks), and nothing is ever constructed from a
tag. An alias is never followed (it becomes an empty value), so an "alias bomb" costs nothing.
The walk keeps its own stack: a deep file is an error, never a RecursionError.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32  # a resource file needs 3 levels; deeper is a mistake (or an attack)

Path_ = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_STR = f"{_STD}str"
# The only tags a file may write out: text, and the plain map and list YAML makes anyway.
_ALLOWED = {yaml.ScalarNode: _STR, yaml.MappingNode: f"{_STD}map", yaml.SequenceNode: f"{_STD}seq"}
_BUILDERS = yaml.constructor.SafeConstructor.yaml_constructors
_constructor = yaml.constructor.SafeConstructor()
_NAME_END = frozenset(" \t\r\n,[]{}")
_BETWEEN = frozenset(" \t\r\n,:-?[{")  # what may stand between a node and the next one


class _DepthLoader(yaml.SafeLoader):
    """PyYAML's own composer (when PyYAML has no libyaml), stopped at a depth well within
    Python's recursion limit, as libyaml stops at its own limit of 1,000."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > COMPOSE_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, _TOO_DEEP, mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


COMPOSE_DEPTH = 2 * MAX_DEPTH
_TOO_DEEP = "exceeded maximum nesting depth"
_SECOND = "expected a single document in the stream"
_Loader: Any = getattr(yaml, "CSafeLoader", None) or _DepthLoader


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
    text: str | None = None  # the text it was parsed from, when `parse` made it

    def could_hold(self, found: Callable[[str], object]) -> bool:
        """Whether a string of `data` could hold what `found` finds in a text. Only when the
        text is known, has no backslash (YAML makes characters out of escapes, and only in
        double-quoted text) and `found` finds nothing in it, is the answer no: each string is
        then made of the text's own characters, with at most line breaks turned to spaces.
        One scan of the text then saves a walk over every string."""
        return self.text is None or "\\" in self.text or bool(found(self.text))

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


class _Text:
    """The file's text, for the few things a node does not carry: its anchor or tag as written,
    and where an alias stands (an alias is the node it names, met a second time)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    def mark(self, index: int) -> Any:
        if self._starts is None:
            self._starts = [0, *(i + 1 for i, c in enumerate(self.text) if c == "\n")]
        line = bisect_right(self._starts, index) - 1
        return yaml.Mark("<file>", index, line, index - self._starts[line], None, None)

    def properties(self, node: Any) -> tuple[str | None, str | None]:
        """The anchor name and the tag written at the start of `node`, if any."""
        text, i = self.text, node.start_mark.index
        anchor = tag = None
        while i < len(text) and text[i] in "&!":
            end = i
            while end < len(text) and text[end] not in _NAME_END:
                end += 1
            if text[i] == "&":
                anchor = text[i + 1 : end]
            else:
                tag = text[i:end]
            i = end
            while i < len(text) and text[i] in " \t\r\n":
                i += 1
        return anchor, tag

    def alias(self, after: int) -> tuple[str, int, int]:
        """The alias written first after index `after`: its name, start and end."""
        text, i = self.text, after
        while i < len(text) and text[i] != "*":
            if text[i] == "#":
                i = text.find("\n", i)
                i = len(text) if i < 0 else i
            elif text[i] in _BETWEEN or text[i] == "\ufeff":
                i += 1
            else:
                break
        if i >= len(text) or text[i] != "*":
            return "?", after, after
        end = i + 1
        while end < len(text) and text[end] not in _NAME_END:
            end += 1
        return text[i + 1 : end], i, end


def _scalar(node: yaml.ScalarNode) -> Any:
    """The value YAML 1.1 (PyYAML's rules) gives a scalar: what a contributor's file means."""
    builder = _BUILDERS.get(node.tag)
    if node.tag == _STR or builder is None:
        return node.value
    try:
        return builder(_constructor, node)
    except (ValueError, OverflowError, yaml.YAMLError):
        return node.value  # `2026-13-45`: text, which the schema and the rules then refuse


class _Walk:
    """Builds plain data from the node graph, recording positions and every issue.

    An alias is the node it names, met where that node does not start: a child is an alias
    when its node starts before the end of the sibling ahead of it (anchors come first)."""

    def __init__(self, doc: Document, text: str) -> None:
        self.doc = doc
        self.text = _Text(text)
        # Anchors are written with `&`, tags with `!`: a text with neither (most) has none.
        self.plain = "&" not in text and "!" not in text

    def issue(self, mark: Any, message: str) -> None:
        self.doc.issues.append(Issue(_pos(mark), message))

    def refused_tag(self, node: Any) -> bool:
        """Report an anchor or a tag written on `node`; True when the value must stay empty."""
        if self.plain:
            return False
        anchor, tag = self.text.properties(node)
        if anchor is not None:
            self.issue(
                node.start_mark, f"anchors (&{anchor}) are not allowed; write the value out in full"
            )
        if tag is None or tag == "!" or node.tag == _ALLOWED[type(node)]:
            return False
        shown = node.tag.replace(_STD, "!!") if node.tag.startswith(_STD) else node.tag
        self.issue(
            node.start_mark, f"the tag `{shown}` is not allowed; remove it and write plain text"
        )
        return True

    def alias(self, after: int) -> tuple[str, Any, int]:
        """Report the alias written after index `after`: its shown name, mark and end."""
        name, start, end = self.text.alias(after)
        mark = self.text.mark(start)
        self.issue(mark, f"aliases (*{name}) are not allowed; write the value out in full")
        return f"*{name}", mark, end

    def run(self, root: Any) -> None:
        """Walk depth first with an explicit stack of (node, path, parent container, key)."""
        doc = self.doc
        pending: list[tuple[Any, Path_, Any, Any, int]] = [(root, (), None, None, 0)]
        while pending:
            node, path, parent, key, after = pending.pop()
            if node.start_mark.index < after:  # an alias: the value stays empty
                _, mark, _ = self.alias(after)
                self.put(parent, path, key, None, mark, refused=True)
                continue
            refused = self.refused_tag(node)
            if isinstance(node, yaml.ScalarNode):
                value = None if refused else _scalar(node)
                self.put(parent, path, key, value, node.start_mark, refused, raw=node.value)
                continue
            if len(path) >= MAX_DEPTH:
                self.issue(node.start_mark, f"the file is nested more than {MAX_DEPTH} levels deep")
                doc.data = None
                return
            if refused:
                self.put(parent, path, key, None, node.start_mark, refused=True)
                continue
            container: Any = [] if isinstance(node, yaml.SequenceNode) else {}
            self.put(parent, path, key, container, node.start_mark, False)
            children = self.children(node, path, container)
            pending.extend(reversed(children))

    def children(self, node: Any, path: Path_, container: Any) -> list[Any]:
        """The items of a container as work for `run`; keys are read here, with duplicates."""
        out = []
        cursor = node.start_mark.index
        if isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                out.append((item, (*path, index), container, index, cursor))
                cursor = self.end(item, cursor)
            return out
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name, key_mark, cursor, refused = self.key(key_node, cursor)
            if name in seen:
                first = self.doc.key_marks[(*path, name)]
                self.issue(
                    key_mark,
                    f"duplicate key `{printable(name)}` (first set on line {first.line + 1}); "
                    "keep one and delete the other",
                )
            else:
                seen.add(name)
                self.doc.key_marks[(*path, name)] = key_mark
                if refused:
                    self.doc.refused.add((*path, name))
                out.append((value_node, (*path, name), container, name, cursor))
            cursor = self.end(value_node, cursor)
        return out

    def key(self, node: Any, cursor: int) -> tuple[str, Any, int, bool]:
        """A key's text, mark and end; an alias or a non-text key gets a name of its own."""
        if node.start_mark.index < cursor:
            name, mark, end = self.alias(cursor)
            return name, mark, end, True
        if not isinstance(node, yaml.ScalarNode):
            self.issue(node.start_mark, "a key must be plain text")
            line = node.start_mark.line + 1
            return f"<key on line {line}>", node.start_mark, node.end_mark.index, True
        refused = self.refused_tag(node)
        return node.value, node.start_mark, node.end_mark.index, refused

    def end(self, node: Any, cursor: int) -> int:
        """Where a child ends: its own end mark, or the alias's end when it is one."""
        if node.start_mark.index < cursor:
            return self.text.alias(cursor)[2]
        return max(node.end_mark.index, cursor)

    def put(
        self,
        parent: Any,
        path: Path_,
        key: Any,
        value: Any,
        mark: Any,
        refused: bool,
        raw: str | None = None,
    ) -> None:
        doc = self.doc
        if parent is None:
            doc.data = value
        elif isinstance(parent, list):
            parent.append(value)
        else:
            parent[key] = value
        doc.marks[path] = mark
        if refused:
            doc.refused.add(path)
        if raw is not None:
            doc.raw[path] = raw


def parse(text: str) -> Document:
    """Read one YAML document into plain data, collecting every issue instead of raising."""
    doc = Document(data=None, text=text)
    try:
        root = yaml.compose(text, Loader=_Loader)
        if root is not None:
            _Walk(doc, text).run(root)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or str(err)
        position = _pos(mark) if mark else Position(1, 1)
        if err.context == _SECOND:
            message = "only one YAML document per file; remove the `---` line"
        elif _TOO_DEEP in problem:
            message = f"the file is nested more than {MAX_DEPTH} levels deep"
        else:
            message = f"YAML syntax error: {problem}{_hint(problem)}"
        doc.issues.append(Issue(position, message))
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
