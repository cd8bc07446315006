"""Score a filled-in scan: a pure function from questionnaire and answers to a Result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

# The advice types live beside the rule plans, which prepare advice at load time.
from .questionnaire.advice import FiredAdvice, Trigger  # noqa: F401 - part of a Result
from .questionnaire.errors import AnswersError, Problem, did_you_mean
from .questionnaire.kinds import Answer
from .questionnaire.model import (
    NOT_APPLICABLE,
    UNKNOWN,
    Question,
    Questionnaire,
    Referral,
    RiskLevel,
)
from .questionnaire.plan import MELD_MISDAAD_ANONIEM, ThemePlan, plan_question

HiddenPolicy = Literal["error", "ignore"]


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class RiskOutcome:
    """The risk level an overall score (or a red flag) leads to."""

    id: str
    label: str
    explanation: str


@dataclass(frozen=True, slots=True)
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
        raise AnswersError([Problem("answers must be a mapping from question id to answer")])
    compiled = q.compiled
    plans = compiled.plans
    problems: list[Problem] = []
    given: dict[str, Answer] = {}
    for key, raw in answers.items():
        plan = plans.get(key) if isinstance(key, str) else None
        if plan is None:
            problems.append(Problem(f"unknown question '{key}'", hint=did_you_mean(key, plans)))
            continue
        if isinstance(raw, str):
            value = plan.ready.get(raw)  # options and special answers are prepared
            if value is not None:
                given[key] = value
                continue
            if raw == "":
                continue
        elif raw is None or raw == []:
            continue
        value, problem = plan.kind.normalise(plan, raw)
        if problem:
            problems.append(Problem(problem, path=key))
        else:
            given[key] = value
    if problems:
        raise AnswersError(problems)

    values: dict[str, Any] = compiled.unanswered.copy()
    visible: set[str] = set()
    clean: dict[str, Answer] = {}
    for question_id, plan in plans.items():
        show_if = plan.show_if
        if show_if is not None and show_if(values) is not True:
            continue
        visible.add(question_id)
        value = given.get(question_id)
        if value is not None:
            clean[question_id] = value
            convert = plan.expression_value
            values[question_id] = value if convert is None else convert(value)
    hidden_answered = [k for k in given if k not in visible]
    if hidden_answered and hidden == "error":
        raise AnswersError(
            Problem("this question is hidden by its show_if, so it cannot be answered", path=k)
            for k in hidden_answered
        )
    return clean, visible, values


def answer_label(question: Question, value: Answer) -> str:
    """Return how an answer to a question reads for people."""
    return plan_question(question, 0).label(value)


def score(q: Questionnaire, answers: Mapping[str, Any], hidden: HiddenPolicy = "error") -> Result:
    """Score answers against a questionnaire; raise AnswersError when they do not fit."""
    clean, visible, values = _prepare(q, answers, hidden)
    compiled = q.compiled
    caps: dict[str, tuple[float, str]] = {}
    red_flag = False
    advice_list: list[FiredAdvice] = []
    for plan in compiled.rule_plans:
        if plan.test(values) is not True:
            continue
        rule = plan.rule
        red_flag = red_flag or rule.red_flag
        advice_list.append(plan.advice(clean))
        if rule.score_cap is not None and (
            rule.theme not in caps or rule.score_cap < caps[rule.theme][0]
        ):
            caps[rule.theme] = (rule.score_cap, rule.id)
    advice = tuple(advice_list)
    themes = tuple([_theme_score(plan, clean, visible, caps) for plan in compiled.theme_plans])

    total = weights = 0.0
    scored = False
    for theme in themes:
        if theme.score is not None:
            total += theme.score * theme.weight
            weights += theme.weight
            scored = True
    overall = round(total / weights, 1) if scored else None
    firsts = [value[0] if value.__class__ is list else value for value in clean.values()]
    unknown, not_applicable = firsts.count(UNKNOWN), firsts.count(NOT_APPLICABLE)
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
        referrals=_referrals(q, compiled.registry, advice),
        answered=len(clean) - unknown - not_applicable,
        unknown=unknown,
        not_applicable=not_applicable,
        skipped=len(visible) - len(clean),
        visible=len(visible),
    )


def _theme_score(plan: ThemePlan, clean, visible, caps) -> ThemeScore:
    """Return the weighted 0-100 score of one theme over its counted questions."""
    total = weights = 0.0
    counted = unknown = skipped = 0
    get = clean.get
    for question_id, weight, fractions, question_plan in plan.scoring:
        value = get(question_id)
        if value is None:
            if question_id in visible:
                skipped += 1
            continue
        if value.__class__ is str and value in fractions:
            fraction = fractions[value]
        else:
            fraction = question_plan.fraction(value)
        if fraction is None:
            unknown += 1
        else:
            total += fraction * weight
            weights += weight
            counted += 1
    theme = plan.theme
    if not weights:
        return ThemeScore(theme.id, theme.title, theme.weight, None, counted, unknown, skipped)
    value = round(100 * total / weights, 1)
    cap = caps.get(theme.id)
    if cap is not None and cap[0] < value:
        return ThemeScore(
            theme.id, theme.title, theme.weight, cap[0], counted, unknown, skipped, cap[1]
        )
    return ThemeScore(theme.id, theme.title, theme.weight, value, counted, unknown, skipped)


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


def _referrals(
    q: Questionnaire, registry: dict[str, Referral], advice: tuple[FiredAdvice, ...]
) -> tuple[Referral, ...]:
    """Return the referrals of the result: Meld Misdaad Anoniem first, no duplicates."""
    ids = [MELD_MISDAAD_ANONIEM]
    for item in advice:
        ids.extend(item.referrals)
    ids.extend(q.referrals)
    return tuple(registry[i] for i in dict.fromkeys(ids))
