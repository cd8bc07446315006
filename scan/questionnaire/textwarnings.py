"""The B1 readability checks as located validator warnings, at the file line of each text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from scan.questionnaire import readability as rd
from scan.questionnaire.errors import Position, Problem
from scan.questionnaire.located import locate
from scan.questionnaire.model import Questionnaire, Referral

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
# The whole file is judged only when it has this many words: a few lines cannot be scored.
MIN_WORDS_FOR_OVERALL = 150


def parse_path(where: str) -> tuple[Any, ...]:
    """Turn a path like questions[12].help into ('questions', 12, 'help')."""
    return tuple(int(index) if index else name for name, index in _STEP.findall(where))


def readability_warnings(q: Questionnaire, data: Any, file: str) -> list[Problem]:
    """Return a warning for each text written in file (not in its base) that is too hard."""
    texts = list(rd.questionnaire_texts(q))
    where = {path: locate(data, parse_path(path)) for path, _ in texts}
    own = [(path, text) for path, text in texts if _in(where[path], file)]
    problems = rd.check_texts(own) + rd.unexplained_jargon(texts)
    warnings = [_warning(p, where.get(p.where)) for p in problems if _in(where.get(p.where), file)]
    together = rd.overall(own)
    if together.words >= MIN_WORDS_FOR_OVERALL and together.flesch_douma < rd.MIN_OVERALL_SCORE:
        warnings.append(
            Problem(
                f"B1: Flesch-Douma of all texts together is {together.flesch_douma:.0f} "
                f"(at least {rd.MIN_OVERALL_SCORE:g})",
                Position(file, 1, 1),
                hint="use shorter words and sentences throughout",
                severity="warning",
            )
        )
    return sorted(warnings, key=_order)


def registry_warnings(referrals: Iterable[Referral], data: Any) -> list[Problem]:
    """Return a warning for each referral text of a registry file that is too hard."""
    index = {
        item.get("id"): i
        for i, item in enumerate((data or {}).get("referrals") or [])
        if isinstance(item, dict)
    }
    warnings = []
    for problem in rd.check_texts(rd.referral_texts(referrals)):
        ref_id, key = re.match(r"referrals\[(.+)\]\.(\w+)", problem.where).groups()
        path = ("referrals", index.get(ref_id, 0), key)
        warnings.append(_warning(problem, locate(data, path), path_text=f"referrals[{ref_id}]"))
    return warnings


def _in(position: Position | None, file: str) -> bool:
    return position is not None and position.file == file


def _warning(problem: rd.TextProblem, position: Position | None, path_text: str = "") -> Problem:
    return Problem(
        f"B1: {problem.message}",
        position,
        path_text or problem.where,
        severity="warning",
    )


def _order(problem: Problem) -> tuple[int, int]:
    return (problem.position.line, problem.position.column) if problem.position else (0, 0)
