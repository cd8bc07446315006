"""Turn located plain data into typed models, with pydantic's errors made located and readable."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from scan.questionnaire.errors import Problem, did_you_mean
from scan.questionnaire.kinds import KINDS
from scan.questionnaire.links import PHONE_HINT, URL_HINT
from scan.questionnaire.located import format_path, key_position, locate
from scan.questionnaire.model import KIND_NAMES

M = TypeVar("M", bound=BaseModel)

_HINTS = {
    "string_pattern_mismatch": "ids are snake_case: lower-case letters, digits and _, "
    "starting with a letter",
    "literal_error": "",
    "int_parsing": "write a whole number without quotes",
    "int_from_float": "write a whole number without quotes",
    "float_parsing": "write a number without quotes",
    "int_type": "write a whole number without quotes",
    "float_type": "write a number without quotes",
    "finite_number": "write an ordinary number",
    "bool_parsing": "write true or false",
    "string_type": "write text; put it in quotes if it looks like a number or true/false",
    "list_type": "write a list: one item per line starting with '- ', or [a, b]",
    "dict_type": "write a mapping of key: value lines",
    "model_type": "write a mapping of key: value lines",
    "too_short": "",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "unsafe_url": URL_HINT,
    "unsafe_phone": PHONE_HINT,
}


def build_model(model: type[M], data: Any) -> tuple[M | None, list[Problem]]:
    """Validate data into a model; on failure return every problem with its position."""
    try:
        return model.model_validate(data, context={KIND_NAMES: tuple(KINDS)}), []
    except ValidationError as exc:
        problems = [_problem(model, data, err) for err in exc.errors(include_url=False)]
        return None, list(dict.fromkeys(problems))  # one report per place and message


def _problem(model: type[BaseModel], data: Any, err: dict[str, Any]) -> Problem:
    """Translate one pydantic error into a located Problem."""
    loc = _data_loc(data, err["loc"])
    kind = err["type"]
    path = format_path(loc)
    hint = _HINTS.get(kind, "")
    message = err["msg"]
    if kind == "missing" and loc and isinstance(loc[-1], int):  # a too-short range [low, high]
        return Problem(
            "a range needs two numbers",
            locate(data, loc[:-1]),
            format_path(loc[:-1]),
            hint="write a range as [low, high]",
        )
    if kind == "missing":
        parent = _get(data, loc[:-1])
        return Problem(
            f"'{loc[-1]}' is missing",
            key_position(parent, str(loc[-1])) if parent is not None else locate(data, loc[:-1]),
            format_path(loc[:-1]),
            hint=f"add a '{loc[-1]}:' key here",
        )
    if kind == "extra_forbidden":
        parent = _get(data, loc[:-1])
        allowed = _allowed_keys(model, loc[:-1])
        hint = did_you_mean(loc[-1], allowed) or (
            "allowed keys: " + ", ".join(sorted(allowed)) if allowed else ""
        )
        if " " in str(loc[-1]):
            hint = "a ',' inside { } ends the text there; put the whole text in quotes"
        if model.__name__ == "Questionnaire" and loc in (("add",), ("replace",), ("remove",)):
            hint = "add, replace and remove are for overlays: name the base with 'extends:'"
        return Problem(
            f"unknown key '{loc[-1]}'",
            key_position(parent, str(loc[-1])),
            format_path(loc[:-1]),
            hint=hint,
        )
    if kind == "string_type" and isinstance(err.get("input"), dict):
        hint = "this text contains ': ', so YAML read it as key: value; put it in quotes"
    if err.get("input", "") is None and "type" in kind:
        hint = "the value is empty; write it after the ':'"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        hint = did_you_mean(err.get("input"), _literal_words(expected)) or f"use {expected}"
        message = f"'{err.get('input')}' is not allowed here"
    return Problem(message, locate(data, loc), path, hint=hint)


def _data_loc(data: Any, raw: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union tags from an error path, but never a key that is in the data."""
    loc: list[Any] = []
    node = data
    for step in raw:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        elif _is_union_tag(step):
            continue
        else:
            node = None
        loc.append(step)
    return tuple(loc)


def _is_union_tag(step: Any) -> bool:
    """Pydantic inserts type names like 'float' or 'list[...]' in union error paths."""
    return isinstance(step, str) and (
        step in ("float", "int", "str", "bool", "none", "tuple[float, float]", "function-after")
        or "[" in step
    )


def _get(data: Any, loc: tuple[Any, ...]) -> Any:
    """Follow a path into plain data; None when it leads nowhere."""
    node = data
    for step in loc:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Return the field names of the (nested) model at a path."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        field = getattr(current, "model_fields", {}).get(step)
        if field is None:
            return []
        current = _model_in(field.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    """Find a BaseModel class inside an annotation like list[Question] or Scale | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        return _model_in(origin) if isinstance(origin, type) else None
    return None


def _literal_words(expected: str) -> list[str]:
    """Extract the quoted words from pydantic's "'a', 'b' or 'c'"."""
    return [part.strip(" '\"") for part in expected.replace(" or ", ",").split(",") if part.strip()]
