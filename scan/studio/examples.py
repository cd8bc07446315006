"""Run a questionnaire's example answer sets and compare the outcome with what they expect.

Each outcome keeps the scored Result and a row per thing an author may check (the total, the
level, the red flag, each theme's score, each rule), with what came out next to what was
expected, in Dutch, for the studio's examples tab.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scan.questionnaire.errors import AnswersError
from scan.questionnaire.model import Example, Questionnaire
from scan.scoring import Result, score


@dataclass(frozen=True)
class ComparedRow:
    """One line of an example's outcome: what, what came out, what was expected, whether it holds.

    `holds` is None when the example expects nothing about it.
    """

    what: str
    actual: str
    expected: str
    holds: bool | None


@dataclass
class ExampleOutcome:
    """The outcome of one example: its name, every unmet expectation, the result and its rows."""

    name: str
    failures: list[str] = field(default_factory=list)
    description: str = ""
    result: Result | None = None
    rows: list[ComparedRow] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def run_examples(q: Questionnaire) -> list[ExampleOutcome]:
    """Score every example of a questionnaire and check its expectations."""
    return [run_example(q, example) for example in q.examples]


def run_example(q: Questionnaire, example: Example) -> ExampleOutcome:
    """Score one example and list what differs from its expectation."""
    outcome = ExampleOutcome(example.name, description=example.description or "")
    try:
        result = score(q, example.answers)
    except AnswersError as exc:
        outcome.failures.extend(f"invalid answer: {p}" for p in exc.messages)
        return outcome
    outcome.failures.extend(_compare(q, example, result))
    outcome.result = result
    outcome.rows = compared_rows(q, example, result)
    return outcome


def compared_rows(q: Questionnaire, example: Example, result: Result) -> list[ComparedRow]:
    """Return what came out next to what was expected: total, level, red flag, themes, rules."""
    expect = example.expect
    risk = result.risk.id if result.risk else None
    rows = [
        ComparedRow(
            "Totale score",
            _number(result.overall),
            _range(expect.overall),
            None if expect.overall is None else not _in_range("", result.overall, expect.overall),
        ),
        ComparedRow(
            "Niveau",
            _level(q, risk),
            _level(q, expect.risk_level) if expect.risk_level else "",
            None if expect.risk_level is None else expect.risk_level == risk,
        ),
        ComparedRow(
            "Direct hulp nodig",
            _yes(result.red_flag),
            "" if expect.red_flag is None else _yes(expect.red_flag),
            None if expect.red_flag is None else expect.red_flag == result.red_flag,
        ),
    ]
    for theme in q.themes:
        actual = result.theme(theme.id).score
        holds: bool | None = None
        expected_words = ""
        if theme.id in expect.theme_scores:
            bounds = expect.theme_scores[theme.id]
            if bounds is None:
                holds, expected_words = actual is None, "geen score"
            else:
                holds, expected_words = not _in_range("", actual, bounds), _range(bounds)
        rows.append(
            ComparedRow(f"Thema {theme.title} ({theme.id})", _number(actual), expected_words, holds)
        )
    fired = result.fired_ids()
    titles = {r.id: r.advice.title for r in q.rules}
    for rule_id in dict.fromkeys([*fired, *expect.fired, *expect.not_fired]):
        wanted = "komt" if rule_id in expect.fired else "komt niet"
        known = rule_id in expect.fired or rule_id in expect.not_fired
        rows.append(
            ComparedRow(
                f"Advies {rule_id}" + (f": {titles[rule_id]}" if rule_id in titles else ""),
                "komt" if rule_id in fired else "komt niet",
                wanted if known else "",
                (rule_id in fired) == (rule_id in expect.fired) if known else None,
            )
        )
    return rows


def _number(value: float | None) -> str:
    return "geen score" if value is None else f"{value:.1f}".replace(".", ",")


def _range(wanted: tuple[float, float] | None) -> str:
    if wanted is None:
        return ""
    low, high = (f"{x:g}".replace(".", ",") for x in wanted)
    return low if low == high else f"{low} tot {high}"


def _level(q: Questionnaire, level_id: str | None) -> str:
    labels = {r.id: r.label for r in q.risk_levels}
    return labels.get(level_id, level_id or "geen") if level_id else "geen"


def _yes(value: bool) -> str:
    return "ja" if value else "nee"


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
