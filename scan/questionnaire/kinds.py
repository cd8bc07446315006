"""Question kinds: one class per question type, holding everything that differs per type.

A kind says which settings its questions need, how an answer is normalised and checked, how it
scores (a fraction 0..1), what value it has in expressions, which sample answers cover it (for
the never-fires check and for tests) and how it reads in words. To add a question type, write a
QuestionKind subclass, register() it, and give the web a field builder of the same name
(scan/scans/forms.py). Nothing else names a question type.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import rule_engine

from scan.questionnaire import number_words as words
from scan.questionnaire.errors import did_you_mean
from scan.questionnaire.model import Option, Question
from scan.questionnaire.values import NOT_APPLICABLE, SPECIAL_ANSWERS, UNKNOWN, Answer


class PlanView(Protocol):
    """What a kind reads from a question's prepared plan (plan.py's QuestionPlan has it)."""

    @property
    def question(self) -> Question: ...
    @property
    def specials(self) -> frozenset[str]: ...
    @property
    def values(self) -> tuple[str, ...]: ...
    @property
    def labels(self) -> dict[str, str]: ...
    @property
    def scores(self) -> dict[str, float]: ...


@dataclass(frozen=True)
class ValueType:
    """What an answer is in expressions: its word in messages and its rule-engine type."""

    word: str
    data_type: Any


TEXT = ValueType("text", rule_engine.DataType.STRING)
NUMBER = ValueType("number", rule_engine.DataType.FLOAT)
LIST = ValueType("list", rule_engine.DataType.ARRAY(rule_engine.DataType.STRING))
TRUE_FALSE = ValueType("true/false", rule_engine.DataType.BOOLEAN)


@dataclass(frozen=True)
class KindProblem:
    """A problem in a question's type-specific settings; path and key are below the question."""

    path: tuple[Any, ...]
    message: str
    hint: str = ""
    key: str = ""


class QuestionKind:
    """How questions of one type behave; subclass it and register() an instance to add a type."""

    name: ClassVar[str]
    value_type: ClassVar[ValueType]
    needs: ClassVar[str | None] = None  # the settings block it requires (see BLOCKS)
    allows: ClassVar[frozenset[str]] = frozenset()  # the OPTIONAL settings it may use
    has_options: ClassVar[bool] = False  # answers are option values, checked in expressions
    # What to do when a required question of this kind is left open (Dutch, at the field),
    # for a question without its own error_message.
    missing: ClassVar[str] = "Beantwoord deze vraag"
    # An error_message written the GOV.UK way, shown in the validator's hint.
    error_example: ClassVar[str] = "Kies of u een eigen terrein heeft."

    def choices(self, question: Question) -> list[Option]:
        """Return the real answer options, without special answers."""
        return list(question.options)

    def scored(self, question: Question) -> bool:
        """Tell whether a question of this kind counts in its theme's score."""
        return False

    def check(self, question: Question) -> Iterator[KindProblem]:
        """Yield what is wrong in the settings only this kind reads."""
        yield from ()

    def normalise(self, plan: PlanView, raw: Any) -> tuple[Answer | None, str]:
        """Return the normalised answer, or None and what is wrong with it."""
        if isinstance(raw, str) and raw in SPECIAL_ANSWERS:
            if raw not in plan.specials:
                return None, f"'{raw}' is not offered for this question"
            return self.special(raw), ""
        return self.parse(plan, raw)

    def special(self, value: str) -> Answer:
        """Return how a special answer ("weet niet", "nvt") is stored."""
        return value

    def parse(self, plan: PlanView, raw: Any) -> tuple[Answer | None, str]:
        """Return the normalised answer that is not special, or None and what is wrong."""
        raise NotImplementedError

    def expression_value(self, value: Answer) -> Any:
        """Return the value of a stored answer in expressions."""
        return value

    def fraction(self, plan: PlanView, value: Answer) -> float | None:
        """Return a scored answer that is not special as 0..1 (1 is the best answer)."""
        return None

    def best(self, plan: PlanView) -> float:
        """Return the fraction of the best possible answer."""
        return 1.0

    def label(self, plan: PlanView, value: Answer) -> str:
        """Return how an answer reads for people (option labels, not values)."""
        if isinstance(value, list):
            return ", ".join(plan.labels[v] for v in value)
        if isinstance(value, str):
            return plan.labels.get(value, value)
        return f"{value:g}"

    def samples(self, question: Question) -> list[Answer]:
        """Return valid answers that cover this kind's range, special answers included."""
        return [self.special(value) for value in question.special_answers()]


class OneOption(QuestionKind):
    """One option out of several; scored by the option's score."""

    value_type = TEXT
    has_options = True

    def parse(self, plan, raw):
        if not isinstance(raw, str) or raw not in plan.scores:
            offered = [*plan.values, *sorted(plan.specials)]
            hint = did_you_mean(raw, plan.values) or "options: " + ", ".join(offered)
            return None, f"'{raw}' is not an option ({hint})"
        return raw, ""

    def fraction(self, plan, value):
        return plan.scores[value] / 100.0

    def best(self, plan):
        return max(plan.scores.values(), default=0.0) / 100.0

    def samples(self, question):
        return [*(o.value for o in self.choices(question)), *super().samples(question)]


class YesNo(OneOption):
    """Ja or nee; scored when the question names its good answer."""

    name = "yes_no"
    missing = "Kies ‘Ja’ of ‘Nee’"
    error_example = "Kies of u een eigen terrein heeft."
    allows = frozenset({"good_answer", "acute_when"})

    def choices(self, question):
        good = question.good_answer
        return [
            Option(value="ja", label="Ja", score=None if not good else 100 * (good == "ja")),
            Option(value="nee", label="Nee", score=None if not good else 100 * (good == "nee")),
        ]

    def scored(self, question):
        return question.good_answer is not None


class SingleChoice(OneOption):
    """One of the question's own options; scored when the options have scores."""

    name = "single_choice"
    missing = "Kies het antwoord dat het best past"
    error_example = "Kies hoe vaak u het hek controleert."
    needs = "options"

    def scored(self, question):
        return any(o.score is not None for o in question.options)

    def check(self, question):
        yield from _option_problems(question)


class MultipleChoice(QuestionKind):
    """Any number of the question's options, stored in option order; scores add up to 100."""

    name = "multiple_choice"
    missing = "Kies wat er bij u is"
    error_example = "Kies welke maatregelen u heeft genomen, of kies ‘Geen van deze’."
    value_type = LIST
    needs = "options"
    has_options = True

    def scored(self, question):
        return any(o.score is not None for o in question.options)

    def check(self, question):
        yield from _option_problems(question)

    def special(self, value):
        return [value]

    def parse(self, plan, raw):
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            return None, "give a list of option values"
        if len(items) == 1 and items[0] in plan.specials:
            return items, ""
        wrong = [i for i in items if i not in plan.scores]
        if wrong:
            hint = did_you_mean(wrong[0], plan.values) or "options: " + ", ".join(plan.values)
            return None, f"'{wrong[0]}' is not an option ({hint})"
        if len(set(items)) != len(items):
            return None, "an option is chosen twice"
        return [v for v in plan.values if v in items], ""

    def fraction(self, plan, value):
        return min(sum(plan.scores[v] for v in value), 100.0) / 100.0

    def best(self, plan):
        return min(sum(plan.scores.values()), 100.0) / 100.0

    def samples(self, question):
        values = [o.value for o in question.options]
        subsets: list[Answer] = [[v] for v in values] + [values]
        if len(values) <= 6:
            subsets += [[v for v in values if v != skip] for skip in values]
        return subsets + super().samples(question)


class Numeric(QuestionKind):
    """A number within bounds; a special answer has no value in expressions (null)."""

    value_type = NUMBER

    def bounds(self, question: Question) -> tuple[float, float]:
        """Return the lowest and highest allowed answer."""
        raise NotImplementedError

    def parse(self, plan, raw):
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            return None, "give a number"
        try:
            number = float(str(raw).replace(",", ".")) if isinstance(raw, str) else float(raw)
        except ValueError:
            return None, f"'{raw}' is not a number"
        if not math.isfinite(number):
            return None, "give a finite number"
        problem = self.refuse(plan.question, number)
        return (None, problem) if problem else (number, "")

    def refuse(self, question: Question, number: float) -> str:
        """Return what is wrong with a finite number as an answer, or ''."""
        return words.outside(number, *self.bounds(question))

    def expression_value(self, value):
        return None if isinstance(value, str) else value


class Scale(Numeric):
    """A whole step on a short scale; scored when the scale says which end is good."""

    name = "scale"
    missing = "Kies een getal op de schaal"
    error_example = "Kies hoeveel vertrouwen u heeft in uw personeel."
    needs = "scale"
    allows = frozenset({"acute_from"})

    def bounds(self, question):
        return question.scale.min, question.scale.max

    def scored(self, question):
        return question.scale is not None and question.scale.good is not None

    def refuse(self, question, number):
        return words.not_whole(number, words.SCALE_STEP_WHOLE) or super().refuse(question, number)

    def fraction(self, plan, value):
        return words.scale_fraction(plan.question.scale, value)

    def label(self, plan, value):
        """Return a step with what the scale's ends mean (see number_words.scale_label)."""
        if isinstance(value, str):
            return super().label(plan, value)
        return words.scale_label(plan.question.scale, value)

    def samples(self, question):
        steps = [float(v) for v in range(question.scale.min, question.scale.max + 1)]
        return [*steps, *super().samples(question)]


class Number(Numeric):
    """A number in the question's range, with an optional unit; never scored."""

    name = "number"
    missing = "Vul een getal in"
    error_example = "Vul in hoeveel mensen er bij u werken."
    needs = "number"
    allows = frozenset({"acute_from"})

    def bounds(self, question):
        return question.number.min, question.number.max

    def refuse(self, question, number):
        whole = words.not_whole(number, words.COUNT_WHOLE) if question.number.whole else ""
        return whole or super().refuse(question, number)

    def label(self, plan, value):
        unit = plan.question.number.unit
        if isinstance(value, str) or not unit:
            return super().label(plan, value)
        return f"{value:g} {unit}"

    def samples(self, question):
        low, high = self.bounds(question)
        # The ends, the middle and round numbers that rules often compare with.
        numbers = [low, (low + high) / 2, high, 1.0, 5.0, 10.0, 100.0]
        inside = [n for n in dict.fromkeys(numbers) if low <= n <= high]
        return [*inside, *super().samples(question)]


class Text(QuestionKind):
    """Free text up to the question's max_length; never scored."""

    name = "text"
    missing = "Vul een antwoord in"
    error_example = "Vul in wat u heeft gezien."
    value_type = TEXT
    allows = frozenset({"max_length"})

    def parse(self, plan, raw):
        question = plan.question
        if not isinstance(raw, str):
            return None, "give text"
        if len(raw) > question.max_length:
            return None, f"text is longer than {question.max_length} characters"
        return raw, ""

    def samples(self, question):
        return ["x", *super().samples(question)]


KINDS: dict[str, QuestionKind] = {}


def register(kind: QuestionKind) -> QuestionKind:
    """Make a question kind known by its name (the `type:` in questionnaire files)."""
    KINDS[kind.name] = kind
    return kind


for _kind in (YesNo(), SingleChoice(), MultipleChoice(), Scale(), Number(), Text()):
    register(_kind)


# The settings blocks a kind can need, and the optional settings only some kinds may use.
BLOCKS = ("options", "scale", "number")
OPTIONAL = {
    "good_answer": ("'good_answer' is only for {users} questions", "use option scores instead"),
    "max_length": ("'max_length' is only for {users} questions, not {kind}", "remove 'max_length'"),
    "acute_when": (
        "'acute_when' is only for {users} questions, not {kind}",
        "zet bij een vraag met eigen opties 'acute: true' op de optie die betekent dat het nu "
        "gebeurt; bij een getal of schaal 'acute_from'",
    ),
    "acute_from": (
        "'acute_from' is only for {users} questions, not {kind}",
        "zet bij ja/nee 'acute_when: ja' (of nee), en bij eigen opties 'acute: true' op de optie",
    ),
}


def kind_of(question: Question) -> QuestionKind:
    """Return what a question's type means."""
    return KINDS[question.type]


def choices_of(question: Question) -> list[Option]:
    """Return a question's real answer options (yes/no built in), without special answers."""
    return kind_of(question).choices(question)


def is_scored(question: Question) -> bool:
    """Tell whether a question counts in its theme's score."""
    return kind_of(question).scored(question)


def question_problems(question: Question) -> Iterator[KindProblem]:
    """Yield what is wrong in a question's type-specific settings, in reading order."""
    kind = kind_of(question)
    for key in BLOCKS:
        present = bool(getattr(question, key))
        if kind.needs == key and not present:
            yield KindProblem((), f"a {kind.name} question needs '{key}'", f"add '{key}:'")
        elif kind.needs != key and present:
            yield KindProblem(
                (),
                f"'{key}' is not allowed for a {kind.name} question",
                f"remove '{key}' or change the type",
                key=key,
            )
    for key, (message, hint) in OPTIONAL.items():
        # Compared with the default, not 'was it set': snapshots store every field.
        if getattr(question, key) != Question.model_fields[key].default and key not in kind.allows:
            users = " or ".join(k.name for k in KINDS.values() if key in k.allows)
            yield KindProblem((), message.format(users=users, kind=kind.name), hint, key=key)
    yield from kind.check(question)
    if question.scale is not None:
        s = question.scale
        if s.min >= s.max:
            yield KindProblem(("scale",), "scale min must be smaller than max")
        elif s.max - s.min > 10:
            yield KindProblem(("scale",), "a scale has at most 10 steps", "use e.g. 1 to 5")
    if question.number is not None and question.number.min >= question.number.max:
        yield KindProblem(("number",), "number min must be smaller than max")


def _option_problems(question: Question) -> Iterator[KindProblem]:
    """Yield option values that repeat or are reserved, and scores given to only some options."""
    values = [o.value for o in question.options]
    if len(values) == 1:  # no options at all is reported as a missing block
        yield KindProblem(("options",), "a choice question needs at least two options")
    seen: set[str] = set()
    for j, option in enumerate(question.options):
        if option.value in (UNKNOWN, NOT_APPLICABLE):
            yield KindProblem(
                ("options", j, "value"),
                f"'{option.value}' is reserved for the special answer",
                "use allow_unknown / allow_not_applicable instead",
            )
        if option.value in seen:
            yield KindProblem(
                ("options", j, "value"),
                f"option value '{option.value}' is used more than once in this question",
                "option values must be unique within a question",
            )
        seen.add(option.value)
    scored = [o.score is not None for o in question.options]
    if any(scored) and not all(scored):
        for j, option in enumerate(question.options):
            if option.score is None:
                yield KindProblem(
                    ("options", j),
                    f"option '{option.value}' has no score while others do",
                    "give every option a score (0 for the weakest), or none",
                )
