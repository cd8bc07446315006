"""The base in view: a questionnaire laid out for an author who tailors it, and the ids to complete.

A pure function over a loaded Questionnaire: its themes with weights, each question with its id,
text, type, options (value, label, score) and which rules and `show_if`s read it, and each rule
with the questions it reads. The studio's base tab shows it; `completion_ids` feeds the editor's
completion of ids. No Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass

from scan.questionnaire.kinds import choices_of
from scan.questionnaire.model import Question, Questionnaire


@dataclass(frozen=True)
class OptionLine:
    """One answer option as the author writes it: the value, what the entrepreneur reads, score."""

    value: str
    label: str
    score: float | None
    acute: bool


@dataclass(frozen=True)
class QuestionLine:
    """One question of the base and what depends on it."""

    id: str
    text: str
    type: str
    options: tuple[OptionLine, ...]
    range: str  # "1 tot 5" for a scale or number question, else ""
    weight: float
    required: bool
    show_if: str
    rules: tuple[str, ...]  # the rules whose `when` reads this question
    shown_by: tuple[str, ...]  # the questions whose `show_if` reads this question


@dataclass(frozen=True)
class ThemeLine:
    """One theme: id, title, weight and its questions in order."""

    id: str
    title: str
    weight: float
    questions: tuple[QuestionLine, ...]


@dataclass(frozen=True)
class RuleLine:
    """One advice rule: when it fires, the questions it reads, its advice and referrals."""

    id: str
    title: str
    theme: str
    priority: str
    when: str
    reads: tuple[str, ...]
    referrals: tuple[str, ...]
    red_flag: bool


@dataclass(frozen=True)
class Outline:
    """A whole questionnaire laid out for its author."""

    id: str
    version: int
    title: str
    themes: tuple[ThemeLine, ...]
    rules: tuple[RuleLine, ...]
    referrals: tuple[str, ...]
    risk_levels: tuple[tuple[str, str, float, float], ...]  # id, label, min, max


def outline(q: Questionnaire) -> Outline:
    """Lay out a loaded questionnaire: themes, questions with their users, rules with reads."""
    order = q.compiled.question_index
    reads = {
        rule.id: tuple(sorted(condition.symbols, key=order.__getitem__))
        for rule, condition in q.compiled.rules
    }
    shown_by: dict[str, list[str]] = {}
    for question_id, condition in q.compiled.show_if.items():
        for symbol in condition.symbols:
            shown_by.setdefault(symbol, []).append(question_id)
    used_by: dict[str, list[str]] = {}
    for rule in q.rules:
        for symbol in reads[rule.id]:
            used_by.setdefault(symbol, []).append(rule.id)

    def line(question: Question) -> QuestionLine:
        return QuestionLine(
            id=question.id,
            text=question.text,
            type=question.type,
            options=tuple(
                OptionLine(o.value, o.label, o.score, o.acute) for o in choices_of(question)
            ),
            range=_range(question),
            weight=question.weight,
            required=question.required,
            show_if=question.show_if or "",
            rules=tuple(used_by.get(question.id, ())),
            shown_by=tuple(sorted(shown_by.get(question.id, ()), key=order.__getitem__)),
        )

    themes = tuple(
        ThemeLine(t.id, t.title, t.weight, tuple(line(x) for x in q.questions_for(t.id)))
        for t in q.themes
    )
    rules = tuple(
        RuleLine(
            id=rule.id,
            title=rule.advice.title,
            theme=rule.theme,
            priority=rule.priority,
            when=rule.when,
            reads=reads[rule.id],
            referrals=tuple(rule.referrals),
            red_flag=rule.red_flag,
        )
        for rule in q.rules
    )
    return Outline(
        id=q.id,
        version=q.version,
        title=q.title,
        themes=themes,
        rules=rules,
        referrals=tuple(q.referrals),
        risk_levels=tuple((r.id, r.label, r.min, r.max) for r in q.risk_levels),
    )


def completion_ids(q: Questionnaire) -> dict[str, list[dict[str, str]]]:
    """Return the ids an author may type, each with a short Dutch description, per kind of id.

    An option is listed by its value; its description names its question. Referrals are the
    questionnaire's own first, then the rest of the registry it was checked against.
    """
    used = [*q.referrals, *(r for x in q.rules for r in x.referrals)]
    referrals = dict.fromkeys([*used, *sorted(q.registry)])
    return {
        "questions": [{"id": x.id, "info": x.text} for x in q.questions],
        "options": [
            {"id": o.value, "info": f"{o.label} (vraag {x.id})"}
            for x in q.questions
            for o in choices_of(x)
        ],
        "themes": [{"id": t.id, "info": t.title} for t in q.themes],
        "rules": [{"id": r.id, "info": r.advice.title} for r in q.rules],
        "referrals": [
            {"id": r, "info": q.registry[r].name if r in q.registry else ""} for r in referrals
        ],
    }


def _range(question: Question) -> str:
    if question.scale is not None:
        return f"{question.scale.min} tot {question.scale.max}"
    if question.number is not None:
        unit = f" {question.number.unit}" if question.number.unit else ""
        return f"{question.number.min:g} tot {question.number.max:g}{unit}"
    return ""
