"""Scoring's look-up tables give exactly what evaluating every rule on every answer gives."""

from __future__ import annotations

import random

import pytest

from scan.questionnaire.kinds import choices_of, kind_of
from scan.questionnaire.plan import MAX_REMEMBERED
from scan.scoring import expression_values, score


def random_answers(q, rng: random.Random) -> dict:
    """Return a random valid answer set over the visible questions, some skipped."""
    answers: dict = {}
    for question in q.questions:
        show_if = q.compiled.show_if.get(question.id)
        if show_if is not None and not show_if(expression_values(q, answers)):
            continue
        if rng.random() < 0.15:
            continue
        answers[question.id] = rng.choice(kind_of(question).samples(question))
    return answers


def evaluate_every_rule(q, answers: dict, red_flag: bool) -> list[str]:
    """Return the ids of the rules that fire, by evaluating each condition: no tables.

    On a red flag, advice that needs a safe situation (only_when_safe) is not in the result.
    """
    values = expression_values(q, answers)
    return [
        plan.rule.id
        for plan in q.compiled.rule_plans
        if plan.condition(values) and not (red_flag and plan.rule.only_when_safe)
    ]


def test_fired_rules__same_as_evaluating_every_condition(catalog):
    rng = random.Random(20261202)
    for q in catalog.latest.values():
        for _ in range(300):
            answers = random_answers(q, rng)
            result = score(q, answers)
            fired = evaluate_every_rule(q, answers, result.red_flag)
            assert result.fired_ids() == fired, (q.id, answers)
            again = score(q, {k: list(v) if isinstance(v, list) else v for k, v in answers.items()})
            assert again == result  # the second time comes from the tables: equal results


def test_fired_advice__names_the_answers_of_this_scan(catalog):
    q = catalog.latest["transport"]
    lists = [x for x in q.questions if x.type == "multiple_choice" and x.show_if is None]
    question = lists[0]
    options = [o.value for o in choices_of(question)]
    first = score(q, {question.id: options[:1]})
    second = score(q, {question.id: options[:2]})
    for result, chosen in ((first, options[:1]), (second, options[:2])):
        for advice in result.advice:
            for trigger in advice.triggers:
                if trigger.question_id == question.id:
                    labels = [o.label for o in choices_of(question) if o.value in chosen]
                    assert trigger.answer == ", ".join(labels)


@pytest.mark.parametrize("sector", ["transport", "vastgoed"])
def test_outcome_tables__stay_bounded(catalog, sector):
    q = catalog.latest[sector]
    rng = random.Random(7)
    for _ in range(2000):
        score(q, random_answers(q, rng))
    for plan in q.compiled.rule_plans:
        if plan.outcomes is not None:
            prepared = len(plan.trigger_plans[0].ready) + 1
            assert len(plan.outcomes) <= max(prepared, MAX_REMEMBERED)
    for plan in q.compiled.theme_plans:
        assert len(plan.remembered) <= MAX_REMEMBERED


def test_list_answers__remembered_but_each_caller_gets_its_own_list(catalog):
    q = catalog.latest["transport"]
    question = next(x for x in q.questions if x.type == "multiple_choice")
    plan = q.compiled.plans[question.id]
    options = [o.value for o in choices_of(question)][:2]
    first, problem = plan.normalise(list(reversed(options)))
    assert problem == "" and first == options  # stored in option order
    first.append("changed by a caller")
    again, _ = plan.normalise(list(reversed(options)))
    assert again == options and again is not first
    assert plan.normalise([options[0], options[0]]) == (None, "an option is chosen twice")
    assert plan.normalise([options[0], options[0]]) == (None, "an option is chosen twice")
    assert plan.normalise([{"a": 1}])[0] is None  # unhashable: checked, never remembered
    assert plan.normalise([1])[1] == plan.normalise([True])[1] == "give a list of option values"
    assert all(all(type(item) is str for item in key) for key in plan.lists)
