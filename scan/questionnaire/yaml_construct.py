"""Build located data from the full reader's nodes, as ruamel.yaml's round-trip loader does.

yamlsource.py parses a file into Nodes (checked for anything unsafe); Builder turns them into
LocatedDict/LocatedList data, finding construction problems (duplicate keys, merge keys,
values that do not fit their tag) in the order that loader finds them, so messages stay the
same as they were.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import TaggedScalar
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor, SafeConstructor
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.tag import Tag

from scan.questionnaire.errors import Position, Problem
from scan.questionnaire.located import LocatedDict, LocatedList

YAML = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (YAML + t for t in ("str", "int", "float", "bool", "null"))
MAP, SEQ, TIMESTAMP = YAML + "map", YAML + "seq", YAML + "timestamp"
MERGE, VALUE = YAML + "merge", YAML + "value"  # '<<' and '=': only a plain scalar has them
_TAGGED_SCALARS = {MERGE, VALUE}  # with an explicit !!str: a TaggedScalar in ruamel.yaml

_BOOLS = SafeConstructor.bool_values  # what an explicit !!bool accepts (yes/no too)
_INF, _NAN = SafeConstructor.inf_value, SafeConstructor.nan_value  # one NaN, as ruamel has
_TIMESTAMPS = RoundTripConstructor()  # only for its timestamp reader, which keeps no state
SYNTAX_HINT = "check indentation, and put text containing ': ' or '#' in quotes"
DUPLICATE_HINT = "each key may appear once in a mapping; remove or rename one"


class Node:
    """One value of the document: a scalar, a sequence or a mapping, and where it starts.

    kind is ruamel.yaml's node id ("scalar", "sequence", "mapping"), as its messages name it;
    tag is the resolved tag; ctag the explicit tag as written (None when there was none);
    value is the text of a scalar, or the child nodes (a mapping's as key, value, key, ...).
    """

    __slots__ = ("kind", "tag", "ctag", "value", "style", "line", "column")

    def __init__(self, kind: str, tag: str, ctag: Any, value: Any, style: Any, mark: Any):
        self.kind, self.tag, self.ctag, self.value, self.style = kind, tag, ctag, value, style
        self.line, self.column = mark.line, mark.column


class Refused(Exception):
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


class Builder:
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
        self.later: list[tuple[Any, Node, Any]] = []
        # By id of a container (kept as well, so the id stays its own): the loader's keys of
        # a mapping whose keys are not all text, its values that were TaggedScalars, and the
        # keys that came from a merge ('<<').
        self.keyed: dict[int, tuple[LocatedDict, list[tuple[Any, Any]]]] = {}
        self.tagged: dict[int, tuple[Any, dict[Any, TaggedScalar]]] = {}
        self.merged: dict[int, tuple[LocatedDict, list[str]]] = {}

    def document(self, root: Node | None) -> Any:
        if root is None:
            return None
        data = self.value(root, Position(self.name, 1, 1), deep=False)
        while self.later:
            batch, self.later = self.later, []
            for fill, node, out in batch:
                fill(node, out, False)
        return data

    def position(self, node: Node) -> Position:
        return Position(self.name, node.line + 1, node.column + 1)

    def refuse(self, what: str, node: Node, prefix: str = "invalid YAML") -> Refused:
        hint = DUPLICATE_HINT if prefix == "duplicate key" else SYNTAX_HINT
        return Refused(Problem(f"{prefix}: {what}", self.position(node), hint=hint))

    def value(self, node: Node, here: Position, deep: bool) -> Any:
        """Return the value of a node; a collection is filled now, or later when not deep."""
        tag = node.tag
        if tag == MAP:
            out = LocatedDict()
            out.position, out.key_positions, out.value_positions = here, {}, {}
            if deep:
                self.fill_mapping(node, out, True)
            else:
                self.later.append((self.fill_mapping, node, out))
            return out
        if tag == SEQ:
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

    def fill_sequence(self, node: Node, out: LocatedList, deep: bool) -> None:
        if node.kind != "sequence":
            raise self.refuse(f"expected a sequence node, but found {node.kind}", node)
        name, positions = self.name, out.item_positions
        for index, child in enumerate(node.value):
            here = Position(name, child.line + 1, child.column + 1)
            positions.append(here)
            out.append(self.value(child, here, deep))
            if child.ctag is not None or child.tag in _TAGGED_SCALARS:
                self.remember_tagged(out, index, child)

    def fill_mapping(self, node: Node, out: LocatedDict, deep: bool = True) -> None:
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

    def entries(self, node: Node, here: Position) -> tuple[list, list]:
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

    def flatten(self, node: Node) -> tuple[list[list[tuple[Any, Any, Any]]], list]:
        """Split a mapping into its merge keys' contents ('<<') and its other key/value pairs."""
        merges: list[list[tuple[Any, Any, Any]]] = []
        pairs = []
        children = iter(node.value)
        for key_node, value_node in zip(children, children, strict=True):
            if key_node.tag == MERGE:
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
                if key_node.tag == VALUE:
                    key_node.tag = STR  # '=' as a key is plain text
                pairs.append((key_node, value_node))
        return merges, pairs

    def merge_source(self, node: Node) -> list[tuple[Any, Any, Any]]:
        """Return the (key, value, TaggedScalar) a merged mapping brings, its own merges too."""
        if node.tag != MAP:
            self.value(node, self.position(node), True)  # refused: the tag does not fit
        own, merged = self.entries(node, self.position(node))
        return [(entry[0], entry[3], entry[4]) for entry in own + merged]

    def merge_sources(self, node: Node) -> list[Any]:
        """Build a merged sequence; return each item's entries (None for an item not a mapping)."""
        if node.tag != SEQ:
            self.value(node, self.position(node), True)  # refused: the tag does not fit
        sources: list[Any] = []
        for child in node.value:
            if child.kind == "mapping" and child.tag == MAP:
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

    def key(self, node: Node) -> Any:
        """Return a key as the round-trip loader compares it (1 == 1.0 == true)."""
        if node.kind == "scalar" and node.tag != MAP and node.tag != SEQ:
            return self.key_scalar(node)
        if node.tag == SEQ and node.kind == "sequence":  # a list as key: a tuple
            key: Any = tuple(self.key_item(child) for child in node.value)
        elif node.tag == MAP and node.kind == "mapping":  # a mapping as key
            own, merged = self.entries(node, self.position(node))
            key = _MapKey(tuple((e[0], e[3] if e[4] is None else e[4]) for e in own + merged))
        else:
            return self.value(node, self.position(node), True)  # refused: the tag does not fit
        return key

    def key_scalar(self, node: Node) -> Any:
        if node.ctag is not None or node.tag in _TAGGED_SCALARS:
            tagged = self.tagged_scalar(node)
            if tagged is not None:
                return tagged  # equal to no other key
        return self.scalar(node)

    def key_item(self, node: Node) -> Any:
        if node.kind == "scalar" and node.tag != MAP and node.tag != SEQ:
            return self.key_scalar(node)
        return self.value(node, self.position(node), True)  # a list or mapping: unhashable

    def tagged_scalar(self, node: Node) -> TaggedScalar | None:
        """Return what the loader holds for an explicit !!str, a '<<' or a '=' (else None)."""
        if node.kind != "scalar":
            return None
        if node.tag == STR and node.ctag is not None and node.ctag.handle:
            return TaggedScalar(node.value, node.style, tag=node.ctag)
        if node.tag == MERGE or node.tag == VALUE:
            return TaggedScalar(node.value, node.style, tag=Tag(suffix=node.tag))
        return None

    def remember_tagged(self, out: Any, slot: Any, tagged: Any) -> None:
        if isinstance(tagged, Node):
            tagged = self.tagged_scalar(tagged)
            if tagged is None:
                return
        self.tagged.setdefault(id(out), (out, {}))[1][slot] = tagged

    def scalar(self, node: Node) -> Any:
        """Return a scalar's value: text, a whole number, a number, true/false, null or a date."""
        tag, value = node.tag, node.value
        if tag == STR or tag == MERGE or tag == VALUE:
            return value
        try:
            if tag == INT:
                return self.integer(value)
            if tag == NULL:
                return None
            if tag == BOOL:
                return _BOOLS[value.lower()]
            if tag == FLOAT:
                return self.number(value)
            if tag == TIMESTAMP:
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
