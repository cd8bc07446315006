"""How long a scan takes: a reading and answering model, so the time promised is honest.

A reader at B1 level on a phone reads about 130 words a minute; a practised reader about 170.
Every question is read with its options; the help text ("Waarom vragen we dit?") is read by
the slow reader for one question in three. Thinking and choosing take 6 to 10 seconds,
typing a number or text 15 to 30; every theme page 15 to 30 seconds (its introduction,
scrolling, the button). The quick path skips the questions that only show after certain
answers; the slow path gets them all.
Starting, saving the link, the check page and sending add 2 to 4 minutes. Checked against a
reviewer's walks of the sector scans (12 to 20 minutes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scan.questionnaire.kinds import Number, Text, kind_of
from scan.questionnaire.model import Question, Questionnaire

WORDS_PER_MINUTE = (170, 130)  # quick, slow
CHOICE_SECONDS = (6, 10)
HELP_READ = (0.0, 1 / 3)  # the share of help texts read
TYPING_SECONDS = (15, 30)
PAGE_SECONDS = (15, 30)
TYPED_KINDS = (Number, Text)  # answered by typing, not by choosing
AROUND_SECONDS = (120, 240)  # start, the personal link, the check page, sending


@dataclass(frozen=True)
class Duration:
    """The quick and the slow estimate, in whole minutes."""

    low: int
    high: int


def _words(question: Question, help_read: float) -> float:
    parts = [question.text, *(o.label for o in question.options)]
    if question.scale is not None:
        parts += [question.scale.min_label, question.scale.max_label]
    return sum(len(part.split()) for part in parts) + help_read * len(question.help.split())


def _seconds(questions: list[Question], slow: bool) -> float:
    i = 1 if slow else 0
    total = float(AROUND_SECONDS[i]) + PAGE_SECONDS[i] * len({x.theme for x in questions})
    for question in questions:
        total += _words(question, HELP_READ[i]) * 60 / WORDS_PER_MINUTE[i]
        typed = isinstance(kind_of(question), TYPED_KINDS)
        total += (TYPING_SECONDS if typed else CHOICE_SECONDS)[i]
    return total


def estimate(q: Questionnaire) -> Duration:
    """Return how many minutes a scan takes: quick path quickly read, every question slowly."""
    always = [x for x in q.questions if x.show_if is None]
    quick = _seconds(always, slow=False)
    slow = _seconds(list(q.questions), slow=True)
    return Duration(max(1, math.floor(quick / 60)), math.ceil(slow / 60))


def promised_minutes(q: Questionnaire) -> tuple[int, int]:
    """Return the minutes a scan page promises, (low, high), in steps of five minutes.

    The upper end is the questionnaire's duration_minutes, which the shipped files set at the
    slow estimate or above (a test keeps them there); the lower end the quick estimate.
    """
    found = estimate(q)
    high = max(q.duration_minutes, found.high)
    low = min(max(5, found.low // 5 * 5), high)
    return low, math.ceil(high / 5) * 5


def promised(q: Questionnaire) -> str:
    """Return the time a scan page promises in Dutch: "10 tot 25 minuten"."""
    low, high = promised_minutes(q)
    return f"{high} minuten" if low >= high else f"{low} tot {high} minuten"
