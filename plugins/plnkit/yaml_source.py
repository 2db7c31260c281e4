"""Safe YAML reading that keeps where every value came from.

PyYAML's loaders silently keep the last of two duplicate keys, expand aliases and build
Python objects from custom tags. A contributed kit file gets none of that: this module builds
plain data from the parser's *events*, so every anchor, alias, custom tag and duplicate key is
seen and reported with its line and column, and nothing is ever constructed from a tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml's parser is several times faster; the pure-Python one gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000

Path_ = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_ALLOWED_EXPLICIT = {f"{_STD}str", "!"}
_constructor = yaml.constructor.SafeConstructor()
_resolver = yaml.resolver.Resolver()


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Issue:
    """A problem found while reading, before any schema is applied."""

    position: Position
    message: str


@dataclass
class Document:
    """Plain data (dict/list/str/int/float/bool/None/date) plus where each value sits."""

    data: Any
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)  # scalar text as written
    issues: list[Issue] = field(default_factory=list)

    def where(self, path: Path_) -> Position:
        """The closest known position for `path`: the value, its key, or a parent."""
        probe = tuple(path)
        while True:
            if probe in self.positions:
                return self.positions[probe]
            if probe in self.key_positions:
                return self.key_positions[probe]
            if not probe:
                return Position(1, 1)
            probe = probe[:-1]


def _pos(mark: Any) -> Position:
    return Position(mark.line + 1, mark.column + 1)


def _scalar(event: yaml.ScalarEvent) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    builder = _constructor.yaml_constructors.get(tag)
    if builder is None:
        return event.value
    try:
        return builder(_constructor, node)
    except (ValueError, yaml.YAMLError):
        return event.value


def _hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return " (a value containing ': ' needs quotes around it)"
    if "found character '\\t'" in problem:
        return " (indent with spaces, not tabs)"
    if "could not find expected ':'" in problem:
        return " (each line needs `field: value`; check the line above for a missing colon)"
    if "found undefined alias" in problem or "found unknown escape" in problem:
        return " (put the value in quotes)"
    return " (check indentation, quotes and colons on this line and the one above)"


def decode(data: bytes) -> tuple[str | None, Issue | None]:
    """UTF-8 text of a file, or an issue pointing at the first byte that is not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        return None, Issue(
            Position(line, column),
            f"the file is not UTF-8 text (byte 0x{data[err.start]:02x}); "
            "save it with UTF-8 encoding",
        )


def parse(text: str) -> Document:
    """Read one YAML document into plain data, collecting every issue instead of raising."""
    doc = Document(data=None)
    stack: list[tuple[Any, Path_]] = []  # (container, its path)
    pending_key: list[Any] = []  # for each open mapping: the key waiting for its value
    seen_keys: list[dict[Any, Position]] = []
    starts: list[Any] = []  # the start event of each open container
    documents = 0

    def attach(value: Any, event: Any, raw: str | None = None) -> bool:
        """Put a finished value into its parent; False when it was a key."""
        if not stack:
            doc.data = value
            doc.positions[()] = _pos(event.start_mark)
            return False
        parent, path = stack[-1]
        if isinstance(parent, list):
            item_path = (*path, len(parent))
            parent.append(value)
            doc.positions[item_path] = _pos(event.start_mark)
            if raw is not None:
                doc.raw[item_path] = raw
            return False
        if pending_key[-1] is _NO_KEY:
            if isinstance(value, (dict, list)):
                doc.issues.append(Issue(_pos(event.start_mark), "a key must be plain text"))
                value = repr(value)
            key = value if isinstance(value, str) else str(value) if value is not None else ""
            here = _pos(event.start_mark)
            if key in seen_keys[-1]:
                first = seen_keys[-1][key]
                doc.issues.append(
                    Issue(
                        here,
                        f"duplicate key `{key}` (first set on line {first.line}); "
                        "keep one and delete the other",
                    )
                )
            else:
                seen_keys[-1][key] = here
            doc.key_positions[(*path, key)] = here
            pending_key[-1] = key
            return True
        key = pending_key[-1]
        pending_key[-1] = _NO_KEY
        if key not in parent:  # duplicates keep the first value; the issue is reported
            parent[key] = value
            doc.positions[(*path, key)] = _pos(event.start_mark)
            if raw is not None:
                doc.raw[(*path, key)] = raw
        return False

    def child_path() -> Path_:
        if not stack:
            return ()
        parent, path = stack[-1]
        if isinstance(parent, list):
            return (*path, len(parent))
        return (*path, pending_key[-1])

    def refuse_anchor_and_tag(event: Any) -> None:
        if getattr(event, "anchor", None):
            doc.issues.append(
                Issue(
                    _pos(event.start_mark),
                    f"anchors (&{event.anchor}) are not allowed; write the value out in full",
                )
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
            doc.issues.append(
                Issue(
                    _pos(event.start_mark),
                    f"the tag `{tag.replace(_STD, '!!')}` is not allowed; "
                    "remove it and write plain text",
                )
            )

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    doc.issues.append(
                        Issue(
                            _pos(event.start_mark),
                            "only one YAML document per file; remove the `---` line",
                        )
                    )
                    break
            elif isinstance(event, yaml.AliasEvent):
                doc.issues.append(
                    Issue(
                        _pos(event.start_mark),
                        f"aliases (*{event.anchor}) are not allowed; write the value out in full",
                    )
                )
                attach(None, event)
            elif isinstance(event, yaml.ScalarEvent):
                refuse_anchor_and_tag(event)
                tagged = event.tag not in (None, "!") and event.tag not in _ALLOWED_EXPLICIT
                value = None if tagged else _scalar(event)
                attach(value, event, raw=event.value)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                refuse_anchor_and_tag(event)
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                path = child_path()
                is_key = stack and isinstance(stack[-1][0], dict) and pending_key[-1] is _NO_KEY
                if is_key:
                    doc.issues.append(Issue(_pos(event.start_mark), "a key must be plain text"))
                stack.append((container, path))
                pending_key.append(_NO_KEY)
                seen_keys.append({})
                starts.append(event)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                container, _ = stack.pop()
                pending_key.pop()
                seen_keys.pop()
                start_event = starts.pop()
                attach(container, start_event)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or str(err)
        position = _pos(mark) if mark else Position(1, 1)
        doc.issues.append(Issue(position, f"YAML syntax error: {problem}{_hint(problem)}"))
        doc.data = None
    except yaml.YAMLError as err:  # pragma: no cover - reader errors without a mark
        doc.issues.append(Issue(Position(1, 1), f"YAML error: {err}"))
        doc.data = None
    return doc


class _NoKey:
    def __repr__(self) -> str:
        return "<no key>"


_NO_KEY: Any = _NoKey()
