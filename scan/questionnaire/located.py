"""Plain YAML data that remembers where each value stood, and how to find a position in it."""

from __future__ import annotations

from typing import Any

from scan.questionnaire.errors import Position


class LocatedDict(dict):
    """A mapping that knows the position of itself, of each key and of each value."""

    position: Position
    key_positions: dict[str, Position]
    value_positions: dict[str, Position]


class LocatedList(list):
    """A sequence that knows the position of itself and of each item."""

    position: Position
    item_positions: list[Position]


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
