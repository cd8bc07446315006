"""The weakest answer set of a questionnaire: what a badly protected entrepreneur answers.

Built greedily in question order: each visible question gets the answer that fires the most
advice, then the lowest score. Used by the report-length tests and by hand to look at PDFs.
"""

from __future__ import annotations

from typing import Any

from scan.questionnaire.kinds import kind_of
from scan.questionnaire.model import Questionnaire
from scan.questionnaire.values import SPECIAL_ANSWERS
from scan.scoring import score, visible_questions


def _badness(q: Questionnaire, answers: dict[str, Any]) -> tuple[int, float]:
    result = score(q, answers, hidden="ignore")
    return len(result.advice), -(result.overall or 0.0)


def _special(answer: Any) -> bool:
    values = answer if isinstance(answer, list) else [answer]
    return any(isinstance(v, str) and v in SPECIAL_ANSWERS for v in values)


def weakest_answers(q: Questionnaire) -> dict[str, Any]:
    """Return answers that, question by question, fire the most advice and score lowest."""
    answers: dict[str, Any] = {}
    for question in q.questions:
        if question.id not in visible_questions(q, answers):
            continue
        samples = [s for s in kind_of(question).samples(question) if not _special(s)]
        if not samples:
            continue
        answers[question.id] = max(samples, key=lambda s: _badness(q, {**answers, question.id: s}))
    return answers
