"""Lookup tables per question and rule, computed once at load time so scoring repeats no work."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from scan.questionnaire.advice import FiredAdvice, Trigger
from scan.questionnaire.expressions import Expression
from scan.questionnaire.kinds import QuestionKind, kind_of
from scan.questionnaire.model import Question, Rule, Theme
from scan.questionnaire.values import PRIORITIES, SPECIAL_ANSWERS, Answer, is_special

MELD_MISDAAD_ANONIEM = "meld_misdaad_anoniem"
MAX_REMEMBERED = 256  # advice remembered per rule for answers seen while scoring
Evaluator = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True, slots=True)
class QuestionPlan:
    """A question with its kind and the tables its answers are checked, scored and read by.

    Every answer that is one string (an option, an offered special answer) is normalised,
    scored and put in words in advance (ready, fractions, words). A list of options is
    normalised and scored once per list met (up to MAX_REMEMBERED lists, in `lists`); other
    answers go through the kind each time.
    """

    question: Question
    index: int
    kind: QuestionKind
    values: tuple[str, ...]
    labels: dict[str, str]
    scores: dict[str, float]
    specials: frozenset[str]
    scored: bool
    show_if: Evaluator | None = None
    # The kind's expression_value, or None when an answer is its own value in expressions.
    expression_value: Callable[[Answer], Any] | None = None
    ready: dict[str, Answer] = field(default_factory=dict)
    fractions: dict[str, float | None] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)
    # A list answer as given -> (its normalised list or None, the problem, its fraction).
    lists: dict[tuple[Any, ...], tuple[Any, str, float | None]] = field(default_factory=dict)

    def normalise(self, raw: Any) -> tuple[Answer | None, str]:
        """Return the normalised answer, or None and what is wrong with it (see the kind)."""
        if not isinstance(raw, list):
            return self.kind.normalise(self, raw)
        value, problem, _ = self._list(raw)
        return (None if value is None else list(value)), problem  # callers may change it

    def fraction(self, value: Answer) -> float | None:
        """Return a stored answer's score as 0..1, or None when it does not count."""
        if isinstance(value, str) and value in self.fractions:
            return self.fractions[value]
        if isinstance(value, list):
            return self._list(value)[2]
        return self._fraction(value)

    def _fraction(self, value: Answer) -> float | None:
        if not self.scored or is_special(value):
            return None
        return self.kind.fraction(self, value)

    def _list(self, raw: list) -> tuple[Any, str, float | None]:
        """Normalise and score a list answer once; remember it, keyed on its items."""
        try:
            key = tuple(raw)
            found = self.lists.get(key)
        except TypeError:  # an unhashable item, e.g. a mapping: wrong anyway, not remembered
            key, found = None, None
        if found is None:
            value, problem = self.kind.normalise(self, list(raw))
            fraction = None if value is None else self._fraction(value)
            found = (None if value is None else tuple(value), problem, fraction)
            # Only lists of text: equal keys then mean equal answers (1, 1.0 and True do not).
            if key is not None and len(self.lists) < MAX_REMEMBERED:
                if all(item.__class__ is str for item in key):
                    self.lists[key] = found
        return found

    def best(self) -> float:
        """Return the score fraction of the best possible answer."""
        return self.kind.best(self)

    def label(self, value: Answer) -> str:
        """Return how a stored answer reads for people."""
        if isinstance(value, str) and value in self.words:
            return self.words[value]
        return self.kind.label(self, value)


def plan_question(
    question: Question, index: int, show_if: Expression | None = None
) -> QuestionPlan:
    """Build the plan of one question; prepare_answers() fills its tables of answers."""
    kind = kind_of(question)
    choices = kind.choices(question)
    return QuestionPlan(
        question=question,
        index=index,
        kind=kind,
        values=tuple(o.value for o in choices),
        labels={**{o.value: o.label for o in choices}, **SPECIAL_ANSWERS},
        scores={o.value: o.score or 0.0 for o in choices},
        specials=frozenset(question.special_answers()),
        scored=kind.scored(question),
        show_if=show_if.evaluate if show_if is not None else None,
        expression_value=(
            None
            if type(kind).expression_value is QuestionKind.expression_value
            else kind.expression_value
        ),
    )


def prepare_answers(plan: QuestionPlan) -> QuestionPlan:
    """Normalise, score and word every answer that is one string, once; return the plan."""
    kind = plan.kind
    for raw in (*plan.values, *plan.question.special_answers()):
        value, problem = kind.normalise(plan, raw)
        if problem or not isinstance(value, str):
            continue  # lists are made anew for every answer: callers may change them
        plan.ready[raw] = value
    for value in plan.ready.values():
        plan.fractions[value] = (
            None if not plan.scored or is_special(value) else kind.fraction(plan, value)
        )
        plan.words[value] = kind.label(plan, value)
    return plan


@dataclass(frozen=True, slots=True)
class ThemePlan:
    """A theme with the plans of its questions, in order, and what scoring reads of each."""

    theme: Theme
    questions: tuple[QuestionPlan, ...]
    # (question id, weight, prepared fractions, plan) per question, so scoring looks up less.
    scoring: tuple[tuple[str, float, dict[str, float | None], QuestionPlan], ...] = ()
    # The theme's scores seen while scoring (up to MAX_REMEMBERED), by (score, counted,
    # unknown, skipped, capped by): scores repeat, and a score is immutable.
    remembered: dict[tuple[Any, ...], Any] = field(default_factory=dict)


def plan_theme(theme: Theme, questions: tuple[QuestionPlan, ...]) -> ThemePlan:
    """Build the plan of one theme over the plans of its questions."""
    scoring = tuple((p.question.id, p.question.weight, p.fractions, p) for p in questions)
    return ThemePlan(theme, questions, scoring)


@dataclass(frozen=True, slots=True)
class RulePlan:
    """A rule with its compiled condition and what its advice needs, precomputed.

    A rule that reads one question knows, for every prepared answer to it (and for no
    answer), whether it fires and with what advice (`outcomes`); other answers, and rules
    that read more questions, remember the advice for the answers they fired on (up to
    MAX_REMEMBERED, in `prepared`), so a fired rule usually costs one look-up.
    """

    rule: Rule
    condition: Expression
    test: Evaluator
    rank: tuple[int, bool, int]
    trigger_plans: tuple[QuestionPlan, ...]
    referrals: tuple[str, ...]
    steps: tuple[str, ...]
    trigger_ids: tuple[str, ...] = ()
    # Advice by the answers to the trigger questions (None: unanswered, a tuple: a list).
    prepared: dict[tuple[Any, ...], FiredAdvice] = field(default_factory=dict)
    # A rule that reads one question: for no answer and each prepared answer to it, the
    # advice when the rule fires on it, or None when it does not; scoring then only looks up
    # (and adds the list and whole-number answers it meets, up to MAX_REMEMBERED).
    outcomes: dict[Any, FiredAdvice | None] | None = None

    def advice(self, clean: Mapping[str, Answer]) -> FiredAdvice:
        """Return the advice of this rule, fired for these answers."""
        key = tuple(map(clean.get, self.trigger_ids))
        try:
            found = self.prepared.get(key)
        except TypeError:  # a list answer: key it on a tuple of its values
            key = tuple(tuple(v) if isinstance(v, list) else v for v in key)
            found = self.prepared.get(key)
        if found is None:
            found = fired_advice(self, clean)
            # Only text and lists of text: equal keys then read alike (unlike 0.0 and -0.0).
            if len(self.prepared) < MAX_REMEMBERED and all(
                v is None or type(v) is str or type(v) is tuple for v in key
            ):
                self.prepared[key] = found
        return found


def plan_rule(rule: Rule, condition: Expression, plans: dict[str, QuestionPlan]) -> RulePlan:
    """Build the plan of one rule; red-flag rules always bring Meld Misdaad Anoniem."""
    referrals = list(rule.referrals)
    if rule.red_flag and MELD_MISDAAD_ANONIEM not in referrals:
        referrals.insert(0, MELD_MISDAAD_ANONIEM)
    trigger_plans = tuple(sorted((plans[s] for s in condition.symbols), key=lambda p: p.index))
    plan = RulePlan(
        rule=rule,
        condition=condition,
        test=condition.evaluate,
        rank=(PRIORITIES.index(rule.priority), not rule.red_flag, rule.rank or 100),
        trigger_plans=trigger_plans,
        referrals=tuple(referrals),
        steps=tuple(rule.advice.steps),
        trigger_ids=tuple(p.question.id for p in trigger_plans),
    )
    if len(plan.trigger_plans) == 1:
        trigger = plan.trigger_plans[0]
        question_id, convert = trigger.question.id, trigger.expression_value
        outcomes: dict[Any, FiredAdvice | None] = {}
        for value in (None, *trigger.ready.values()):
            seen = value if value is None or convert is None else convert(value)
            fires = plan.test({question_id: seen}) is True
            answers = {} if value is None else {question_id: value}
            outcomes[value] = fired_advice(plan, answers) if fires else None
        return replace(plan, outcomes=outcomes)
    return plan


def fired_advice(plan: RulePlan, clean: Mapping[str, Answer]) -> FiredAdvice:
    """Return a rule's advice with the answers (of the questions it reads) that triggered it."""
    triggers = []
    for trigger in plan.trigger_plans:
        question = trigger.question
        value = clean.get(question.id)
        if value is not None:
            triggers.append(Trigger(question.id, question.text, trigger.label(value)))
    rule = plan.rule
    return FiredAdvice(
        id=rule.id,
        theme=rule.theme,
        priority=rule.priority,
        red_flag=rule.red_flag,
        title=rule.advice.title,
        explanation=rule.advice.explanation,
        steps=plan.steps,
        referrals=plan.referrals,
        triggers=tuple(triggers),
        only_when_safe=rule.only_when_safe,
    )
