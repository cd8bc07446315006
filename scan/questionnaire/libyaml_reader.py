"""Read a clean YAML file fast, with libyaml's C parser, into located plain data.

A clean file is what authors write: block and flow mappings with text keys, sequences,
quoted, block and plain scalars, no anchors, aliases, tags, directives, merge keys, tabs or
exotic line breaks, one document, not too deep and not too large. The C parser's events
carry each value's line and column; plain scalars are resolved by the YAML 1.2 rules
(`no` stays text, `010` is ten, `1:30` is text) as ruamel.yaml resolves them.

read_clean returns None for anything else, and for every file with a problem: the full
reader (yamlsource.py) then reads it and reports each problem, located, with its hint. So
the fast path only ever gives the data and positions the full reader would have given.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import yaml
from ruamel.yaml.resolver import implicit_resolvers

from scan.questionnaire.errors import Position
from scan.questionnaire.located import LocatedDict, LocatedList

LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))
if not LIBYAML:  # pragma: no cover - PyYAML wheels carry libyaml
    logging.getLogger(__name__).warning(
        "PyYAML has no libyaml C parser here: questionnaires load with the slower full reader"
    )

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_YAML + t for t in ("str", "int", "float", "bool", "null"))
_TIMESTAMP = _YAML + "timestamp"

# ruamel.yaml's own tables for plain scalars: {version: {first character: [(tag, regex)]}}.
IMPLICIT_TAGS: dict[tuple[int, int], dict[str, list[tuple[str, Any]]]] = {}
for _versions, _tag, _regexp, _first in implicit_resolvers:
    for _version in _versions:
        for _char in _first:
            IMPLICIT_TAGS.setdefault(_version, {}).setdefault(_char, []).append((_tag, _regexp))
_CORE = IMPLICIT_TAGS[(1, 2)]

# What libyaml (a YAML 1.1 parser) may read otherwise than the full reader, or what needs the
# full reader's checks: tabs, line breaks other than \n, a byte order mark, directives (%),
# anchors (&a), aliases (*a), tags (!x; '!=' in an expression is text), and a quoted key
# right before its ':' ("q":x, which libyaml takes in a flow sequence and YAML 1.2 refuses).
_NEEDS_FULL_READER = re.compile(
    r"[\t\r\x85\u2028\u2029\ufeff]|^%|(?:^|[\s\[\]{},])(?:[&*][^\s,\[\]{}]|![^\s=])"
    r"|[\"']:\S",
    re.MULTILINE,
)
_WHOLE_NUMBER = re.compile(r"[-+]?[0-9]+\Z")
_DECIMAL = re.compile(r"[-+]?[0-9]+\.[0-9]+\Z")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_BOOLS = {"true": True, "false": False}
_MAX_BRACKETS = 5_000  # more flow brackets than that: let the full reader count the depth


class _NotClean(Exception):
    """The file needs the full reader."""


def read_clean(text: str, name: str, max_depth: int, max_nodes: int) -> Any:
    """Return the located data of a clean file, or None when the full reader must read it."""
    if not LIBYAML or _NEEDS_FULL_READER.search(text):
        return None
    if text.count("[") + text.count("{") > _MAX_BRACKETS:
        return None
    parser = yaml.CSafeLoader(text)
    try:
        return _Build(name, max_depth, max_nodes).events(parser)
    except (yaml.YAMLError, _NotClean):
        return None
    finally:
        parser.dispose()


class _Build:
    """Turn the C parser's events into LocatedDict/LocatedList data, or give up."""

    def __init__(self, name: str, max_depth: int, max_nodes: int):
        self.name = name
        self.max_depth, self.max_nodes = max_depth, max_nodes

    def events(self, parser: Any) -> Any:
        name = self.name
        # Each open collection: [container, is a mapping, key waiting for its value, key mark]
        stack: list[list[Any]] = []
        root: Any = None
        documents = nodes = 0
        get_event = parser.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _NotClean
                nodes += 1
                if event.implicit[0]:
                    if not event.value:
                        raise _NotClean  # libyaml marks an empty value elsewhere than ruamel
                    value = _plain(event.value)
                else:
                    value = event.value
                self.place(stack, value, event.start_mark)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _NotClean
                nodes += 1
                if len(stack) >= self.max_depth or nodes > self.max_nodes:
                    raise _NotClean
                if kind is yaml.MappingStartEvent:
                    out: Any = LocatedDict()
                    out.key_positions, out.value_positions = {}, {}
                else:
                    out = LocatedList()
                    out.item_positions = []
                if stack:
                    out.position = self.place(stack, out, event.start_mark)
                else:
                    out.position = Position(name, 1, 1)
                    root = out
                stack.append([out, kind is yaml.MappingStartEvent, None, None])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1 or event.version is not None or event.tags:
                    raise _NotClean
            elif kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.AliasEvent:
                raise _NotClean
            if nodes > self.max_nodes:
                raise _NotClean
        if not isinstance(root, LocatedDict | LocatedList):
            raise _NotClean  # an empty file or a lone scalar: rare, the full reader reads it
        return root

    def place(self, stack: list[list[Any]], value: Any, mark: Any) -> Position:
        """Put a value into the open collection; return the position it is stored at."""
        if not stack:
            raise _NotClean
        top = stack[-1]
        here = Position(self.name, mark.line + 1, mark.column + 1)
        if not top[1]:
            top[0].append(value)
            top[0].item_positions.append(here)
            return here
        if top[2] is None:  # a key
            if type(value) is not str or value in top[0]:
                raise _NotClean  # a key that is not text, or a duplicate: the full reader says
            top[2], top[3] = value, (here, mark.line)
            return here
        key, (key_pos, key_line) = top[2], top[3]
        if value is None and mark.line > key_line:
            here = key_pos  # as the full reader: a null value on a later line is the key's
        out = top[0]
        out.key_positions[key] = key_pos
        out.value_positions[key] = here
        out[key] = value
        top[2] = None
        return here


def _plain(value: str) -> Any:
    """Resolve a plain scalar by YAML 1.2 as ruamel.yaml does; give up on the rare kinds."""
    tag = _STR
    for candidate, regexp in _CORE.get(value[:1], ()):
        if regexp.match(value):
            tag = candidate
            break
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _BOOLS[value.lower()]
    if tag == _INT and _WHOLE_NUMBER.match(value):
        return int(value)
    if tag == _FLOAT and _DECIMAL.match(value):
        return float(value)
    if tag == _TIMESTAMP:
        match = _DATE.match(value)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise _NotClean from None  # not a real date: the full reader locates it
    raise _NotClean  # 0x1F, 1_000, .inf, 1e3, a time stamp, '<<', '=': the full reader
