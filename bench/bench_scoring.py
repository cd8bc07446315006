"""Benchmark: load all questionnaires and score 10,000 random valid scans, each beside a baseline.

Load: a start with the parse cache filled by an earlier start (as the app does), and a first
start that parses every file (no parse cache); both against the same aim (issue 14).
Load baseline: a plain safe YAML parse (ruamel.yaml, typ="safe") of the same files.
Scoring baseline: plain Python that only sums the option scores of the same answers.
Both figures are CPU time, best of a few runs, so that other processes on the machine
disturb them less.
"""

from __future__ import annotations

import random
import secrets
import tempfile
import time
from pathlib import Path

from ruamel.yaml import YAML

from scan.questionnaire import Questionnaire, load_catalog
from scan.questionnaire.kinds import choices_of, kind_of
from scan.questionnaire.loader import REGISTRY_FILE, questionnaire_paths
from scan.questionnaire.parsecache import ParseCache
from scan.scoring import expression_values, score

FOLDER = Path(__file__).resolve().parent.parent / "questionnaires"
SCANS = 10_000
RUNS = 3
LOAD_AIM_MS = 250.0  # issue 14: loading the shipped questionnaires
SCORE_AIM_US = 50.0  # issue 14: a full sector scan


def random_answers(q: Questionnaire, rng: random.Random) -> dict:
    """Return a random valid answer set that answers only visible questions."""
    answers: dict = {}
    for question in q.questions:
        expr = q.compiled.show_if.get(question.id)
        if expr is not None and not expr(expression_values(q, answers)):
            continue
        if rng.random() < 0.1:
            continue  # skipped
        answers[question.id] = rng.choice(kind_of(question).samples(question))
    return answers


def score_tables(q: Questionnaire) -> dict[str, dict[str, float]]:
    """Return {question id: {option value: score}}, prepared once outside the timing."""
    return {
        x.id: {o.value: o.score for o in choices_of(x) if o.score is not None} for x in q.questions
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


def score_each(work: list) -> None:
    """Score each (questionnaire, answers) pair, keeping no result (no garbage to collect)."""
    for q, answers in work:
        score(q, answers)


def yaml_reader() -> str:
    """Name the reader a safe ruamel.yaml load uses here: C when ruamel.yaml.clib is installed."""
    try:
        import _ruamel_yaml  # noqa: F401
    except ImportError:
        return "pure Python"
    return "C"


def plain_yaml(paths: list[Path]) -> None:
    """Parse the files with a plain safe YAML load: no positions, no model, no checks."""
    yaml = YAML(typ="safe")
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"))


def best_cpu(run, times: int = RUNS) -> float:
    """Return the least CPU time of a few calls, in seconds."""
    best = float("inf")
    for _ in range(times):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def verdict(figure: float, aim: float) -> str:
    """Say whether a figure is under its aim."""
    return "met" if figure < aim else "NOT met"


def main() -> None:
    """Print load time and per-scan scoring time, each with its baseline, ratio and verdict."""
    cold_ms = best_cpu(lambda: load_catalog(FOLDER)) * 1000
    with tempfile.TemporaryDirectory() as folder:
        cache = ParseCache(folder, secrets.token_bytes(32))
        catalog = load_catalog(FOLDER, cache)  # the first start fills the cache
        load_ms = best_cpu(lambda: load_catalog(FOLDER, cache)) * 1000
    paths = [*questionnaire_paths(FOLDER), FOLDER / REGISTRY_FILE]
    yaml_ms = best_cpu(lambda: plain_yaml(paths)) * 1000
    questionnaires = list(catalog.latest.values())
    print(
        f"load + validate {len(questionnaires)} questionnaires: {load_ms:8.1f} ms  "
        f"(parse cache filled; aim < {LOAD_AIM_MS:.0f} ms: {verdict(load_ms, LOAD_AIM_MS)})"
    )
    print(
        f"first start (parse every file):       {cold_ms:8.1f} ms  "
        f"(no parse cache; aim < {LOAD_AIM_MS:.0f} ms: {verdict(cold_ms, LOAD_AIM_MS)})"
    )
    print(f"baseline (safe YAML load, {len(paths)} files):  {yaml_ms:8.1f} ms  ({yaml_reader()})")
    print(f"ratio (parse cache filled):           {load_ms / yaml_ms:8.1f}x")
    print(f"ratio (first start):                  {cold_ms / yaml_ms:8.1f}x")

    rng = random.Random(20261128)
    work = [
        (q, random_answers(q, rng))
        for q in questionnaires
        for _ in range(SCANS // len(questionnaires))
    ]

    tables = {q.id: score_tables(q) for q in questionnaires}

    def sum_all():
        for q, answers in work:
            baseline(tables[q.id], answers)

    scan_us = best_cpu(lambda: score_each(work)) / len(work) * 1e6
    base_us = best_cpu(sum_all) / len(work) * 1e6
    print(
        f"score one scan:        {scan_us:8.1f} us  ({len(work)} random valid scans; "
        f"aim < {SCORE_AIM_US:.0f} us: {verdict(scan_us, SCORE_AIM_US)})"
    )
    print(f"baseline (sum scores): {base_us:8.1f} us")
    print(f"ratio:                 {scan_us / base_us:8.1f}x")
    for q in questionnaires:
        sample = [(qq, a) for qq, a in work if qq is q][:500]
        per = best_cpu(lambda sample=sample: score_each(sample)) / len(sample) * 1e6
        print(
            f"  {q.id:<22} {len(q.questions):>3} questions {len(q.rules):>3} rules: {per:7.1f} us"
            f"  (aim < {SCORE_AIM_US:.0f} us: {verdict(per, SCORE_AIM_US)})"
        )


if __name__ == "__main__":
    main()
