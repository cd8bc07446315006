"""Per-question lookup tables, computed once at load time so scoring does no repeated work."""

from __future__ import annotations

from dataclasses import dataclass

from .expressions import Expression
from .kinds import QuestionKind
from .model import PRIORITIES, SPECIAL_ANSWERS, Question, Rule

MELD_MISDAAD_ANONIEM = "meld_misdaad_anoniem"


@dataclass(frozen=True, slots=True)
class QuestionPlan:
    """What scoring needs to know about one question, precomputed."""

    question: Question
    index: int
    kind: QuestionKind
    values: tuple[str, ...]
    labels: dict[str, str]
    scores: dict[str, float]
    specials: frozenset[str]
    scored: bool


def plan_question(question: Question, index: int) -> QuestionPlan:
    """Build the plan of one question."""
    kind = question.kind
    choices = kind.choices(question)
    return QuestionPlan(
        question=question,
        index=index,
        kind=kind,
        values=tuple(o.value for o in choices),
        labels={**{o.value: o.label for o in choices}, **SPECIAL_ANSWERS},
        scores={o.value: o.score or 0.0 for o in choices},
        specials=frozenset(question.special_answers()),
        scored=kind.scored(question),
    )


@dataclass(frozen=True, slots=True)
class RulePlan:
    """A rule with its compiled condition and what its advice needs, precomputed."""

    rule: Rule
    condition: Expression
    rank: tuple[int, bool]
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
        rank=(PRIORITIES.index(rule.priority), not rule.red_flag),
        trigger_plans=tuple(sorted((plans[s] for s in condition.symbols), key=lambda p: p.index)),
        referrals=tuple(referrals),
        steps=tuple(rule.advice.steps),
    )
