"""The order of a scan's theme pages: which pages show, which comes before or after which.

Domain code: no Flask, no database. A page is a theme with at least one visible question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from scan.questionnaire.model import Questionnaire, Theme


@dataclass(frozen=True)
class NextStep:
    """Where the entrepreneur goes: a theme page (with newly shown questions), resume or review."""

    kind: Literal["theme", "resume", "review"]
    theme_id: str | None = None
    added: tuple[str, ...] = ()


def pages(q: Questionnaire, visible: set[str]) -> list[Theme]:
    """Return the themes that have at least one visible question, in order."""
    return [t for t in q.themes if any(x.id in visible for x in q.questions_for(t.id))]


def page_number(q: Questionnaire, visible: set[str], theme_id: str) -> tuple[int, int]:
    """Return which page a theme is (from 1; 1 when it shows no question) and how many show."""
    on_pages = pages(q, visible)
    position = next((i for i, t in enumerate(on_pages) if t.id == theme_id), 0)
    return position + 1, len(on_pages)


@dataclass(frozen=True)
class ThemeState:
    """A page in the task list: its theme, how many of its questions show and are answered."""

    theme: Theme
    visible: int
    answered: int

    @property
    def state(self) -> Literal["not_started", "in_progress", "completed"]:
        """Return not_started (nothing answered), completed (all answered) or in_progress."""
        if self.answered == 0:
            return "not_started"
        return "completed" if self.answered >= self.visible else "in_progress"


def theme_states(
    q: Questionnaire, answers: Mapping[str, Any], visible: set[str]
) -> list[ThemeState]:
    """Return every page with how many of its visible questions are answered, in order."""
    out = []
    for theme in pages(q, visible):
        shown = [x.id for x in q.questions_for(theme.id) if x.id in visible]
        out.append(ThemeState(theme, len(shown), sum(1 for k in shown if k in answers)))
    return out


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
