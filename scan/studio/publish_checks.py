"""What publishing checks beyond the loader: the examples pass and own referrals can be verified.

`publish_problems` turns a failing example and an own referral that nobody can check into
located problems (English, as the loader's), which `documents.publish` refuses like any error
and the author sees in Dutch through `questionnaire.author_messages`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scan.questionnaire import Position, Problem, Questionnaire
from scan.questionnaire.located import locate
from scan.studio.examples import ExampleOutcome, run_examples

# An own referral is verifiable when it was checked within this many days (its source and
# verified_on are required by the format): a number people are sent to must still be right.
VERIFIED_WITHIN_DAYS = 366


@dataclass(frozen=True)
class ExampleSummary:
    """How many examples pass, for the confirm page ("3 van 4 voorbeelden kloppen")."""

    passed: int
    total: int


def publish_problems(questionnaire: Questionnaire | None, source: Any, name: str) -> list[Problem]:
    """Return the failing examples and unverifiable own referrals of a text that loads."""
    if questionnaire is None:
        return []
    problems = example_problems(run_examples(questionnaire), source, name)
    return problems + referral_problems(source, name)


def example_summary(questionnaire: Questionnaire | None) -> ExampleSummary:
    outcomes = run_examples(questionnaire) if questionnaire is not None else []
    return ExampleSummary(sum(o.passed for o in outcomes), len(outcomes))


def example_problems(outcomes: list[ExampleOutcome], source: Any, name: str) -> list[Problem]:
    """Return one problem per unmet expectation, at the example's line of the author's text."""
    problems: list[Problem] = []
    for i, outcome in enumerate(outcomes):
        where = locate(source, ("examples", i)) or Position(name, 1, 1)
        problems.extend(
            Problem(f"example '{outcome.name}': {failure}", where, f"examples[{i}]")
            for failure in outcome.failures
        )
    return problems


def referral_problems(source: Any, name: str, today: dt.date | None = None) -> list[Problem]:
    """Return a problem for each own referral checked too long ago."""
    today = today or dt.date.today()
    entries = source.get("new_referrals") if isinstance(source, dict) else None
    problems: list[Problem] = []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        where = locate(source, ("new_referrals", i)) or Position(name, 1, 1)
        verified = entry.get("verified_on")
        if isinstance(verified, dt.date) and (today - verified).days > VERIFIED_WITHIN_DAYS:
            problems.append(
                Problem(
                    f"referral was verified on {verified.isoformat()}, over a year ago",
                    locate(source, ("new_referrals", i, "verified_on")) or where,
                    f"new_referrals[{i}].verified_on",
                )
            )
    return problems
