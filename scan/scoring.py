"""Score a filled-in scan: a pure function from questionnaire and answers to a Result."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .questionnaire.checks import MELD_MISDAAD_ANONIEM
from .questionnaire.errors import AnswersError, did_you_mean
from .questionnaire.model import (
    NOT_APPLICABLE,
    PRIORITIES,
    SPECIAL_ANSWERS,
    UNKNOWN,
    Question,
    Questionnaire,
    Referral,
)

Answer = str | float | list[str]
HiddenPolicy = Literal["error", "ignore"]


@dataclass(frozen=True)
class ThemeScore:
    """The score of one theme and how many of its questions counted."""

    id: str
    title: str
    weight: float
    score: float | None
    counted: int
    unknown: int
    skipped: int
    capped_by: str | None = None


@dataclass(frozen=True)
class Trigger:
    """An answer that made a rule fire."""

    question_id: str
    question: str
    answer: str


@dataclass(frozen=True)
class FiredAdvice:
    """Advice from a rule that fired, with the answers that triggered it."""

    id: str
    theme: str
    priority: str
    red_flag: bool
    title: str
    explanation: str
    steps: tuple[str, ...]
    referrals: tuple[str, ...]
    triggers: tuple[Trigger, ...]


@dataclass(frozen=True)
class RiskOutcome:
    """The risk level an overall score (or a red flag) leads to."""

    id: str
    label: str
    explanation: str


@dataclass(frozen=True)
class Result:
    """Everything a scan leads to; the web page and the PDF only read this."""

    questionnaire_id: str
    version: int
    title: str
    sector: str
    overall: float | None
    risk: RiskOutcome | None
    red_flag: bool
    themes: tuple[ThemeScore, ...]
    advice: tuple[FiredAdvice, ...]
    referrals: tuple[Referral, ...]
    answered: int
    unknown: int
    not_applicable: int
    skipped: int
    visible: int

    def fired_ids(self) -> list[str]:
        """Return the ids of the rules that fired."""
        return [a.id for a in self.advice]

    def theme(self, theme_id: str) -> ThemeScore:
        """Return one theme's score."""
        return next(t for t in self.themes if t.id == theme_id)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        data = asdict(self)
        data["referrals"] = [r.model_dump(mode="json") for r in self.referrals]
        return data


def check_answers(
    q: Questionnaire, answers: Mapping[str, Any], hidden: HiddenPolicy = "error"
) -> dict[str, Answer]:
    """Validate and normalise answers; drop empty ones; raise AnswersError listing every problem."""
    if not isinstance(answers, Mapping):
        raise AnswersError(["answers must be a mapping from question id to answer"])
    questions = q.compiled.questions
    problems: list[str] = []
    clean: dict[str, Answer] = {}
    for key, raw in answers.items():
        question = questions.get(key) if isinstance(key, str) else None
        if question is None:
            hint = did_you_mean(key, questions)
            problems.append(f"unknown question '{key}'" + (f" ({hint})" if hint else ""))
            continue
        if raw is None or raw == "" or raw == []:
            continue
        value, problem = _normalise(question, raw)
        if problem:
            problems.append(f"{key}: {problem}")
        else:
            clean[key] = value
    if problems:
        raise AnswersError(problems)
    visible = visible_questions(q, clean)
    hidden_answered = [k for k in clean if k not in visible]
    if hidden_answered and hidden == "error":
        raise AnswersError(
            [
                f"{k}: this question is hidden by its show_if, so it cannot be answered"
                for k in hidden_answered
            ]
        )
    return {k: v for k, v in clean.items() if k in visible}


def _normalise(question: Question, raw: Any) -> tuple[Answer | None, str]:
    """Return the normalised answer, or an error message."""
    specials = question.special_answers()
    kind = question.type
    if isinstance(raw, str) and raw in SPECIAL_ANSWERS:
        if raw not in specials:
            return None, f"'{raw}' is not offered for this question"
        return (raw if kind != "multiple_choice" else [raw]), ""
    if kind in ("yes_no", "single_choice"):
        values = [o.value for o in question.choices()]
        if not isinstance(raw, str) or raw not in values:
            hint = did_you_mean(raw, values) or "options: " + ", ".join(values + specials)
            return None, f"'{raw}' is not an option ({hint})"
        return raw, ""
    if kind == "multiple_choice":
        items = [raw] if isinstance(raw, str) else raw
        values = [o.value for o in question.options]
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            return None, "give a list of option values"
        if len(items) == 1 and items[0] in specials:
            return items, ""
        wrong = [i for i in items if i not in values]
        if wrong:
            hint = did_you_mean(wrong[0], values) or "options: " + ", ".join(values)
            return None, f"'{wrong[0]}' is not an option ({hint})"
        if len(set(items)) != len(items):
            return None, "an option is chosen twice"
        return [v for v in values if v in items], ""
    if kind in ("scale", "number"):
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            return None, "give a number"
        try:
            number = float(str(raw).replace(",", ".")) if isinstance(raw, str) else float(raw)
        except ValueError:
            return None, f"'{raw}' is not a number"
        if not math.isfinite(number):
            return None, "give a finite number"
        low, high = (
            (question.scale.min, question.scale.max)
            if kind == "scale"
            else (question.number.min, question.number.max)
        )
        if kind == "scale" and number != int(number):
            return None, "a scale answer is a whole number"
        if not low <= number <= high:
            return None, f"{number:g} is outside {low:g} to {high:g}"
        return number, ""
    if not isinstance(raw, str):
        return None, "give text"
    if len(raw) > question.max_length:
        return None, f"text is longer than {question.max_length} characters"
    return raw, ""


def expression_values(q: Questionnaire, answers: Mapping[str, Answer]) -> dict[str, Any]:
    """Return the value of every question symbol: the answer, or None."""
    values: dict[str, Any] = dict.fromkeys(q.compiled.questions)
    for key, value in answers.items():
        if isinstance(value, str) and value in SPECIAL_ANSWERS:
            kind = q.compiled.questions[key].type
            values[key] = None if kind in ("scale", "number") else value
        else:
            values[key] = value
    return values


def visible_questions(q: Questionnaire, answers: Mapping[str, Answer]) -> set[str]:
    """Return the ids of the questions shown for these answers (in one pass, in order)."""
    show_if = q.compiled.show_if
    values: dict[str, Any] = dict.fromkeys(q.compiled.questions)
    visible: set[str] = set()
    for question in q.questions:
        expr = show_if.get(question.id)
        if expr is None or _holds(expr, values):
            visible.add(question.id)
            if question.id in answers:
                values[question.id] = _symbol_value(question, answers[question.id])
    return visible


def _symbol_value(question: Question, value: Answer) -> Any:
    if isinstance(value, str) and value in SPECIAL_ANSWERS and question.type in ("scale", "number"):
        return None
    return value


def _holds(expr, values: Mapping[str, Any]) -> bool:
    """Evaluate an expression; a comparison with a missing answer is simply false."""
    try:
        return expr(values)
    except Exception:  # noqa: BLE001 - rule-engine raises on e.g. null > 3: not true
        return False


def question_fraction(question: Question, value: Answer) -> float | None:
    """Return a question's score as 0..1, or None when it does not count."""
    if not question.scored or (isinstance(value, str) and value in SPECIAL_ANSWERS):
        return None
    if isinstance(value, list):
        if value and value[0] in SPECIAL_ANSWERS:
            return None
        scores = {o.value: o.score or 0.0 for o in question.options}
        return min(sum(scores[v] for v in value), 100.0) / 100.0
    if question.type == "scale":
        scale = question.scale
        fraction = (float(value) - scale.min) / (scale.max - scale.min)
        return fraction if scale.good == "high" else 1.0 - fraction
    for option in question.choices():
        if option.value == value:
            return (option.score or 0.0) / 100.0
    return None


def answer_label(question: Question, value: Answer) -> str:
    """Return how an answer reads for people (option labels, not values)."""
    if isinstance(value, str) and value in SPECIAL_ANSWERS:
        return SPECIAL_ANSWERS[value]
    if isinstance(value, list):
        if value and value[0] in SPECIAL_ANSWERS:
            return SPECIAL_ANSWERS[value[0]]
        labels = {o.value: o.label for o in question.options}
        return ", ".join(labels[v] for v in value)
    if question.type in ("yes_no", "single_choice"):
        return next(o.label for o in question.choices() if o.value == value)
    if question.type in ("scale", "number"):
        unit = question.number.unit if question.type == "number" and question.number.unit else ""
        return f"{value:g} {unit}".strip()
    return str(value)


def score(q: Questionnaire, answers: Mapping[str, Any], hidden: HiddenPolicy = "error") -> Result:
    """Score answers against a questionnaire; raise AnswersError when they do not fit."""
    clean = check_answers(q, answers, hidden)
    values = expression_values(q, clean)
    compiled = q.compiled
    fired = [(rule, expr) for rule, expr in compiled.rules if _holds(expr, values)]
    visible = visible_questions(q, clean)

    caps: dict[str, tuple[float, str]] = {}
    for rule, _ in fired:
        if rule.score_cap is not None and (
            rule.theme not in caps or rule.score_cap < caps[rule.theme][0]
        ):
            caps[rule.theme] = (rule.score_cap, rule.id)
    themes = tuple(_theme_score(q, theme, clean, visible, caps) for theme in q.themes)

    scored = [(t.score, t.weight) for t in themes if t.score is not None]
    overall = (
        round(sum(s * w for s, w in scored) / sum(w for _, w in scored), 1) if scored else None
    )
    red_flag = any(rule.red_flag for rule, _ in fired)
    risk = _risk(q, overall, red_flag)
    advice = tuple(
        _advice(q, rule, expr, clean)
        for rule, expr in sorted(
            fired, key=lambda item: (PRIORITIES.index(item[0].priority), not item[0].red_flag)
        )
    )
    specials = [v for v in clean.values() if not isinstance(v, float)]
    unknown = sum(1 for v in specials if v == UNKNOWN or v == [UNKNOWN])
    not_applicable = sum(1 for v in specials if v == NOT_APPLICABLE or v == [NOT_APPLICABLE])
    return Result(
        questionnaire_id=q.id,
        version=q.version,
        title=q.title,
        sector=q.sector,
        overall=overall,
        risk=risk,
        red_flag=red_flag,
        themes=themes,
        advice=advice,
        referrals=_referrals(q, advice),
        answered=len(clean) - unknown - not_applicable,
        unknown=unknown,
        not_applicable=not_applicable,
        skipped=len(visible) - len(clean),
        visible=len(visible),
    )


def _theme_score(q, theme, clean, visible, caps) -> ThemeScore:
    """Return the weighted 0-100 score of one theme over its counted questions."""
    total = weights = 0.0
    counted = unknown = skipped = 0
    for question in q.questions:
        if question.theme != theme.id or question.id not in visible:
            continue
        if question.id not in clean:
            skipped += question.scored
            continue
        fraction = question_fraction(question, clean[question.id])
        if fraction is None:
            unknown += question.scored
            continue
        total += fraction * question.weight
        weights += question.weight
        counted += 1
    value = round(100 * total / weights, 1) if weights else None
    capped_by = None
    if value is not None and theme.id in caps and caps[theme.id][0] < value:
        value, capped_by = caps[theme.id]
    return ThemeScore(
        theme.id, theme.title, theme.weight, value, counted, unknown, skipped, capped_by
    )


def _risk(q: Questionnaire, overall: float | None, red_flag: bool) -> RiskOutcome | None:
    """Return the risk level for a score; a red flag always gives the most serious level."""
    if red_flag:
        level = q.risk_levels[0]
    elif overall is None:
        return None
    else:
        level = next(
            (lvl for lvl in q.risk_levels if lvl.min <= overall < lvl.max), q.risk_levels[-1]
        )
    return RiskOutcome(level.id, level.label, level.explanation)


def _advice(q: Questionnaire, rule, expr, clean) -> FiredAdvice:
    """Return the fired advice with the answers that triggered it."""
    triggers = tuple(
        Trigger(question.id, question.text, answer_label(question, clean[question.id]))
        for question in q.questions
        if question.id in expr.symbols and question.id in clean
    )
    referrals = list(rule.referrals)
    if rule.red_flag and MELD_MISDAAD_ANONIEM not in referrals:
        referrals.insert(0, MELD_MISDAAD_ANONIEM)
    return FiredAdvice(
        id=rule.id,
        theme=rule.theme,
        priority=rule.priority,
        red_flag=rule.red_flag,
        title=rule.advice.title,
        explanation=rule.advice.explanation,
        steps=tuple(rule.advice.steps),
        referrals=tuple(referrals),
        triggers=triggers,
    )


def _referrals(q: Questionnaire, advice: tuple[FiredAdvice, ...]) -> tuple[Referral, ...]:
    """Return the referrals of the result: Meld Misdaad Anoniem first, no duplicates."""
    ids = [MELD_MISDAAD_ANONIEM]
    for item in advice:
        ids.extend(item.referrals)
    ids.extend(q.referrals)
    return tuple(q.registry[i] for i in dict.fromkeys(ids))
