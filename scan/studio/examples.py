"""Run a questionnaire's example answer sets and compare the outcome with what they expect."""

from __future__ import annotations

from dataclasses import dataclass, field

from scan.questionnaire.errors import AnswersError
from scan.questionnaire.model import Example, Questionnaire
from scan.scoring import Result, score


@dataclass
class ExampleOutcome:
    """The outcome of one example: its name and every unmet expectation."""

    name: str
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def run_examples(q: Questionnaire) -> list[ExampleOutcome]:
    """Score every example of a questionnaire and check its expectations."""
    return [run_example(q, example) for example in q.examples]


def run_example(q: Questionnaire, example: Example) -> ExampleOutcome:
    """Score one example and list what differs from its expectation."""
    outcome = ExampleOutcome(example.name)
    try:
        result = score(q, example.answers)
    except AnswersError as exc:
        outcome.failures.extend(f"invalid answer: {p}" for p in exc.messages)
        return outcome
    outcome.failures.extend(_compare(q, example, result))
    return outcome


def _compare(q: Questionnaire, example: Example, result: Result) -> list[str]:
    expect = example.expect
    failures: list[str] = []
    risk = result.risk.id if result.risk else None
    if expect.risk_level is not None and expect.risk_level != risk:
        failures.append(f"risk level is '{risk}', expected '{expect.risk_level}'")
    if expect.red_flag is not None and expect.red_flag != result.red_flag:
        failures.append(f"red flag is {result.red_flag}, expected {expect.red_flag}")
    if expect.overall is not None:
        failures.extend(_in_range("overall score", result.overall, expect.overall))
    theme_ids = {t.id for t in q.themes}
    for theme_id, wanted in expect.theme_scores.items():
        if theme_id not in theme_ids:
            failures.append(f"unknown theme '{theme_id}' in expect.theme_scores")
            continue
        actual = result.theme(theme_id).score
        if wanted is None:
            if actual is not None:
                failures.append(f"theme '{theme_id}' scores {actual:g}, expected no score")
        else:
            failures.extend(_in_range(f"theme '{theme_id}'", actual, wanted))
    fired = set(result.fired_ids())
    rule_ids = {r.id for r in q.rules}
    for rule_id in [*expect.fired, *expect.not_fired]:
        if rule_id not in rule_ids:
            failures.append(f"unknown rule '{rule_id}' in expectations")
    failures.extend(f"rule '{r}' did not fire" for r in expect.fired if r in rule_ids - fired)
    failures.extend(f"rule '{r}' fired" for r in expect.not_fired if r in fired)
    return failures


def _in_range(what: str, actual: float | None, wanted: tuple[float, float]) -> list[str]:
    low, high = wanted
    if actual is None:
        return [f"{what} has no score, expected {low:g} to {high:g}"]
    if not low <= actual <= high:
        return [f"{what} is {actual:g}, expected {low:g} to {high:g}"]
    return []
