"""What a translation of a problem for a branch author reads: the item and key a path names."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scan.questionnaire.errors import Problem

KINDS = {
    "themes": "thema",
    "questions": "vraag",
    "rules": "advies",
    "referrals": "doorverwijzing",
    "new_referrals": "doorverwijzing",
    "risk_levels": "niveau",
    "examples": "voorbeeld",
    "options": "antwoord",
}
KIND_WORDS = {"question": "vraag", "theme": "thema", "rule": "advies", "referral": "doorverwijzing"}
QUOTED = re.compile(r"'([a-z][a-z0-9_]*)'")
STEP = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")
SUGGESTION = re.compile(r"did you mean '([^']+)'")


@dataclass
class AuthorContext:
    """What a translation may read: the author's own data, the merged data and the base."""

    name: str
    source: Any
    merged: Any
    base: Any
    problem: Problem
    steps: list[str | int] = field(default_factory=list)

    @property
    def item(self) -> str:
        return item_label(self.steps, self.source, self.merged)

    @property
    def key(self) -> str:
        keys = [s for s in self.steps if isinstance(s, str)]
        return keys[-1] if keys else ""

    @property
    def suggestion(self) -> str:
        found = SUGGESTION.search(self.problem.hint)
        return f"Bedoelt u '{found.group(1)}'?" if found else ""


def steps_of(path: str) -> list[str | int]:
    return [int(number) if number else word for word, number in STEP.findall(path)]


def item_label(steps: list[str | int], source: Any, merged: Any) -> str:
    """Name the item a path points into: 'vraag mestkelder', 'doorverwijzing lto_zuid'."""
    data, rest = merged, steps
    if steps and steps[0] in ("add", "replace", "remove"):
        data, rest = (source or {}).get(steps[0]), steps[1:]
    elif steps and steps[0] == "new_referrals":
        data = source
    if len(rest) < 2 or not isinstance(rest[1], int) or not isinstance(rest[0], str):
        return _top_label(steps)
    kind = KINDS.get(rest[0], "onderdeel")
    item = get_in(data, rest[:2])
    item_id = item if isinstance(item, str) else _name(item)
    label = f"{kind} {item_id}" if isinstance(item_id, str) else f"de nieuwe {kind}"
    if len(rest) > 3 and rest[2] == "options" and isinstance(rest[3], int):
        option = get_in(item, ["options", rest[3]])
        value = option.get("value") if isinstance(option, dict) else None
        label += f", antwoord {value}" if isinstance(value, str) else ""
    return label


def _name(item: Any) -> Any:
    return (item.get("id") or item.get("name")) if isinstance(item, dict) else None


def _top_label(steps: list[str | int]) -> str:
    if steps and steps[0] == "extends":
        return "de basisscan onder 'extends'"
    if steps and steps[0] in ("add", "replace", "remove", "new_referrals"):
        return f"onder '{steps[0]}'"
    return "bovenaan uw tekst"


def get_in(data: Any, steps: list[str | int]) -> Any:
    for step in steps:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!:" else text + "."


_EXAMPLE_FAILURES = [
    (r"rule '([^']+)' did not fire", "advies {0} komt niet in de uitslag, maar u verwacht het wel"),
    (r"rule '([^']+)' fired", "advies {0} komt in de uitslag, maar u verwacht het niet"),
    (r"unknown rule '([^']+)'", "advies {0} bestaat niet"),
    (r"unknown theme '([^']+)'", "thema {0} bestaat niet"),
    (r"risk level is '([^']*)', expected '([^']*)'", "het niveau is {0}, u verwacht {1}"),
    (r"red flag is (\w+), expected (\w+)", "de rode vlag klopt niet met wat u verwacht"),
    (
        r"overall score is (\S+), expected (\S+) to (\S+)",
        "de totaalscore is {0}, u verwacht {1} tot {2}",
    ),
    (
        r"theme '([^']+)' is (\S+), expected (\S+) to (\S+)",
        "thema {0} scoort {1}, u verwacht {2} tot {3}",
    ),
    (r"invalid answer: unknown question '([^']+)'", "vraag {0} bij de antwoorden bestaat niet"),
    (
        r"invalid answer: ([a-z0-9_]+): ",
        "het antwoord bij {0} kan niet; kijk welke antwoorden die vraag heeft",
    ),
]


def example_failure(failure: str) -> str:
    """Return an example's unmet expectation in Dutch."""
    return in_words(_EXAMPLE_FAILURES, failure, "de uitslag is anders dan u verwacht")


def in_words(table: list[tuple[str, str]], message: str, otherwise: str) -> str:
    """Return the Dutch words of the first (pattern, words) whose pattern is in the message.

    The words are a format string: {0}, {1} take the pattern's groups.
    """
    for pattern, words in table:
        found = re.search(pattern, message)
        if found:
            return words.format(*found.groups())
    return otherwise


Translation = Callable[[re.Match[str], AuthorContext], tuple[str, str]]
Shapes = list[tuple[re.Pattern[str], Translation]]


def shape_in(shapes: Shapes) -> Callable[[str], Callable[[Translation], Translation]]:
    """Return a decorator that adds a translation for messages matching a pattern to shapes."""

    def shape(pattern: str) -> Callable[[Translation], Translation]:
        def register(translate: Translation) -> Translation:
            shapes.append((re.compile(pattern), translate))
            return translate

        return register

    return shape


def words_in(shapes: Shapes) -> Callable[..., None]:
    """Return a function that adds a shape by its words alone to shapes.

    The words are format strings: {0}, {1} take the pattern's groups, {item} and {Item} the
    item ("vraag kvo", capitalised), {key} the key. With suggest=True a "did you mean" of the
    loader replaces the fix.
    """

    def add(pattern: str, text: str, fix: str, suggest: bool = False) -> None:
        def translate(found: re.Match[str], c: AuthorContext) -> tuple[str, str]:
            values = {"item": c.item, "Item": cap(c.item), "key": c.key}
            fixed = fix.format(*found.groups(), **values)
            return text.format(*found.groups(), **values), (suggest and c.suggestion) or fixed

        shapes.append((re.compile(pattern), translate))

    return add
