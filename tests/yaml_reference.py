"""The YAML reader as it was before it read in one pass: the reference for test_yaml_reader.py.

It parsed every text twice: once with the safe pure parser to refuse anchors, aliases, tags,
over-deep or oversized documents and impossible dates, then with the round-trip loader for
line and column numbers, and copied that tree into LocatedDict/LocatedList. The one-pass
reader in scan/questionnaire/yamlsource.py must give the same data, positions and problems.
Kept here only as a reference; nothing in scan/ uses it.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MantissaNoDotYAML1_1Warning, MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.reader import ReaderError

from scan.questionnaire.errors import Position, Problem, QuestionnaireError
from scan.questionnaire.located import LocatedDict, LocatedList
from scan.questionnaire.yamlsource import MAX_BYTES, MAX_DEPTH, MAX_NODES

_PLAIN_TAGS = {
    None,
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}


def reference_read(raw: bytes | str, name: str) -> Any:
    """Parse YAML text into located plain data in two passes, as the reader did."""
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
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8")
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
    _refuse_unsafe_events(text, name)
    round_trip = YAML(typ="rt", pure=True)
    round_trip.allow_duplicate_keys = False
    try:
        with warnings.catch_warnings():  # %YAML 1.1 and 1e3: a warning on stderr, not an error
            warnings.simplefilter("ignore", MantissaNoDotYAML1_1Warning)
            tree = round_trip.load(text)
    except DuplicateKeyError as exc:
        raise QuestionnaireError([_marked_problem(exc, name, "duplicate key")]) from None
    except MarkedYAMLError as exc:
        raise QuestionnaireError([_marked_problem(exc, name)]) from None
    except YAMLError as exc:  # pragma: no cover
        raise QuestionnaireError([Problem(f"invalid YAML: {exc}", Position(name, 1, 1))]) from None
    return _to_located(tree, name, Position(name, 1, 1))


def _refuse_unsafe_events(text: str, name: str) -> None:
    problems: list[Problem] = []
    nodes = depth = 0
    try:
        for event in YAML(typ="safe", pure=True).parse(text):
            pos = Position(name, event.start_mark.line + 1, event.start_mark.column + 1)
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
                problems.append(
                    Problem(
                        "anchors and aliases (& and *) are not allowed",
                        pos,
                        hint="write the value out in full",
                    )
                )
            elif isinstance(event, ScalarEvent | CollectionStartEvent):
                tag = event.tag
                if tag not in _PLAIN_TAGS and tag != "!":
                    problems.append(
                        Problem(
                            f"YAML tag {tag!r} is not allowed",
                            pos,
                            hint="remove the tag; only plain YAML values are allowed",
                        )
                    )
                elif isinstance(event, ScalarEvent) and event.style is None:
                    problems.extend(_impossible_date(event.value, pos))
            if isinstance(event, ScalarEvent | CollectionStartEvent | AliasEvent):
                nodes += 1
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(Problem(f"nesting deeper than {MAX_DEPTH} levels", pos))
                    break
            elif type(event).__name__ in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
            if nodes > MAX_NODES:
                problems.append(Problem(f"more than {MAX_NODES} values in one file", pos))
                break
            if len(problems) >= 20:
                break
    except MarkedYAMLError as exc:
        problems.append(_marked_problem(exc, name))
    except ReaderError as exc:
        line, column = _line_column(text, min(max(exc.position, 0), len(text)))
        problems.append(
            Problem(
                f"character {exc.character:#06x} is not allowed in YAML",
                Position(name, line, column),
                hint="remove it; save the file as plain UTF-8 text",
            )
        )
    if problems:
        raise QuestionnaireError(problems)


_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d\d):(\d\d).*)?$")


def _impossible_date(value: str, pos: Position) -> list[Problem]:
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


_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def _line_column(text: str, index: int) -> tuple[int, int]:
    line, start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


def _marked_problem(exc: MarkedYAMLError, name: str, prefix: str = "invalid YAML") -> Problem:
    mark = exc.problem_mark or exc.context_mark
    pos = Position(name, mark.line + 1, mark.column + 1) if mark else Position(name, 1, 1)
    what = exc.problem or exc.context or "syntax error"
    hint = "check indentation, and put text containing ': ' or '#' in quotes"
    if prefix == "duplicate key":
        hint = "each key may appear once in a mapping; remove or rename one"
        what = what.split("\n")[0]
    return Problem(f"{prefix}: {what}", pos, hint=hint)


def _to_located(node: Any, name: str, here: Position) -> Any:
    if isinstance(node, CommentedMap):
        out = LocatedDict()
        out.position = here
        out.key_positions, out.value_positions = {}, {}
        for key, value in node.items():
            k_line, k_col, v_line, v_col = node.lc.data.get(key, (here.line - 1, 0) * 2)
            key = str(key) if not isinstance(key, str) else key
            out.key_positions[key] = Position(name, k_line + 1, k_col + 1)
            value_pos = Position(name, v_line + 1, v_col + 1)
            if value is None and v_line > k_line:
                value_pos = out.key_positions[key]
            out.value_positions[key] = value_pos
            out[key] = _to_located(value, name, value_pos)
        return out
    if isinstance(node, CommentedSeq):
        out_list = LocatedList()
        out_list.position = here
        out_list.item_positions = []
        for index, value in enumerate(node):
            line, col = node.lc.data.get(index, (here.line - 1, here.column - 1))
            item_pos = Position(name, line + 1, col + 1)
            out_list.item_positions.append(item_pos)
            out_list.append(_to_located(value, name, item_pos))
        return out_list
    if isinstance(node, dt.datetime | dt.date):
        return node
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return str(node)
