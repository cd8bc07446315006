"""Messages for a branch author: every located problem in plain Dutch, on a line of their text.

The loader reports problems for developers: English, located in the merged scan (`rules[29]`,
the base's file and line). A branch author only sees their own overlay. This layer translates:

1. the item: the path (`questions[25].theme`, `add.questions[0].after`, `new_referrals[0]`)
   becomes "vraag mestkelder", "advies kvo_buitengebied", "doorverwijzing lto_zuid";
2. the place: a line of the author's own text. A problem in the base's file is moved to the
   line that causes it: where the overlay removes the id the base still uses, where the overlay
   defines an id, else the `extends` line;
3. the words: a table of the loader's message shapes, each with a Dutch sentence and how to fix
   it; any message without a shape gets a Dutch fallback that names the key, never English;
4. one message per cause: problems with the same cause on the same line are merged (a removed
   theme that eight base questions still use is one message naming them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from scan.questionnaire import author_wording, author_wording_checks
from scan.questionnaire.author_context import (
    KINDS,
    QUOTED,
    SUGGESTION,
    AuthorContext,
    cap,
    get_in,
    sentence,
    steps_of,
)
from scan.questionnaire.errors import Position, Problem


@dataclass(frozen=True)
class AuthorMessage:
    """One message for the author: what is wrong (naming the item), how to fix it, and where."""

    severity: str  # "error" or "warning"
    text: str
    fix: str
    line: int | None  # a line of the author's own text; None when the text has no lines yet
    column: int | None = None
    example: str = ""  # text to copy, e.g. the base's whole item for a replace

    def __str__(self) -> str:
        where = f"regel {self.line}" if self.line else "tekst"
        word = "fout" if self.severity == "error" else "tip"
        return f"{where}: {word}: {self.text} {self.fix}".rstrip()


def author_messages(
    problems: Iterable[Problem],
    name: str,
    source: Any = None,
    merged: Any = None,
    base: Any = None,
) -> list[AuthorMessage]:
    """Translate the loader's problems about the text `name` into messages for its author.

    `source` is the text's own located data, `merged` the data with its base merged (an
    overlay's), `base` the base's data: each may be None when the text got not that far.
    """
    problems = list(problems)
    messages: dict[tuple[Any, ...], tuple[AuthorMessage, list[str]]] = {}
    skipped = _replaced_by_suggestion(problems)
    for problem in problems:
        if problem in skipped:
            continue
        context = AuthorContext(name, source, merged, base, problem, steps_of(problem.path))
        message, cause = _translate(context)
        key = (message.severity, message.line, cause or (message.text, message.fix))
        if key in messages and cause:
            messages[key][1].append(context.item)
        else:
            messages.setdefault(key, (message, [context.item]))
    return [_with_items(message, items) for message, items in messages.values()]


def _translate(context: AuthorContext) -> tuple[AuthorMessage, tuple[Any, ...] | None]:
    """Return the Dutch message for one problem and its cause (to merge) when it has one."""
    problem = context.problem
    line, column = _own_place(context)
    cause: tuple[Any, ...] | None = None
    example = ""
    removed = _removed_id(context)
    if removed is not None:
        section, item_id = removed
        text, fix = _still_used(section, item_id)
        cause = ("removed", section, item_id)
    elif _is_partial_replace(context):
        text, fix, example = _partial_replace(context)
        cause = ("replace", context.item)
    else:
        text, fix = words(context)
    return (
        AuthorMessage(problem.severity, sentence(text), sentence(fix), line, column, example),
        cause,
    )


# --- where: a line of the author's own text ------------------------------------------------


def _own_place(context: AuthorContext) -> tuple[int | None, int | None]:
    """Return the line and column of the author's text that the problem is about."""
    position = context.problem.position
    if position is not None and position.file == context.name:
        return position.line, position.column
    removed = _removed_id(context)
    if removed is not None:
        where = context.merged.removed[removed[0]][removed[1]]
        return where.line, where.column
    for item_id in QUOTED.findall(context.problem.message):
        own = _own_item_position(context.source, item_id)
        if own is not None:
            return own.line, own.column
    extends = _value_position(context.source, "extends")
    if extends is not None:
        return extends.line, extends.column
    return (1, 1) if context.source is not None or position is not None else (None, None)


def _removed_id(context: AuthorContext) -> tuple[str, str] | None:
    """Return (section, id) when the problem is about an id that this overlay removes."""
    removed = getattr(context.merged, "removed", None)
    position = context.problem.position
    if not removed or (position is not None and position.file == context.name):
        return None
    for item_id in QUOTED.findall(context.problem.message):
        for section, ids in removed.items():
            if item_id in ids and ids[item_id].file == context.name:
                return section, item_id
    return None


def _own_item_position(source: Any, item_id: str) -> Position | None:
    """Return where the author's text defines an item with this id (add, replace, own)."""
    if not isinstance(source, dict):
        return None
    holders = [source.get("new_referrals")]
    for part in ("add", "replace"):
        section = source.get(part)
        if isinstance(section, dict):
            holders += [section.get(name) for name in ("themes", "questions", "rules")]
    for items in holders:
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get("id") == item_id:
                positions = getattr(items, "item_positions", [])
                at_id = getattr(item, "value_positions", {}).get("id")
                return at_id or (positions[i] if i < len(positions) else None)
    return None


def _value_position(data: Any, key: str) -> Position | None:
    return getattr(data, "value_positions", {}).get(key) if isinstance(data, dict) else None


def _with_items(message: AuthorMessage, items: list[str]) -> AuthorMessage:
    """Fill the items that share one cause into the message ({items})."""
    named = list(dict.fromkeys(items))
    if len(named) > 12:  # the author fixes each one, so name them all unless very many
        named = [*named[:10], f"nog {len(named) - 10} andere"]
    listing = ", ".join(named[:-1]) + (" en " if len(named) > 1 else "") + named[-1]
    return AuthorMessage(
        message.severity,
        message.text.replace("{items}", listing),
        message.fix.replace("{items}", listing),
        message.line,
        message.column,
        message.example,
    )


# --- causes that span items ------------------------------------------------------------------


def _still_used(section: str, item_id: str) -> tuple[str, str]:
    kind = KINDS.get(section, "onderdeel")
    if section == "themes":
        return (
            f"U haalt thema {item_id} weg, maar dit hoort er nog bij uit de basisscan: {{items}}",
            "Haal die ook weg onder 'remove:', of zet ze met 'replace:' in een ander thema",
        )
    return (
        f"U haalt {kind} {item_id} weg, maar de basisscan gebruikt die nog in: {{items}}",
        "Haal die ook weg onder 'remove:', of schrijf ze met 'replace:' opnieuw zonder "
        f"{kind} {item_id}",
    )


def _is_partial_replace(context: AuthorContext) -> bool:
    """Tell whether a missing key is in an item the author replaces (replace needs it whole)."""
    if not context.problem.message.endswith("is missing") or len(context.steps) != 2:
        return False
    section, item_id = context.steps[0], _item_id(context.merged, context.steps)
    replaced = (context.source or {}).get("replace") if isinstance(context.source, dict) else None
    items = replaced.get(section) if isinstance(replaced, dict) else None
    return isinstance(item_id, str) and any(
        isinstance(item, dict) and item.get("id") == item_id for item in items or []
    )


def _item_id(data: Any, steps: list[str | int]) -> Any:
    item = get_in(data, steps[:2])
    return item.get("id") if isinstance(item, dict) else None


def _partial_replace(context: AuthorContext) -> tuple[str, str, str]:
    section = str(context.steps[0])
    item_id = _item_id(context.merged, context.steps)
    kind = KINDS.get(section, "onderdeel")
    base_items = (context.base or {}).get(section) if isinstance(context.base, dict) else None
    base_item = next(
        (i for i in base_items or [] if isinstance(i, dict) and i.get("id") == item_id), None
    )
    example = _as_yaml(base_item) if base_item is not None else ""
    return (
        f"U vervangt {kind} {item_id}, maar niet helemaal: 'replace' vervangt het hele "
        f"onderdeel, dus er ontbreken nu stukken",
        f"Schrijf de hele {kind} onder 'replace:'. Neem de tekst uit de basisscan over en "
        "pas alleen aan wat anders moet" + (". Zo staat hij in de basisscan:" if example else ""),
        example,
    )


def _as_yaml(item: Any) -> str:
    """Return an item as YAML to copy: the base's text of a question, rule or theme."""
    return str(
        yaml.safe_dump(
            _plain(item), allow_unicode=True, sort_keys=False, default_flow_style=False, width=90
        )
    ).strip()


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _replaced_by_suggestion(problems: list[Problem]) -> set[Problem]:
    """Return "'text' is missing" problems that an unknown key suggesting 'text' explains."""
    suggested = set()
    for problem in problems:
        found = SUGGESTION.search(problem.hint)
        if problem.message.startswith("unknown key") and found:
            suggested.add((problem.path, found.group(1)))
    return {
        p
        for p in problems
        if p.message.endswith("' is missing") and (p.path, p.message.split("'")[1]) in suggested
    }


# --- the words ------------------------------------------------------------------------------

TABLE = author_wording.SHAPES + author_wording_checks.SHAPES


def words(context: AuthorContext) -> tuple[str, str]:
    """Return what is wrong and how to fix it, in Dutch, for one problem."""
    for pattern, translate in TABLE:
        found = pattern.search(context.problem.message)
        if found:
            return translate(found, context)
    return _fallback(context)


def _fallback(context: AuthorContext) -> tuple[str, str]:
    """Dutch for a message the table does not know: the item and the key, never English."""
    where = f" bij '{context.key}'" if context.key else ""
    if context.problem.severity == "warning":
        return f"{cap(context.item)}: kijk nog eens naar wat er{where} staat", (
            "Dit mag, maar het is misschien niet wat u bedoelt"
        )
    return f"{cap(context.item)}: wat er{where} staat, kan zo niet", (
        "Vergelijk het met de handleiding of met de basisscan, en pas het aan"
    )
