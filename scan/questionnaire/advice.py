"""The advice a fired rule gives, with the answers that made it fire."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scan.questionnaire.kinds import Answer
    from scan.questionnaire.plan import RulePlan


@dataclass(frozen=True, slots=True)
class Trigger:
    """An answer that made a rule fire."""

    question_id: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
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
    only_when_safe: bool = False


def fired_advice(plan: RulePlan, clean: Mapping[str, Answer]) -> FiredAdvice:
    """Return a rule's advice with the answers (of the questions it reads) that triggered it."""
    triggers = []
    for trigger in plan.trigger_plans:
        question = trigger.question
        value = clean.get(question.id)
        if value is not None:
            triggers.append(Trigger(question.id, question.text, trigger.label(value)))
    rule = plan.rule
    return FiredAdvice(
        id=rule.id,
        theme=rule.theme,
        priority=rule.priority,
        red_flag=rule.red_flag,
        title=rule.advice.title,
        explanation=rule.advice.explanation,
        steps=plan.steps,
        referrals=plan.referrals,
        triggers=tuple(triggers),
        only_when_safe=rule.only_when_safe,
    )
