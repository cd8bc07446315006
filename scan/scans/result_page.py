"""What the result page shows of a Result: one context for the scan's result and the trial run.

The entrepreneur's result page (scans/views.py) and the studio's trial run
(studio/preview_views.py) render `scans/_result_body.html` from this same context, so an author
sees exactly the page a member gets.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from scan.presentation import band, counts_sentence, readable
from scan.questionnaire import Questionnaire
from scan.questionnaire.values import PRIORITY_LABELS
from scan.scans.page_words import PAGE_WORDS
from scan.scoring import Result

FIRST_STEPS = 3  # "Doe dit eerst": the most urgent tips at the top of the result


def result_context(q: Questionnaire, result: Result) -> dict[str, Any]:
    """Return the template context of a result page for a scored Result."""
    outcome = readable(result, PAGE_WORDS)
    return {
        "q": q,
        "result": outcome,
        "first": outcome.advice[:FIRST_STEPS],
        "priorities": {key: gettext(label) for key, label in PRIORITY_LABELS.items()},
        "themes": {t.id: t.title for t in q.themes},
        "levels": q.risk_levels,
        "band": lambda value, red_flag: band(q.risk_levels, value, red_flag),
        "counts": counts_sentence(outcome, PAGE_WORDS),
    }
