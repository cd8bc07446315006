"""Per-question lookup tables, computed once at load time so scoring does no repeated work."""

from __future__ import annotations

from dataclasses import dataclass

from .expressions import Expression
from .model import PRIORITIES, SPECIAL_ANSWERS, Question, Rule

MELD_MISDAAD_ANONIEM = "meld_misdaad_anoniem"


@dataclass(frozen=True, slots=True)
class QuestionPlan:
    """What scoring needs to know about one question, precomputed."""

    question: Question
    index: int
    values: tuple[str, ...]
    labels: dict[str, str]
    scores: dict[str, float]
    specials: frozenset[str]
    scored: bool


def plan_question(question: Question, index: int) -> QuestionPlan:
    """Build the plan of one question."""
    choices = question.choices()
    return QuestionPlan(
        question=question,
        index=index,
        values=tuple(o.value for o in choices),
        labels={**{o.value: o.label for o in choices}, **SPECIAL_ANSWERS},
        scores={o.value: o.score or 0.0 for o in choices},
        specials=frozenset(question.special_answers()),
        scored=question.scored,
    )


@dataclass(frozen=True, slots=True)
class RulePlan:
    """A rule with its compiled condition and what its advice needs, precomputed."""

    rule: Rule
    condition: Expression
    rank: tuple[int, bool, int]
    trigger_plans: tuple[QuestionPlan, ...]
    referrals: tuple[str, ...]
    steps: tuple[str, ...]


def plan_rule(rule: Rule, condition: Expression, plans: dict[str, QuestionPlan]) -> RulePlan:
    """Build the plan of one rule; red-flag rules always bring Meld Misdaad Anoniem."""
    referrals = list(rule.referrals)
    if rule.red_flag and MELD_MISDAAD_ANONIEM not in referrals:
        referrals.insert(0, MELD_MISDAAD_ANONIEM)
    return RulePlan(
        rule=rule,
        condition=condition,
        rank=(PRIORITIES.index(rule.priority), not rule.red_flag, rule.rank or 100),
        trigger_plans=tuple(sorted((plans[s] for s in condition.symbols), key=lambda p: p.index)),
        referrals=tuple(referrals),
        steps=tuple(rule.advice.steps),
    )
