"""The order of a scan's theme pages: which pages show, which comes before or after which.

Domain code: no Flask, no database. A page is a theme with at least one visible question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .questionnaire.model import Questionnaire, Theme


@dataclass(frozen=True)
class NextStep:
    """Where the entrepreneur goes: a theme page (with newly shown questions), resume or review."""

    kind: Literal["theme", "resume", "review"]
    theme_id: str | None = None
    added: tuple[str, ...] = ()


def pages(q: Questionnaire, visible: set[str]) -> list[Theme]:
    """Return the themes that have at least one visible question, in order."""
    return [t for t in q.themes if any(x.id in visible for x in q.questions_for(t.id))]


def first_open_page(q: Questionnaire, answers: Mapping[str, Any], visible: set[str]) -> str | None:
    """Return the id of the first theme with a visible unanswered question, if any."""
    for question in q.questions:
        if question.id in visible and question.id not in answers:
            return question.theme
    return None


def neighbour(q: Questionnaire, theme_id: str, visible: set[str], step: int) -> NextStep:
    """Return the previous (-1) or next (+1) page with visible questions, else resume or review."""
    order = [t.id for t in q.themes]
    shown = {t.id for t in pages(q, visible)}
    index = order.index(theme_id) + step
    while 0 <= index < len(order):
        if order[index] in shown:
            return NextStep("theme", order[index])
        index += step
    return NextStep("resume" if step < 0 else "review")
