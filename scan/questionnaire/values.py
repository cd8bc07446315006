"""Plain values every part of the questionnaire package shares; imports nothing of the package.

The special answers, the advice priorities and what a stored answer is. Kept apart so that the
model, the kinds, the expressions and the plans can all read them without importing each other.
"""

from __future__ import annotations

UNKNOWN = "weet_niet"
NOT_APPLICABLE = "nvt"
SPECIAL_ANSWERS = {UNKNOWN: "Weet ik niet", NOT_APPLICABLE: "Niet van toepassing"}
PRIORITIES = ("urgent", "high", "medium", "low")
PRIORITY_LABELS = {"urgent": "Direct doen", "high": "Hoog", "medium": "Middel", "low": "Laag"}

Answer = str | float | list[str]


def is_special(value: Answer) -> bool:
    """Tell whether a stored answer is a special answer ("weet niet", "nvt")."""
    return (value[0] if isinstance(value, list) else value) in SPECIAL_ANSWERS
