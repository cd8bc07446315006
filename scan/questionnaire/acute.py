"""Acute answers: the answers an author marks as "this is happening now".

An option with `acute: true`, a yes/no question's `acute_when: ja` (or `nee`), or a number
or scale question's `acute_from: N` (an answer of N or more). Any acute answer escalates a
scan to the red-flag outcome by itself, whatever the score and whether a rule was written
for it (see scoring.score). This module checks the marks, prepares them for scoring and
describes them for the CLI and the studio.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from scan.questionnaire.kinds import choices_of, kind_of
from scan.questionnaire.model import Question, Questionnaire

# Words of questions that ask whether something happens: where an author should mark answers.
_SIGNAL_WORDS = re.compile(
    r"benader|bedreig|druk|afgeperst|afpers|gevonden|vond|vindt|verdacht|signal|omkop"
    r"|gedwongen|geld aangeboden|klusje|geur|drugs",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class AcuteCheck:
    """What makes one question's answer acute: chosen options, or a lowest number."""

    question_id: str
    options: frozenset[str] = frozenset()
    threshold: float | None = None

    def test(self, value: Any) -> bool:
        """Tell whether a normalised answer is acute."""
        if value.__class__ is list:
            return any(item in self.options for item in value)
        if value.__class__ is str:
            return value in self.options
        return self.threshold is not None and value >= self.threshold


@dataclass(frozen=True)
class MarkProblem:
    """A wrong acute mark, located below the question (path) or at its key."""

    index: int
    path: tuple[Any, ...]
    message: str
    hint: str
    key: str = ""


def acute_check(question: Question) -> AcuteCheck | None:
    """Return the acute test of a question, or None when it marks no answer."""
    if question.acute_from is not None:
        return AcuteCheck(question.id, threshold=question.acute_from)
    options = frozenset(o.value for o in question.options if o.acute)
    if question.acute_when is not None:
        options = frozenset({question.acute_when})
    return AcuteCheck(question.id, options=options) if options else None


def acute_checks(q: Questionnaire) -> tuple[AcuteCheck, ...]:
    """Return the acute tests of every question that marks an answer, in question order."""
    return tuple(c for c in map(acute_check, q.questions) if c is not None)


def acute_in(checks: tuple[AcuteCheck, ...], clean: Mapping[str, Any]) -> list[str]:
    """Return the ids of the questions whose (visible, normalised) answer is acute."""
    found = []
    for check in checks:
        value = clean.get(check.question_id)
        if value is not None and check.test(value):
            found.append(check.question_id)
    return found


def mark_problems(q: Questionnaire) -> Iterator[MarkProblem]:
    """Yield every wrong acute mark, and one problem when the questionnaire marks none."""
    for i, question in enumerate(q.questions):
        yield from _question_marks(i, question)
    candidates = _signal_questions(q)
    if candidates and not any(acute_check(x) for x in q.questions):
        yield MarkProblem(
            -1, (), "no answer is marked as acute (happening now)", _where_to_mark(q, candidates)
        )


def _question_marks(i: int, question: Question) -> Iterator[MarkProblem]:
    """Yield what is wrong with one question's acute marks."""
    if question.acute_from is not None and question.number is not None:
        low, high = question.number.min, question.number.max
        if not low < question.acute_from <= high:
            yield MarkProblem(
                i,
                (),
                f"acute_from {question.acute_from:g} is outside the answers "
                f"{low:g} to {high:g} of this question",
                f"kies een getal boven {low:g} en tot en met {high:g}: vanaf dat antwoord "
                "gebeurt er nu iets",
                key="acute_from",
            )
    if question.acute_from is not None and question.scale is not None:
        low, high = question.scale.min, question.scale.max
        if question.acute_from != int(question.acute_from) or not low < question.acute_from <= high:
            yield MarkProblem(
                i,
                (),
                f"acute_from {question.acute_from:g} is not a step of this scale "
                f"({low} to {high}, the lowest step excluded)",
                f"kies een hele stap van {low + 1} tot en met {high}",
                key="acute_from",
            )
    choices = choices_of(question) if kind_of(question).has_options else []
    acute = [o for o in question.options if o.acute]
    if choices and acute and len(acute) == len(choices):
        yield MarkProblem(
            i,
            (),
            "every option of this question is marked acute",
            "markeer alleen de antwoorden die betekenen dat het nu gebeurt",
        )
    for j, option in enumerate(question.options):
        if option.acute and option.score is not None and option.score > 0:
            yield MarkProblem(
                i,
                ("options", j),
                f"option '{option.value}' is acute but scores {option.score:g}",
                "een antwoord dat betekent dat er nu iets gebeurt, geeft score 0",
                key="score",
            )
    if question.acute_when is not None and question.good_answer == question.acute_when:
        yield MarkProblem(
            i,
            (),
            f"acute_when '{question.acute_when}' is also the good_answer",
            "het antwoord dat betekent dat er nu iets gebeurt, is nooit het goede antwoord",
            key="acute_when",
        )


def _signal_questions(q: Questionnaire) -> list[Question]:
    """Return the questions that can be marked and ask about signals, threats or finds."""
    return [
        x
        for x in q.questions
        if (kind_of(x).has_options or kind_of(x).allows & {"acute_from"})
        and _SIGNAL_WORDS.search(x.text)
    ]


def _where_to_mark(q: Questionnaire, candidates: list[Question]) -> str:
    """Return a Dutch hint naming the questions that look like signal or threat questions."""
    hint = (
        "markeer de antwoorden die betekenen dat er nu iets gebeurt: 'acute: true' op een optie, "
        "'acute_when: ja' bij ja/nee, 'acute_from: N' bij een getal of schaal"
    )
    if candidates:
        names = ", ".join(f"'{x.id}' ({q.questions.index(x) + 1}e vraag)" for x in candidates[:8])
        hint += f"; kijk bij de vragen over signalen, druk, benaderen en vondsten: {names}"
    return hint


def describe(q: Questionnaire) -> list[tuple[Question, str]]:
    """Return every question with its acute answers in words, for the CLI and the studio."""
    described = []
    for question in q.questions:
        check = acute_check(question)
        if check is None:
            continue
        if check.threshold is not None:
            unit = question.number.unit if question.number and question.number.unit else ""
            words = f"{check.threshold:g}{' ' + unit if unit else ''} of meer"
        else:
            labels = {o.value: o.label for o in choices_of(question)}
            words = " / ".join(labels[v] for v in labels if v in check.options)
        described.append((question, words))
    return described
