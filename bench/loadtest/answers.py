"""The answers a simulated entrepreneur gives: used by the Locust users and bench_request_cpu.

Kept apart from locustfile.py, which monkey-patches the standard library (gevent) on import.
"""

from __future__ import annotations

import random

from scan.questionnaire.kinds import choices_of
from scan.scoring import visible_questions


def any_answer(question):
    """Return a random valid answer to a question."""
    if question.type == "multiple_choice":
        return [random.choice(choices_of(question)).value]
    if question.type in ("yes_no", "single_choice"):
        return random.choice(choices_of(question)).value
    if question.type == "scale":
        return random.randint(question.scale.min, question.scale.max)
    if question.type == "number":
        return random.randint(int(question.number.min), int(question.number.max))
    return "Geen bijzonderheden"


def fill_page(q, answers: dict, theme_id: str) -> dict:
    """Answer every question of a page that the answers show; return the page's answers."""
    questions = q.questions_for(theme_id)
    while True:
        visible = visible_questions(q, answers)
        open_questions = [x for x in questions if x.id in visible and x.id not in answers]
        if not open_questions:
            return {x.id: answers[x.id] for x in questions if x.id in visible}
        for question in open_questions:
            answers[question.id] = any_answer(question)
