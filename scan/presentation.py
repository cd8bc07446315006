"""How a scan reads for people, shared by the web pages and the PDF: dates, bands, answers, counts.

Domain code: no Flask, no database. The web and the report only format what this returns.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from scan.questionnaire.advice import FiredAdvice, Trigger
from scan.questionnaire.kinds import kind_of
from scan.questionnaire.links import tel_href
from scan.questionnaire.model import Question, Questionnaire, Referral, RiskLevel, Theme
from scan.questionnaire.values import SPECIAL_ANSWERS
from scan.scoring import Result, answer_label, risk_level_index, visible_questions

MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


def dutch_date(value: dt.datetime | dt.date) -> str:
    """Format a date the Dutch way: 26 februari 2027."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def score_figure(value: float | None) -> str:
    """Return a 0-100 score as people read it, on the web and in the PDF alike: 74,6 is "74".

    Whole points, rounded down: a risk level runs from its `min` up to (not including) its
    `max`, so the figure shown always lies in the level shown next to it (74,6 is "Aandacht
    nodig", 50 tot 75; rounding to 75 would read as "Weerbaar"). None is "geen".
    """
    if value is None:
        return "geen"
    return str(shown_score(value))


def shown_score(value: float) -> int:
    """Return a 0-100 score in the whole points score_figure shows (rounded down)."""
    return math.floor(value + 1e-9)


def shown_change(then: float | None, now: float | None) -> int | None:
    """Return the change between two scores as a reader works it out from the figures shown
    (toen 40, nu 57: 17 punten), or None when one of them has no score."""
    if then is None or now is None:
        return None
    return shown_score(now) - shown_score(then)


def _same_words(text: str) -> str:
    """Return a text reduced to its words, to see that two steps or titles say the same."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def distinct_advice(advice: Sequence[FiredAdvice]) -> tuple[FiredAdvice, ...]:
    """Return the advice with every job listed once, in the order given (most urgent first).

    Two rules with the same title become one piece of advice (the first keeps its place and
    takes the other's steps, referrals and triggers). A step that an earlier step already
    says (the same words, or all of them inside a longer step) is left out of the later
    advice. The web pages and the PDF both show this.
    """
    merged: dict[str, FiredAdvice] = {}
    for item in advice:
        key = _same_words(item.title)
        first = merged.get(key)
        if first is None:
            merged[key] = item
            continue
        merged[key] = replace(
            first,
            steps=first.steps + item.steps,
            referrals=first.referrals
            + tuple(r for r in item.referrals if r not in first.referrals),
            triggers=first.triggers + tuple(t for t in item.triggers if t not in first.triggers),
        )
    seen: list[str] = []
    out = []
    for item in merged.values():
        steps = []
        for step in item.steps:
            key = f" {_same_words(step)} "
            if not any(key in earlier for earlier in seen):
                seen.append(key)
                steps.append(step)
        out.append(replace(item, steps=tuple(steps)) if len(steps) < len(item.steps) else item)
    return tuple(out)


def readable(result: Result, words: Words | None = None) -> Result:
    """Return the result as the web page and the PDF show it: every job listed once.

    With words, the special answers in the triggers ("Weet ik niet") are in the reader's language.
    """
    advice = distinct_advice(result.advice)
    if words is not None:
        advice = tuple(
            replace(item, triggers=_special_in_words(item.triggers, words)) for item in advice
        )
        result = replace(result, acute=_special_in_words(result.acute, words))
    return result if advice == result.advice else replace(result, advice=advice)


# The answers the model writes itself (special answers, yes/no), translated by a Words.
MODEL_WORDS = frozenset({*SPECIAL_ANSWERS.values(), "Ja", "Nee"})


def _special_in_words(triggers: tuple[Trigger, ...], words: Words) -> tuple[Trigger, ...]:
    return tuple(
        replace(t, answer=words.gettext(t.answer)) if t.answer in MODEL_WORDS else t
        for t in triggers
    )


def band(levels: list[RiskLevel], value: float | None, red_flag: bool = False) -> str:
    """Return the colour band of a score: low (most serious level), mid, high, or none."""
    if red_flag:
        return "low"
    if value is None or not levels:
        return "none"
    index = risk_level_index(levels, value)
    return "low" if index == 0 else "high" if index == len(levels) - 1 else "mid"


@dataclass(frozen=True)
class AnsweredQuestion:
    """A visible question with its stored answer and that answer in words (None: unanswered)."""

    question: Question
    value: Any
    label: str | None

    @property
    def text(self) -> str:
        """Return the question's text."""
        return self.question.text

    @property
    def answer(self) -> str | None:
        """Return the answer in words, None when unanswered."""
        return self.label


@dataclass(frozen=True)
class ThemeAnswers:
    """One theme with its visible questions and their answers in words."""

    theme: Theme
    rows: tuple[AnsweredQuestion, ...]


def answers_by_theme(
    q: Questionnaire,
    answers: Mapping[str, Any],
    visible: set[str] | None = None,
    words: Words | None = None,
) -> list[ThemeAnswers]:
    """Return every theme in order with its visible questions and the answers in words."""
    if visible is None:
        visible = visible_questions(q, answers)
    out = []
    for theme in q.themes:
        rows = []
        for question in q.questions_for(theme.id):
            if question.id not in visible:
                continue
            value = answers.get(question.id)
            label = answer_label(question, value) if value is not None else None
            if words is not None and label in MODEL_WORDS:
                label = words.gettext(label)
            rows.append(AnsweredQuestion(question, value, label))
        out.append(ThemeAnswers(theme, tuple(rows)))
    return out


def required_message(question: Question, words: Words | None = None) -> str:
    """Return the error for a required question left open, at the field and in the summary.

    The question's own `error_message` when it has one ("Kies of u ruimte verhuurt."), else
    what to choose in the words of its kind, which do not name the question: the error
    summary then adds it (summary_message).
    """
    if question.error_message:
        return question.error_message
    w = words or DUTCH
    missing = w.gettext(kind_of(question).missing)
    none = [o.label for o in question.options if o.value == "geen"]
    label = none[0] if none else w.gettext("Weet ik niet") if question.allow_unknown else None
    if label is None:
        return missing + "."
    return w.gettext("{words}, of kies ‘{label}’.").format(words=missing, label=label)


def summary_message(message: str, question: Question) -> str:
    """Return an error as the error summary lists it: the field's message, about its question.

    The question's own error text is written for it, so the summary repeats it as it is (the
    same text as at the field). Any other message (the generic fallback, or why an answer is
    refused) is the field's message word for word, after the question it is about; at the
    field the legend says that already.
    """
    if message == question.error_message:
        return message
    text = question.text.rstrip()
    return f"{text}{'' if text.endswith(('?', '.', '!', ':')) else ':'} {message}"


class Words(Protocol):
    """Translates the fixed words this module writes; the web passes its gettext (Dutch: as is)."""

    def gettext(self, message: str) -> str: ...  # noqa: D102 - gettext's own contract

    def ngettext(self, one: str, many: str, count: int) -> str: ...  # noqa: D102


class DutchWords:
    """The source language: every text as written here."""

    def gettext(self, message: str) -> str:
        """Return the Dutch text unchanged."""
        return message

    def ngettext(self, one: str, many: str, count: int) -> str:
        """Return the singular text for one, else the plural text."""
        return one if count == 1 else many


DUTCH = DutchWords()


def plural(count: int, one: str, many: str) -> str:
    """Return a count with the singular or plural noun: 1 vraag, 3 vragen."""
    return f"{count} {one if count == 1 else many}"


def _join(items: list[str], words: Words = DUTCH) -> str:
    last = words.gettext("{items} en {last}")
    if len(items) == 1:
        return items[0]
    return last.replace("{items}", ", ".join(items[:-1])).replace("{last}", items[-1])


def counts_sentence(result: Result, words: Words = DUTCH) -> str:
    """Return how many questions applied and how they were answered, in plain words."""
    w = words
    parts = [
        w.ngettext(
            "Er gold {count} vraag voor u.", "Er golden {count} vragen voor u.", result.visible
        )
    ]
    given = [w.ngettext("{count} antwoord", "{count} antwoorden", result.answered)]
    if result.unknown:
        given.append(w.gettext("{count} keer ‘Weet ik niet’").replace("{count}", "{unknown}"))
    if result.not_applicable:
        given.append(w.gettext("{count} keer ‘Niet van toepassing’").replace("{count}", "{nvt}"))
    parts.append(w.gettext("U gaf {answers}.").replace("{answers}", _join(given, w)))
    if result.skipped:
        parts.append(
            w.ngettext(
                "{count} vraag sloeg u over.", "{count} vragen sloeg u over.", result.skipped
            )
        )
    left_out = result.unknown + result.not_applicable + result.skipped
    if left_out:
        parts.append(
            w.ngettext(
                "Die telt niet mee in de score.", "Die tellen niet mee in de score.", left_out
            )
        )
    figures = {"unknown": result.unknown, "nvt": result.not_applicable}
    sentences = [parts[0].format(count=result.visible)]
    sentences.append(parts[1].format(count=result.answered, **figures))
    if result.skipped:
        sentences.append(parts[2].format(count=result.skipped))
    sentences.extend(parts[3 if result.skipped else 2 :])
    return " ".join(sentences)


@dataclass(frozen=True)
class TodayStep:
    """A step for today on a red flag, with the organisations to call (name and number)."""

    text: str
    calls: tuple[Referral, ...]


def today_steps(q: Questionnaire, result: Result) -> list[TodayStep]:
    """Return the red flag's steps for today (at most three), each with whom to call."""
    registry = q.registry
    return [
        TodayStep(step.text, tuple(registry[i] for i in step.calls if i in registry))
        for step in result.today
    ]


def today_avoid(q: Questionnaire) -> str:
    """Return what not to do on a red flag; shown after the calls, never before them."""
    return q.red_flag_outcome.avoid


# --- the first screen of a result: what to do this week ------------------------------------

WEEK_STEPS = 3  # "Doe dit deze week": three calls, on the result's first screen and PDF page 1
EMERGENCY = "noodnummer_112"  # for danger now, not a step to plan for this week
WEEK_FALLBACK = ("politie", "vertrouwenslijn_afpersing")  # when the tips name fewer numbers


@dataclass(frozen=True)
class WeekStep:
    """One call to make this week: whom, the number as shown, its tel: link, for whom it is."""

    ref_id: str
    name: str
    phone: str
    dial: str  # the tel: link (links.tel_href)
    for_whom: str


def first_sentence(text: str) -> str:
    """Return the first sentence of a text (up to and with its first full stop)."""
    head, dot, _ = text.strip().partition(". ")
    return head + "." if dot else text.strip()


def week_steps(result: Result, q: Questionnaire, limit: int = WEEK_STEPS) -> list[WeekStep]:
    """Return the calls to make this week: referrals with a phone number, Meld Misdaad
    Anoniem first, then in the order of the most urgent tip that names them, then the
    questionnaire's general ones; the non-urgent police line and the Vertrouwenslijn fill up."""
    steps = []
    referrals = list(result.referrals)
    for rid in WEEK_FALLBACK:
        if rid not in {r.id for r in referrals} and rid in q.registry:
            referrals.append(q.referral(rid))
    for ref in referrals:
        dial = tel_href(ref.phone)
        if ref.phone is None or dial is None or ref.id == EMERGENCY:
            continue
        steps.append(WeekStep(ref.id, ref.name, ref.phone, dial, first_sentence(ref.when)))
        if len(steps) == limit:
            break
    return steps


def advice_by_priority(result: Result) -> list[tuple[str, list[tuple[int, Any]]]]:
    """Return the tips grouped by priority, most urgent first, each with its number (1..n)."""
    groups: dict[str, list[tuple[int, Any]]] = {}
    for number, advice in enumerate(result.advice, start=1):
        groups.setdefault(advice.priority, []).append((number, advice))
    return list(groups.items())
