"""Read YAML safely into plain dicts and lists that remember where each value stood.

One pass over the parser's events: each event is checked (no anchors, aliases or custom tags,
not too many values, not too deep, no impossible dates) and becomes a small node; the nodes
then become LocatedDict/LocatedList data, each value with the line and column it started at.
Scalars are read as ruamel.yaml's round-trip loader reads them (YAML 1.2 unless the file says
%YAML 1.1), and construction problems (duplicate keys, merge keys, values that do not fit
their tag) are found in the order that loader finds them, so messages stay the same.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import TaggedScalar
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.tag import Tag

from scan.questionnaire.errors import Position, Problem, QuestionnaireError
from scan.questionnaire.libyaml_reader import IMPLICIT_TAGS, read_clean
from scan.questionnaire.located import LocatedDict, LocatedList

MAX_BYTES = 512 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 30

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_YAML + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _TIMESTAMP = _YAML + "map", _YAML + "seq", _YAML + "timestamp"
_MERGE, _VALUE = _YAML + "merge", _YAML + "value"  # '<<' and '=': only a plain scalar has them
_TAGGED_SCALARS = {_MERGE, _VALUE}  # with an explicit !!str: a TaggedScalar in ruamel.yaml
# Tags that plain YAML resolves by itself; anything else would construct an object.
_PLAIN_TAGS = {None, _STR, _INT, _FLOAT, _BOOL, _NULL, _MAP, _SEQ, _TIMESTAMP}

_IMPLICIT = IMPLICIT_TAGS  # ruamel.yaml's tables for plain scalars, by YAML version
_BOOLS = SafeConstructor.bool_values  # what an explicit !!bool accepts (yes/no too)
_INF, _NAN = SafeConstructor.inf_value, SafeConstructor.nan_value  # one NaN, as ruamel has
_TIMESTAMPS = RoundTripConstructor()  # only for its timestamp reader, which keeps no state
_SYNTAX_HINT = "check indentation, and put text containing ': ' or '#' in quotes"
_DUPLICATE_HINT = "each key may appear once in a mapping; remove or rename one"


def read_yaml_file(path: str | Path, display_name: str | None = None, cache: Any = None) -> Any:
    """Read one YAML file into located plain data, refusing anything unsafe."""
    path = Path(path)
    name = display_name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise QuestionnaireError(
            [Problem(f"cannot read file: {exc.strerror}", Position(name, 1, 1))]
        ) from None
    return read_yaml_text(raw, name, cache)


def read_yaml_text(raw: bytes | str, name: str, cache: Any = None) -> Any:
    """Parse YAML text into located plain data; raise QuestionnaireError on unsafe input.

    A cache (a ParseCache) returns what an earlier parse of the same bytes gave, and keeps
    each new parse that succeeds; files with problems are always parsed, so errors stay exact.
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise QuestionnaireError(
            [
                Problem(
                    f"file is {-(-len(raw) // 1024)} KiB, the maximum is {MAX_BYTES // 1024} KiB",
                    Position(name, 1, 1),
                    hint="split it into a base questionnaire and an overlay",
                )
            ]
        )
    if cache is not None:
        cached = cache.get(raw, name)
        if cached is not None:
            return cached
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")  # valid up to the bad byte
        line, column = _line_column(before, len(before))
        raise QuestionnaireError(
            [
                Problem(
                    "file is not valid UTF-8 text",
                    Position(name, line, column),
                    hint="save the file as UTF-8",
                )
            ]
        ) from None
    located = read_clean(text, name, MAX_DEPTH, MAX_NODES)  # libyaml, for a clean file
    if located is None:
        located = _read_fully(text, name)
    if cache is not None:
        cache.put(raw, located)
    return located


def _read_fully(text: str, name: str) -> Any:
    """Read any text as ruamel.yaml's round-trip loader would, refusing what is unsafe."""
    root, version = _compose(text, name)
    try:
        located = _Builder(name, version).document(root)
    except _Refused as exc:
        raise QuestionnaireError([exc.problem]) from None
    return located


class _Node:
    """One value of the document: a scalar, a sequence or a mapping, and where it starts.

    kind is ruamel.yaml's node id ("scalar", "sequence", "mapping"), as its messages name it;
    tag is the resolved tag; ctag the explicit tag as written (None when there was none);
    value is the text of a scalar, or the child nodes (a mapping's as key, value, key, ...).
    """

    __slots__ = ("kind", "tag", "ctag", "value", "style", "line", "column")

    def __init__(self, kind: str, tag: str, ctag: Any, value: Any, style: Any, mark: Any):
        self.kind, self.tag, self.ctag, self.value, self.style = kind, tag, ctag, value, style
        self.line, self.column = mark.line, mark.column


def _compose(text: str, name: str) -> tuple[_Node | None, tuple[int, int]]:
    """Parse once: refuse what is unsafe, and return the first document's nodes and version."""
    problems: list[Problem] = []
    nodes = depth = documents = 0
    version = (1, 2)
    root: _Node | None = None
    open_nodes: list[_Node] = []
    another = None  # where a second document starts
    implicit = _IMPLICIT[version]
    try:
        # The pure parser on purpose: libyaml's C parser reads flow mappings differently
        # (YAML 1.1), and this pass must see what ruamel.yaml's own loaders see.
        for event in YAML(typ="safe", pure=True).parse(text):
            kind = type(event)
            if kind is ScalarEvent:
                tag = event.tag
                if event.anchor:
                    problems.append(_anchor_problem(event, name))
                elif tag not in _PLAIN_TAGS and tag != "!":
                    problems.append(_tag_problem(event, name))
                elif event.style is None and _DATE.match(event.value):
                    problems.extend(_impossible_date(event.value, _position(event, name)))
                nodes += 1
                if not problems and documents == 1:
                    value = event.value
                    if tag is None or tag == "!":
                        if event.implicit[0]:
                            tag = _STR
                            for candidate, regexp in implicit.get(value[:1], ()):
                                if regexp.match(value):
                                    tag = candidate
                                    break
                        else:
                            tag = _STR
                        ctag = None
                    else:
                        ctag = event.ctag
                    node = _Node("scalar", tag, ctag, value, event.style, event.start_mark)
                    if open_nodes:
                        open_nodes[-1].value.append(node)
                    else:
                        root = node
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                tag = event.tag
                if event.anchor:
                    problems.append(_anchor_problem(event, name))
                elif tag not in _PLAIN_TAGS and tag != "!":
                    problems.append(_tag_problem(event, name))
                nodes += 1
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(
                        Problem(f"nesting deeper than {MAX_DEPTH} levels", _position(event, name))
                    )
                    break
                if not problems and documents == 1:
                    collection = "mapping" if kind is MappingStartEvent else "sequence"
                    ctag = None
                    if tag is None or tag == "!":
                        tag = _MAP if kind is MappingStartEvent else _SEQ
                    else:
                        ctag = event.ctag
                    node = _Node(collection, tag, ctag, [], None, event.start_mark)
                    if open_nodes:
                        open_nodes[-1].value.append(node)
                    else:
                        root = node
                    open_nodes.append(node)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1
                if open_nodes:
                    open_nodes.pop()
            elif kind is AliasEvent:
                problems.append(_anchor_problem(event, name))
                nodes += 1
            elif kind is DocumentStartEvent:
                documents += 1
                if documents == 1 and event.version is not None:
                    version = tuple(event.version)
                    implicit = _IMPLICIT.get(version, implicit)
                elif documents == 2:
                    another = event.start_mark
            if nodes > MAX_NODES:
                problems.append(
                    Problem(f"more than {MAX_NODES} values in one file", _position(event, name))
                )
                break
            if len(problems) >= 20:
                break
    except MarkedYAMLError as exc:
        problems.append(_marked_problem(exc, name))
    except ReaderError as exc:  # a control character such as NUL: no mark, only an index
        line, column = _line_column(text, min(max(exc.position, 0), len(text)))
        problems.append(
            Problem(
                f"character {exc.character:#06x} is not allowed in YAML",
                Position(name, line, column),
                hint="remove it; save the file as plain UTF-8 text",
            )
        )
    except AssertionError:  # ruamel's scanner asserts on '%YAML 1.0' or '%YAML 1.3'
        match = _VERSION_DIRECTIVE.search(text)
        line = text.count("\n", 0, match.start()) + 1 if match else 1
        problems.append(
            Problem(
                "invalid YAML: this %YAML version is not supported",
                Position(name, line, 1),
                hint="remove the %YAML line, or write %YAML 1.2",
            )
        )
    if problems:
        raise QuestionnaireError(problems)
    if another is not None:  # as ruamel.yaml's loaders: one document per file
        where = Position(name, another.line + 1, another.column + 1)
        raise QuestionnaireError(
            [Problem("invalid YAML: but found another document", where, hint=_SYNTAX_HINT)]
        )
    return root, version


_VERSION_DIRECTIVE = re.compile(r"^%YAML\b", re.MULTILINE)


def _position(event: Any, name: str) -> Position:
    return Position(name, event.start_mark.line + 1, event.start_mark.column + 1)


def _anchor_problem(event: Any, name: str) -> Problem:
    return Problem(
        "anchors and aliases (& and *) are not allowed",
        _position(event, name),
        hint="write the value out in full",
    )


def _tag_problem(event: Any, name: str) -> Problem:
    return Problem(
        f"YAML tag {event.tag!r} is not allowed",
        _position(event, name),
        hint="remove the tag; only plain YAML values are allowed",
    )


# A plain scalar that YAML reads as a date or timestamp (the YAML 1.2 timestamp pattern).
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d\d):(\d\d).*)?$")


def _impossible_date(value: str, pos: Position) -> list[Problem]:
    """Return a problem when a plain scalar looks like a date that does not exist (2026-02-30)."""
    match = _DATE.match(value)
    if not match:
        return []
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return [
            Problem(
                f"'{value}' is not a real date",
                pos,
                hint="write an existing date as YYYY-MM-DD, e.g. 2026-02-28",
            )
        ]
    return []


_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # as ruamel's reader counts them


def _line_column(text: str, index: int) -> tuple[int, int]:
    """Return the 1-based line and column of a character index."""
    line, start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


def _marked_problem(exc: MarkedYAMLError, name: str) -> Problem:
    """Turn a ruamel syntax error with a mark into a located problem."""
    mark = exc.problem_mark or exc.context_mark
    pos = Position(name, mark.line + 1, mark.column + 1) if mark else Position(name, 1, 1)
    what = exc.problem or exc.context or "syntax error"
    return Problem(f"invalid YAML: {what}", pos, hint=_SYNTAX_HINT)


class _Refused(Exception):
    """A value the loader cannot construct, with its located problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


class _MapKey:
    """A mapping used as a key, compared and shown as ruamel.yaml's CommentedKeyMap."""

    __slots__ = ("items", "display")

    def __init__(self, items: tuple[tuple[Any, Any], ...]):
        self.items = items
        self.display = repr(ordereddict(items))

    def __hash__(self) -> int:
        return hash(self.items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _MapKey) and dict(self.items) == dict(other.items)

    def __repr__(self) -> str:
        return self.display

    __str__ = __repr__


class _Builder:
    """Build located data from the nodes, in the order ruamel.yaml's round-trip loader does.

    That loader fills the top collection, and sequences outside a mapping, one level at a time
    (their collections wait in `later`); a mapping builds everything in it at once, each
    key before its value and each value before the check that its key is new. The order
    matters only for which problem is reported when there are several.

    Values are plain: text, numbers, true/false, None, dates. What the loader would have held
    otherwise (keys that are not text, the TaggedScalar of an explicit !!str, '<<' or '=') is
    kept on the side, by container, only to show values in a duplicate-key message as it did.
    """

    def __init__(self, name: str, version: tuple[int, int]):
        self.name = name
        self.yaml_1_2 = version == (1, 2)
        self.later: list[tuple[Any, _Node, Any]] = []
        # By id of a container (kept as well, so the id stays its own): the loader's keys of
        # a mapping whose keys are not all text, its values that were TaggedScalars, and the
        # keys that came from a merge ('<<').
        self.keyed: dict[int, tuple[LocatedDict, list[tuple[Any, Any]]]] = {}
        self.tagged: dict[int, tuple[Any, dict[Any, TaggedScalar]]] = {}
        self.merged: dict[int, tuple[LocatedDict, list[str]]] = {}

    def document(self, root: _Node | None) -> Any:
        if root is None:
            return None
        data = self.value(root, Position(self.name, 1, 1), deep=False)
        while self.later:
            batch, self.later = self.later, []
            for fill, node, out in batch:
                fill(node, out, False)
        return data

    def position(self, node: _Node) -> Position:
        return Position(self.name, node.line + 1, node.column + 1)

    def refuse(self, what: str, node: _Node, prefix: str = "invalid YAML") -> _Refused:
        hint = _DUPLICATE_HINT if prefix == "duplicate key" else _SYNTAX_HINT
        return _Refused(Problem(f"{prefix}: {what}", self.position(node), hint=hint))

    def value(self, node: _Node, here: Position, deep: bool) -> Any:
        """Return the value of a node; a collection is filled now, or later when not deep."""
        tag = node.tag
        if tag == _MAP:
            out = LocatedDict()
            out.position, out.key_positions, out.value_positions = here, {}, {}
            if deep:
                self.fill_mapping(node, out, True)
            else:
                self.later.append((self.fill_mapping, node, out))
            return out
        if tag == _SEQ:
            out_list = LocatedList()
            out_list.position, out_list.item_positions = here, []
            if deep:
                self.fill_sequence(node, out_list, True)
            else:
                self.later.append((self.fill_sequence, node, out_list))
            return out_list
        if node.kind != "scalar":
            raise self.refuse(f"expected a scalar node, but found {node.kind}", node)
        return self.scalar(node)

    def fill_sequence(self, node: _Node, out: LocatedList, deep: bool) -> None:
        if node.kind != "sequence":
            raise self.refuse(f"expected a sequence node, but found {node.kind}", node)
        name, positions = self.name, out.item_positions
        for index, child in enumerate(node.value):
            here = Position(name, child.line + 1, child.column + 1)
            positions.append(here)
            out.append(self.value(child, here, deep))
            if child.ctag is not None or child.tag in _TAGGED_SCALARS:
                self.remember_tagged(out, index, child)

    def fill_mapping(self, node: _Node, out: LocatedDict, deep: bool = True) -> None:
        # A mapping fills everything in it at once; deep is there to match fill_sequence.
        own, merged = self.entries(node, out.position)
        key_positions, value_positions = out.key_positions, out.value_positions
        textual = True
        for entries in (own, merged) if merged else (own,):
            for key, key_pos, value_pos, value, tagged in entries:
                if tagged is not None:
                    self.remember_tagged(out, key, tagged)
                if type(key) is not str:
                    textual = False
                    key = str(key)
                key_positions[key] = key_pos
                value_positions[key] = value_pos
                out[key] = value
        if not textual:
            self.keyed[id(out)] = (out, [(entry[0], entry[3]) for entry in own + merged])
        if merged:
            self.merged[id(out)] = (out, [str(entry[0]) for entry in merged])

    def entries(self, node: _Node, here: Position) -> tuple[list, list]:
        """Return a mapping's own entries and those its merge keys bring.

        Each is (key, key position, value position, value, the value's TaggedScalar or None).
        """
        if node.kind != "mapping":
            raise self.refuse(f"expected a mapping node, but found {node.kind}", node)
        merges, pairs = self.flatten(node)
        name = self.name
        seen: dict[Any, Any] = {}
        own = []
        for key_node, value_node in pairs:
            key = self.key(key_node)
            key_pos = Position(name, key_node.line + 1, key_node.column + 1)
            value_pos = Position(name, value_node.line + 1, value_node.column + 1)
            value = self.value(value_node, value_pos, True)
            tagged = None
            if value_node.ctag is not None or value_node.tag in _TAGGED_SCALARS:
                tagged = self.tagged_scalar(value_node)
            try:
                duplicate = key in seen
            except TypeError:  # a list or mapping inside a key: the loader fails here
                raise self.refuse("found unhashable key", key_node) from None
            if duplicate:
                raise self.refuse(
                    f'found duplicate key "{key}" with value "{self.text(value)}" '
                    f'(original value: "{self.text(seen[key][0])}")'.split("\n")[0],
                    key_node,
                    "duplicate key",
                )
            seen[key] = (value, tagged)
            if value is None and value_node.line > key_node.line:
                value_pos = key_pos  # an empty value: the parser marks the next line
            own.append((key, key_pos, value_pos, value, tagged))
        merged = []
        if merges:
            default = Position(name, here.line, 1)  # a merged key has no place of its own
            for items in merges:
                for key, value, tagged in items:
                    if key not in seen:
                        seen[key] = (value, tagged)
                        merged.append((key, default, default, self.moved(value, default), tagged))
        return own, merged

    def flatten(self, node: _Node) -> tuple[list[list[tuple[Any, Any, Any]]], list]:
        """Split a mapping into its merge keys' contents ('<<') and its other key/value pairs."""
        merges: list[list[tuple[Any, Any, Any]]] = []
        pairs = []
        children = iter(node.value)
        for key_node, value_node in zip(children, children, strict=True):
            if key_node.tag == _MERGE:
                if merges:
                    raise self.refuse('found duplicate merge key "<<"', key_node, "duplicate key")
                if value_node.kind == "mapping":
                    merges.append(self.merge_source(value_node))
                elif value_node.kind == "sequence":
                    sources = self.merge_sources(value_node)
                    for sub, items in zip(value_node.value, sources, strict=True):
                        if sub.kind != "mapping":
                            raise self.refuse(
                                f"expected a mapping for merging, but found {sub.kind}", sub
                            )
                        merges.append(items)
                else:
                    raise self.refuse(
                        "expected a mapping or list of mappings for merging, "
                        f"but found {value_node.kind}",
                        value_node,
                    )
            else:
                if key_node.tag == _VALUE:
                    key_node.tag = _STR  # '=' as a key is plain text
                pairs.append((key_node, value_node))
        return merges, pairs

    def merge_source(self, node: _Node) -> list[tuple[Any, Any, Any]]:
        """Return the (key, value, TaggedScalar) a merged mapping brings, its own merges too."""
        if node.tag != _MAP:
            self.value(node, self.position(node), True)  # refused: the tag does not fit
        own, merged = self.entries(node, self.position(node))
        return [(entry[0], entry[3], entry[4]) for entry in own + merged]

    def merge_sources(self, node: _Node) -> list[Any]:
        """Build a merged sequence; return each item's entries (None for an item not a mapping)."""
        if node.tag != _SEQ:
            self.value(node, self.position(node), True)  # refused: the tag does not fit
        sources: list[Any] = []
        for child in node.value:
            if child.kind == "mapping" and child.tag == _MAP:
                sources.append(self.merge_source(child))
            else:
                self.value(child, self.position(child), True)
                sources.append(None)
        return sources

    def moved(self, value: Any, here: Position) -> Any:
        """Return a merged collection placed where the loader places it: the merging line."""
        if isinstance(value, LocatedDict):
            out = LocatedDict(value)
            out.position = here
            out.key_positions = dict(value.key_positions)
            out.value_positions = dict(value.value_positions)
            if id(value) in self.merged:
                keys = self.merged[id(value)][1]
                default = Position(self.name, here.line, 1)
                for key in keys:
                    out.key_positions[key] = out.value_positions[key] = default
                    out[key] = self.moved(value[key], default)
                self.merged[id(out)] = (out, keys)
        elif isinstance(value, LocatedList):
            out = LocatedList(value)
            out.position, out.item_positions = here, list(value.item_positions)
        else:
            return value
        for side in (self.keyed, self.tagged):
            if id(value) in side:
                side[id(out)] = (out, side[id(value)][1])
        return out

    def key(self, node: _Node) -> Any:
        """Return a key as the round-trip loader compares it (1 == 1.0 == true)."""
        if node.kind == "scalar" and node.tag != _MAP and node.tag != _SEQ:
            return self.key_scalar(node)
        if node.tag == _SEQ and node.kind == "sequence":  # a list as key: a tuple
            key: Any = tuple(self.key_item(child) for child in node.value)
        elif node.tag == _MAP and node.kind == "mapping":  # a mapping as key
            own, merged = self.entries(node, self.position(node))
            key = _MapKey(tuple((e[0], e[3] if e[4] is None else e[4]) for e in own + merged))
        else:
            return self.value(node, self.position(node), True)  # refused: the tag does not fit
        return key

    def key_scalar(self, node: _Node) -> Any:
        if node.ctag is not None or node.tag in _TAGGED_SCALARS:
            tagged = self.tagged_scalar(node)
            if tagged is not None:
                return tagged  # equal to no other key
        return self.scalar(node)

    def key_item(self, node: _Node) -> Any:
        if node.kind == "scalar" and node.tag != _MAP and node.tag != _SEQ:
            return self.key_scalar(node)
        return self.value(node, self.position(node), True)  # a list or mapping: unhashable

    def tagged_scalar(self, node: _Node) -> TaggedScalar | None:
        """Return what the loader holds for an explicit !!str, a '<<' or a '=' (else None)."""
        if node.kind != "scalar":
            return None
        if node.tag == _STR and node.ctag is not None and node.ctag.handle:
            return TaggedScalar(node.value, node.style, tag=node.ctag)
        if node.tag == _MERGE or node.tag == _VALUE:
            return TaggedScalar(node.value, node.style, tag=Tag(suffix=node.tag))
        return None

    def remember_tagged(self, out: Any, slot: Any, tagged: Any) -> None:
        if isinstance(tagged, _Node):
            tagged = self.tagged_scalar(tagged)
            if tagged is None:
                return
        self.tagged.setdefault(id(out), (out, {}))[1][slot] = tagged

    def scalar(self, node: _Node) -> Any:
        """Return a scalar's value: text, a whole number, a number, true/false, null or a date."""
        tag, value = node.tag, node.value
        if tag == _STR or tag == _MERGE or tag == _VALUE:
            return value
        try:
            if tag == _INT:
                return self.integer(value)
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return _BOOLS[value.lower()]
            if tag == _FLOAT:
                return self.number(value)
            if tag == _TIMESTAMP:
                return _TIMESTAMPS.construct_yaml_timestamp(ScalarNode(tag, value))
        except ConstructorError as exc:
            raise self.refuse(exc.problem, node) from None
        except (ValueError, IndexError, KeyError, OverflowError):
            kind = tag.rpartition(":")[2]
            raise self.refuse(f'failed to construct {kind} from "{value}"', node) from None
        raise self.refuse(f"could not determine a constructor for the tag {tag!r}", node)

    def integer(self, text: str) -> int:
        """Read a whole number as ruamel.yaml does: 0b, 0o, 0x, underscores, a sign."""
        digits = text.replace("_", "")
        sign = +1
        if digits[0] in "+-":
            if digits[0] == "-":
                sign = -1
            digits = digits[1:]
        if digits.startswith("0b"):
            return sign * int(digits[2:], 2)
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        if digits.startswith("0o"):
            return sign * int(digits[2:], 8)
        if not self.yaml_1_2 and len(digits) > 1 and digits[0] == "0":
            return sign * int(digits, 8)  # YAML 1.1: 017 is octal
        if not self.yaml_1_2 and ":" in digits:  # YAML 1.1: 1:20 is base 60
            total, base = 0, 1
            for part in reversed(digits.split(":")):
                total += int(part) * base
                base *= 60
            return sign * total
        return sign * int(digits)

    def number(self, text: str) -> float:
        """Read a number as ruamel.yaml does: .inf, .nan, underscores, an exponent."""
        digits = text.replace("_", "").lower()
        sign = -1 if digits[0] == "-" else +1
        if digits[0] in "+-":
            digits = digits[1:]
        if digits == ".inf":
            return sign * _INF
        if digits == ".nan":
            return _NAN
        if not self.yaml_1_2 and ":" in digits:  # YAML 1.1: base 60
            total, base = 0.0, 1
            for part in reversed(digits.split(":")):
                total += float(part) * base
                base *= 60
            return sign * total
        if "e" in digits and len(text.split("e")) != 2 and len(text.split("E")) != 2:
            raise ValueError(text)  # ruamel.yaml splits the exponent off once
        return sign * float(digits)

    def text(self, value: Any) -> str:
        """Show a value as the round-trip loader's duplicate-key message does."""
        if isinstance(value, LocatedDict | LocatedList):
            return self.shown(value)
        return str(value)

    def shown(self, value: Any) -> str:
        tagged = self.tagged[id(value)][1] if id(value) in self.tagged else {}
        if isinstance(value, LocatedDict):
            items = self.keyed[id(value)][1] if id(value) in self.keyed else value.items()
            return (
                "{"
                + ", ".join(f"{key!r}: {self.shown(tagged.get(key, item))}" for key, item in items)
                + "}"
            )
        if isinstance(value, LocatedList):
            return "[" + ", ".join(self.shown(tagged.get(i, x)) for i, x in enumerate(value)) + "]"
        return repr(value)
