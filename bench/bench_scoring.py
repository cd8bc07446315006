"""Benchmark: load all questionnaires, then score 10,000 random valid scans against a baseline.

Baseline: plain Python that only sums the option scores of the same answers.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from scan.questionnaire import Questionnaire, load_catalog
from scan.scoring import expression_values, score

FOLDER = Path(__file__).resolve().parent.parent / "questionnaires"
SCANS = 10_000


def random_answers(q: Questionnaire, rng: random.Random) -> dict:
    """Return a random valid answer set that answers only visible questions."""
    answers: dict = {}
    for question in q.questions:
        expr = q.compiled.show_if.get(question.id)
        if expr is not None and not expr(expression_values(q, answers)):
            continue
        if rng.random() < 0.1:
            continue  # skipped
        specials = question.special_answers()
        if specials and rng.random() < 0.1:
            answers[question.id] = rng.choice(specials)
        elif question.type in ("yes_no", "single_choice"):
            answers[question.id] = rng.choice(question.choices()).value
        elif question.type == "multiple_choice":
            values = [o.value for o in question.options]
            answers[question.id] = rng.sample(values, rng.randint(1, len(values)))
        elif question.type == "scale":
            answers[question.id] = rng.randint(question.scale.min, question.scale.max)
        elif question.type == "number":
            answers[question.id] = round(rng.uniform(question.number.min, question.number.max))
        else:
            answers[question.id] = "Vrije tekst"
    return answers


def score_tables(q: Questionnaire) -> dict[str, dict[str, float]]:
    """Return {question id: {option value: score}}, prepared once outside the timing."""
    return {
        x.id: {o.value: o.score for o in x.choices() if o.score is not None} for x in q.questions
    }


def baseline(table: dict[str, dict[str, float]], answers: dict) -> float:
    """Sum the option scores of the answers: the least any scorer must do."""
    total = 0.0
    for key, value in answers.items():
        scores = table[key]
        if isinstance(value, list):
            for item in value:
                total += scores.get(item, 0.0)
        elif isinstance(value, str):
            total += scores.get(value, 0.0)
    return total


def main() -> None:
    """Print load time, per-scan scoring time, the baseline and the ratio."""
    start = time.perf_counter()
    catalog = load_catalog(FOLDER)
    load_ms = (time.perf_counter() - start) * 1000
    questionnaires = list(catalog.latest.values())
    print(f"load + validate {len(questionnaires)} questionnaires: {load_ms:.0f} ms")

    rng = random.Random(20261128)
    work = [
        (q, random_answers(q, rng))
        for q in questionnaires
        for _ in range(SCANS // len(questionnaires))
    ]
    start = time.perf_counter()
    for q, answers in work:
        score(q, answers)
    scan_us = (time.perf_counter() - start) / len(work) * 1e6
    tables = {q.id: score_tables(q) for q in questionnaires}
    start = time.perf_counter()
    for q, answers in work:
        baseline(tables[q.id], answers)
    base_us = (time.perf_counter() - start) / len(work) * 1e6
    print(f"score one scan:        {scan_us:8.1f} us  ({len(work)} random valid scans)")
    print(f"baseline (sum scores): {base_us:8.1f} us")
    print(f"ratio:                 {scan_us / base_us:8.1f}x  (aim: < 1000 us and < 5x)")
    for q in questionnaires:
        sample = [a for qq, a in work if qq is q][:500]
        start = time.perf_counter()
        for answers in sample:
            score(q, answers)
        per = (time.perf_counter() - start) / len(sample) * 1e6
        print(
            f"  {q.id:<22} {len(q.questions):>3} questions {len(q.rules):>3} rules: {per:7.1f} us"
        )


if __name__ == "__main__":
    main()
