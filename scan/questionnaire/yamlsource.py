"""Read YAML safely into plain dicts and lists that remember where each value stood.

A clean file is read by libyaml_reader.py (libyaml's C parser). Every other file, and every
file with a problem, is read here by the full reader: one pass over ruamel.yaml's pure
parser's events, each checked (no anchors, aliases or custom tags, not too many values, not
too deep, no impossible dates) and turned into a small Node; yaml_construct.Builder then
makes LocatedDict/LocatedList data of them, each value with the line and column it started
at. Scalars are read as ruamel.yaml's round-trip loader reads them (YAML 1.2 unless the file
says %YAML 1.1), and problems are found in the order that loader finds them, so messages
stay the same.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
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
from ruamel.yaml.reader import ReaderError

from scan.questionnaire.errors import Position, Problem, QuestionnaireError
from scan.questionnaire.libyaml_reader import IMPLICIT_TAGS, read_clean
from scan.questionnaire.yaml_construct import (
    BOOL,
    FLOAT,
    INT,
    MAP,
    NULL,
    SEQ,
    STR,
    SYNTAX_HINT,
    TIMESTAMP,
    Builder,
    Node,
    Refused,
)

MAX_BYTES = 512 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 30

# Tags that plain YAML resolves by itself; anything else would construct an object.
_PLAIN_TAGS = {None, STR, INT, FLOAT, BOOL, NULL, MAP, SEQ, TIMESTAMP}
_IMPLICIT = IMPLICIT_TAGS  # ruamel.yaml's tables for plain scalars, by YAML version


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
        located = Builder(name, version).document(root)
    except Refused as exc:
        raise QuestionnaireError([exc.problem]) from None
    return located


def _compose(text: str, name: str) -> tuple[Node | None, tuple[int, int]]:
    """Parse once: refuse what is unsafe, and return the first document's nodes and version."""
    problems: list[Problem] = []
    nodes = depth = documents = 0
    version = (1, 2)
    root: Node | None = None
    open_nodes: list[Node] = []
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
                            tag = STR
                            for candidate, regexp in implicit.get(value[:1], ()):
                                if regexp.match(value):
                                    tag = candidate
                                    break
                        else:
                            tag = STR
                        ctag = None
                    else:
                        ctag = event.ctag
                    node = Node("scalar", tag, ctag, value, event.style, event.start_mark)
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
                        tag = MAP if kind is MappingStartEvent else SEQ
                    else:
                        ctag = event.ctag
                    node = Node(collection, tag, ctag, [], None, event.start_mark)
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
            [Problem("invalid YAML: but found another document", where, hint=SYNTAX_HINT)]
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
    return Problem(f"invalid YAML: {what}", pos, hint=SYNTAX_HINT)
