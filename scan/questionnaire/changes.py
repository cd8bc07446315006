"""What changed between two questionnaires (a base and its overlay, or two versions), in words."""

from __future__ import annotations

from typing import Any

from scan.questionnaire.acute import describe as describe_acute
from scan.questionnaire.model import Question, Questionnaire, Rule, Theme

METADATA = {
    "title": "de titel",
    "sector": "de sector",
    "introduction": "de inleiding",
    "duration_minutes": "de duur",
    "language": "de taal",
    "listed": "of de scan op de startpagina staat",
}


def describe_changes(old: Questionnaire, new: Questionnaire) -> list[str]:
    """Return one Dutch sentence per change from old to new, in reading order."""
    lines = [
        f"Nieuw: {label}." for key, label in METADATA.items() if _get(old, key) != _get(new, key)
    ]
    lines += _items(old.themes, new.themes, "thema", _theme_detail)
    lines += _items(old.questions, new.questions, "vraag", _question_detail)
    lines += _items(old.rules, new.rules, "advies", _rule_detail)
    old_acute = {(x.id, words) for x, words in describe_acute(old)}
    lines += [
        f"Acuut (vraagt direct hulp): ‘{words}’ bij vraag ‘{x.text}’."
        for x, words in describe_acute(new)
        if (x.id, words) not in old_acute
    ]
    if _dump(old.risk_levels) != _dump(new.risk_levels):
        lines.append("De risiconiveaus zijn vervangen.")
    old_refs, new_refs = list(old.referrals), list(new.referrals)
    lines += [f"Doorverwijzing toegevoegd: {r}." for r in new_refs if r not in old_refs]
    lines += [f"Doorverwijzing weggehaald: {r}." for r in old_refs if r not in new_refs]
    return lines


def _items(old: list, new: list, noun: str, detail) -> list[str]:
    before = {item.id: item for item in old}
    after = {item.id: item for item in new}
    lines = []
    for item in new:
        if item.id not in before:
            lines.append(f"{noun.capitalize()} toegevoegd: {item.id} ({_name(item)}).")
        elif _dump(item) != _dump(before[item.id]):
            parts = detail(before[item.id], item)
            lines.append(
                f"{noun.capitalize()} vervangen: {item.id}"
                + (f" ({'; '.join(parts)})" if parts else "")
                + "."
            )
    lines += [f"{noun.capitalize()} weggehaald: {item.id}." for item in old if item.id not in after]
    return lines


def _theme_detail(old, new) -> list[str]:
    parts = []
    if old.weight != new.weight:
        parts.append(f"gewicht {old.weight:g} wordt {new.weight:g}")
    if old.title != new.title:
        parts.append("nieuwe titel")
    return parts


def _question_detail(old, new) -> list[str]:
    parts = []
    old_options = {o.value for o in getattr(old, "options", []) or []}
    new_options = {o.value for o in getattr(new, "options", []) or []}
    parts += [f"optie {v} toegevoegd" for v in sorted(new_options - old_options)]
    parts += [f"optie {v} weggehaald" for v in sorted(old_options - new_options)]
    if old.weight != new.weight:
        parts.append(f"gewicht {old.weight:g} wordt {new.weight:g}")
    if old.text != new.text:
        parts.append("nieuwe vraagtekst")
    if old.error_message != new.error_message:
        if not new.error_message:
            parts.append("foutmelding weggehaald")
        else:
            parts.append("nieuwe foutmelding" if old.error_message else "foutmelding toegevoegd")
    return parts


def _rule_detail(old, new) -> list[str]:
    parts = []
    if old.when != new.when:
        parts.append(f"regel wordt: {new.when}")
    if old.priority != new.priority:
        parts.append(f"prioriteit {old.priority} wordt {new.priority}")
    return parts


def _name(item: Theme | Question | Rule) -> str:
    if isinstance(item, Question):
        return item.text
    if isinstance(item, Rule):
        return item.advice.title
    return item.title


def _get(q: Questionnaire, key: str) -> Any:
    return getattr(q, key, None)


def _dump(value: Any) -> Any:
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value
