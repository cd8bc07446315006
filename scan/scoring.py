"""Score a filled-in scan: a pure function from questionnaire and answers to a Result."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from .questionnaire.errors import AnswersError, did_you_mean
from .questionnaire.model import (
    NOT_APPLICABLE,
    SPECIAL_ANSWERS,
    UNKNOWN,
    Question,
    Questionnaire,
    Referral,
    RiskLevel,
)
from .questionnaire.plan import MELD_MISDAAD_ANONIEM, QuestionPlan, RulePlan, plan_question

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
    return _prepare(q, answers, hidden)[0]


def check_visible(
    q: Questionnaire, answers: Mapping[str, Any]
) -> tuple[dict[str, Answer], set[str]]:
    """Validate and normalise answers once; return the visible ones and the visible question ids.

    Answers to hidden questions are left out; raise AnswersError listing every problem.
    """
    clean, visible, _ = _prepare(q, answers, "ignore")
    return clean, visible


def visible_questions(q: Questionnaire, answers: Mapping[str, Any]) -> set[str]:
    """Return the ids of the questions shown for these (valid) answers."""
    return _prepare(q, answers, "ignore")[1]


def expression_values(q: Questionnaire, answers: Mapping[str, Answer]) -> dict[str, Any]:
    """Return the value of every question symbol for valid answers: the answer, or None."""
    return _prepare(q, answers, "ignore")[2]


def _prepare(
    q: Questionnaire, answers: Mapping[str, Any], hidden: HiddenPolicy
) -> tuple[dict[str, Answer], set[str], dict[str, Any]]:
    """Check answers, then walk the questions once: visible set, clean answers, symbol values."""
    if not isinstance(answers, Mapping):
        raise AnswersError(["answers must be a mapping from question id to answer"])
    plans = q.compiled.plans
    problems: list[str] = []
    given: dict[str, Answer] = {}
    for key, raw in answers.items():
        plan = plans.get(key) if isinstance(key, str) else None
        if plan is None:
            hint = did_you_mean(key, plans)
            problems.append(f"unknown question '{key}'" + (f" ({hint})" if hint else ""))
            continue
        if raw is None or raw == "" or raw == []:
            continue
        value, problem = _normalise(plan, raw)
        if problem:
            problems.append(f"{key}: {problem}")
        else:
            given[key] = value
    if problems:
        raise AnswersError(problems)

    show_if = q.compiled.show_if
    values: dict[str, Any] = dict.fromkeys(plans)
    visible: set[str] = set()
    clean: dict[str, Answer] = {}
    for question_id, plan in plans.items():
        expr = show_if.get(question_id)
        if expr is not None and not expr(values):
            continue
        visible.add(question_id)
        if question_id in given:
            value = clean[question_id] = given[question_id]
            if plan.question.type in ("scale", "number") and value in SPECIAL_ANSWERS:
                value = None
            values[question_id] = value
    hidden_answered = [k for k in given if k not in visible]
    if hidden_answered and hidden == "error":
        raise AnswersError(
            [
                f"{k}: this question is hidden by its show_if, so it cannot be answered"
                for k in hidden_answered
            ]
        )
    return clean, visible, values


def _normalise(plan: QuestionPlan, raw: Any) -> tuple[Answer | None, str]:
    """Return the normalised answer, or an error message."""
    question = plan.question
    specials = plan.specials
    kind = question.type
    if isinstance(raw, str) and raw in SPECIAL_ANSWERS:
        if raw not in specials:
            return None, f"'{raw}' is not offered for this question"
        return (raw if kind != "multiple_choice" else [raw]), ""
    if kind in ("yes_no", "single_choice"):
        if not isinstance(raw, str) or raw not in plan.scores:
            offered = [*plan.values, *sorted(specials)]
            hint = did_you_mean(raw, plan.values) or "options: " + ", ".join(offered)
            return None, f"'{raw}' is not an option ({hint})"
        return raw, ""
    if kind == "multiple_choice":
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            return None, "give a list of option values"
        if len(items) == 1 and items[0] in specials:
            return items, ""
        wrong = [i for i in items if i not in plan.scores]
        if wrong:
            hint = did_you_mean(wrong[0], plan.values) or "options: " + ", ".join(plan.values)
            return None, f"'{wrong[0]}' is not an option ({hint})"
        if len(set(items)) != len(items):
            return None, "an option is chosen twice"
        return [v for v in plan.values if v in items], ""
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


def _fraction(plan: QuestionPlan, value: Answer) -> float | None:
    """Return a question's score as 0..1, or None when it does not count."""
    if not plan.scored:
        return None
    if isinstance(value, list):
        if value[0] in SPECIAL_ANSWERS:
            return None
        return min(sum(plan.scores[v] for v in value), 100.0) / 100.0
    if isinstance(value, str):
        return None if value in SPECIAL_ANSWERS else plan.scores[value] / 100.0
    scale = plan.question.scale
    fraction = (value - scale.min) / (scale.max - scale.min)
    return fraction if scale.good == "high" else 1.0 - fraction


def _label(plan: QuestionPlan, value: Answer) -> str:
    """Return how an answer reads for people (option labels, not values)."""
    if isinstance(value, list):
        return ", ".join(plan.labels[v] for v in value)
    if isinstance(value, str):
        return plan.labels.get(value, value)
    question = plan.question
    unit = question.number.unit if question.type == "number" and question.number.unit else ""
    return f"{value:g} {unit}".strip()


def answer_label(question: Question, value: Answer) -> str:
    """Return how an answer to a question reads for people."""
    return _label(plan_question(question, 0), value)


def score(q: Questionnaire, answers: Mapping[str, Any], hidden: HiddenPolicy = "error") -> Result:
    """Score answers against a questionnaire; raise AnswersError when they do not fit."""
    clean, visible, values = _prepare(q, answers, hidden)
    compiled = q.compiled
    fired = sorted((plan for plan in compiled.rule_plans if plan.condition(values)), key=_rank)
    caps: dict[str, tuple[float, str]] = {}
    for plan in fired:
        rule = plan.rule
        if rule.score_cap is not None and (
            rule.theme not in caps or rule.score_cap < caps[rule.theme][0]
        ):
            caps[rule.theme] = (rule.score_cap, rule.id)
    themes = tuple(
        _theme_score(theme, compiled.theme_plans[theme.id], clean, visible, caps)
        for theme in q.themes
    )

    scored = [(t.score, t.weight) for t in themes if t.score is not None]
    overall = (
        round(sum(s * w for s, w in scored) / sum(w for _, w in scored), 1) if scored else None
    )
    red_flag = any(plan.rule.red_flag for plan in fired)
    advice = tuple(_advice(plan, clean) for plan in fired)
    unknown = not_applicable = 0
    for value in clean.values():
        special = value[0] if isinstance(value, list) else value
        unknown += special == UNKNOWN
        not_applicable += special == NOT_APPLICABLE
    return Result(
        questionnaire_id=q.id,
        version=q.version,
        title=q.title,
        sector=q.sector,
        overall=overall,
        risk=_risk(q, overall, red_flag),
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


def _rank(plan: RulePlan) -> tuple[int, bool]:
    return plan.rank


def _theme_score(theme, plans, clean, visible, caps) -> ThemeScore:
    """Return the weighted 0-100 score of one theme over its counted questions."""
    total = weights = 0.0
    counted = unknown = skipped = 0
    for plan in plans:
        question_id = plan.question.id
        if question_id not in visible:
            continue
        if question_id not in clean:
            skipped += 1
            continue
        fraction = _fraction(plan, clean[question_id])
        if fraction is None:
            unknown += 1
            continue
        weight = plan.question.weight
        total += fraction * weight
        weights += weight
        counted += 1
    value = round(100 * total / weights, 1) if weights else None
    capped_by = None
    if value is not None and theme.id in caps and caps[theme.id][0] < value:
        value, capped_by = caps[theme.id]
    return ThemeScore(
        theme.id, theme.title, theme.weight, value, counted, unknown, skipped, capped_by
    )


def risk_level_index(levels: Sequence[RiskLevel], value: float) -> int:
    """Return the index of the risk level a 0-100 score falls in (100 in the last)."""
    return next((i for i, lvl in enumerate(levels) if lvl.min <= value < lvl.max), len(levels) - 1)


def _risk(q: Questionnaire, overall: float | None, red_flag: bool) -> RiskOutcome | None:
    """Return the risk level for a score; a red flag always gives the most serious level."""
    if red_flag:
        level = q.risk_levels[0]
    elif overall is None:
        return None
    else:
        level = q.risk_levels[risk_level_index(q.risk_levels, overall)]
    return RiskOutcome(level.id, level.label, level.explanation)


def _advice(plan: RulePlan, clean: dict[str, Answer]) -> FiredAdvice:
    """Return the fired advice with the answers that triggered it."""
    rule = plan.rule
    triggers = tuple(
        Trigger(p.question.id, p.question.text, _label(p, clean[p.question.id]))
        for p in plan.trigger_plans
        if p.question.id in clean
    )
    return FiredAdvice(
        id=rule.id,
        theme=rule.theme,
        priority=rule.priority,
        red_flag=rule.red_flag,
        title=rule.advice.title,
        explanation=rule.advice.explanation,
        steps=plan.steps,
        referrals=plan.referrals,
        triggers=triggers,
    )


def _referrals(q: Questionnaire, advice: tuple[FiredAdvice, ...]) -> tuple[Referral, ...]:
    """Return the referrals of the result: Meld Misdaad Anoniem first, no duplicates."""
    ids = [MELD_MISDAAD_ANONIEM]
    for item in advice:
        ids.extend(item.referrals)
    ids.extend(q.referrals)
    return tuple(q.registry[i] for i in dict.fromkeys(ids))
