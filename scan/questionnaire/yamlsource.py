"""Read YAML safely into plain dicts and lists that remember where each value stood."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.reader import ReaderError

from .errors import Position, Problem, QuestionnaireError

MAX_BYTES = 512 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 30
# Tags that plain YAML resolves by itself; anything else would construct an object.
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


class LocatedDict(dict):
    """A mapping that knows the position of itself, of each key and of each value."""

    position: Position
    key_positions: dict[str, Position]
    value_positions: dict[str, Position]


class LocatedList(list):
    """A sequence that knows the position of itself and of each item."""

    position: Position
    item_positions: list[Position]


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
    _refuse_unsafe_events(text, name)
    # Round-trip mode for line and column numbers; it constructs only plain maps, lists and
    # scalars, and the pass above has already refused every tag, anchor and alias.
    round_trip = YAML(typ="rt", pure=True)
    round_trip.allow_duplicate_keys = False
    try:
        tree = round_trip.load(text)
    except DuplicateKeyError as exc:
        raise QuestionnaireError([_marked_problem(exc, name, "duplicate key")]) from None
    except MarkedYAMLError as exc:
        raise QuestionnaireError([_marked_problem(exc, name)]) from None
    except YAMLError as exc:  # pragma: no cover - unmarked parser errors are rare
        raise QuestionnaireError([Problem(f"invalid YAML: {exc}", Position(name, 1, 1))]) from None
    located = _to_located(tree, name, Position(name, 1, 1))
    if cache is not None:
        cache.put(raw, located)
    return located


def _refuse_unsafe_events(text: str, name: str) -> None:
    """Refuse aliases, anchors, custom tags and oversized or over-deep documents."""
    problems: list[Problem] = []
    nodes = depth = 0
    try:
        # The pure parser on purpose: libyaml's C parser reads flow mappings differently
        # (YAML 1.1), and this pass must see exactly what the round-trip loader sees.
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
            elif isinstance(event, (ScalarEvent, CollectionStartEvent)):
                tag = event.tag
                if tag not in _PLAIN_TAGS and tag != "!":
                    problems.append(
                        Problem(
                            f"YAML tag {tag!r} is not allowed",
                            pos,
                            hint="remove the tag; only plain YAML values are allowed",
                        )
                    )
            if isinstance(event, (ScalarEvent, CollectionStartEvent, AliasEvent)):
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
    except ReaderError as exc:  # a control character such as NUL: no mark, only an index
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


_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # as ruamel's reader counts them


def _line_column(text: str, index: int) -> tuple[int, int]:
    """Return the 1-based line and column of a character index."""
    line, start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


def _marked_problem(exc: MarkedYAMLError, name: str, prefix: str = "invalid YAML") -> Problem:
    """Turn a ruamel error with a mark into a located problem."""
    mark = exc.problem_mark or exc.context_mark
    pos = Position(name, mark.line + 1, mark.column + 1) if mark else Position(name, 1, 1)
    what = exc.problem or exc.context or "syntax error"
    hint = "check indentation, and put text containing ': ' or '#' in quotes"
    if prefix == "duplicate key":
        hint = "each key may appear once in a mapping; remove or rename one"
        what = what.split("\n")[0]
    return Problem(f"{prefix}: {what}", pos, hint=hint)


def _to_located(node: Any, name: str, here: Position) -> Any:
    """Copy ruamel's round-trip tree into LocatedDict/LocatedList with positions."""
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
                # An empty value: ruamel marks the next line; the key's own line is meant.
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


def locate(data: Any, path: tuple[Any, ...]) -> Position | None:
    """Return the position that best matches a path into located data."""
    best = getattr(data, "position", None)
    node = data
    for step in path:
        if isinstance(node, LocatedDict) and isinstance(step, str) and step in node:
            best = node.value_positions.get(step, best)
            if not isinstance(node[step], LocatedDict | LocatedList):
                best = node.value_positions.get(step, best)
            node = node[step]
        elif isinstance(node, LocatedList) and isinstance(step, int) and 0 <= step < len(node):
            best = node.item_positions[step]
            node = node[step]
        else:
            break
        best = getattr(node, "position", best)
    return best


def key_position(data: Any, key: str) -> Position | None:
    """Return the position of a key in a located mapping (or of the mapping itself)."""
    if isinstance(data, LocatedDict):
        return data.key_positions.get(key, data.position)
    return getattr(data, "position", None)


def format_path(path: tuple[Any, ...]) -> str:
    """Format a path like questions[12].options[2].score."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else str(step)
    return text
