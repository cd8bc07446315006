"""The advice a fired rule gives, with the answers that made it fire."""

from __future__ import annotations

from dataclasses import dataclass


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
