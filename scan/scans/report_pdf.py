"""A submitted scan's PDF report, for the entrepreneur and for an adviser alike.

Both PDF routes get their file here: the same report, the same follow-up extras and the same
cache; an adviser's copy adds the organisation and adviser on the cover and, when asked, the
notes. Every part that changes the file is part of the cache key.
"""

from __future__ import annotations

from typing import Any

from scan.platform.models import PLAN_STATES, Scan
from scan.questionnaire import Questionnaire
from scan.report import render_pdf
from scan.report.progress import Progress
from scan.scans import pdf_cache, store


def scan_pdf(
    scan: Scan,
    q: Questionnaire,
    *,
    reference: str,
    variant: str,
    progress: Progress | None,
    adviser: tuple[str, str] | None = None,
    adviser_notes: list[tuple[str, str, str]] | None = None,
) -> bytes:
    """Return the scan's PDF, from the cache when nothing in it changed."""
    extras = report_extras(scan, progress)
    for_adviser = (pdf_cache.notes_part(adviser_notes), *adviser) if adviser else ()
    key = pdf_cache.cache_key(
        store.snapshot_of(q)[1], scan.submitted_at, reference, *for_adviser, extras_part(extras)
    )
    return pdf_cache.cached_pdf(
        scan,
        variant,
        key,
        lambda: render_pdf(
            store.result_of(scan, q),
            q,
            reference=reference,
            answers=dict(scan.answers or {}),
            adviser_notes=adviser_notes,
            adviser=adviser,
            date=scan.submitted_at.date() if scan.submitted_at else None,
            **extras,
        ),
    )


def report_extras(scan: Scan, progress: Progress | None) -> dict[str, Any]:
    """Return the PDF's follow-up arguments: the plan in words, and the progress if any."""
    plan = {
        s.advice_id: (
            PLAN_STATES.get(s.state, ""),
            s.who or "",
            f"{s.due:%d-%m-%Y}" if s.due else "",
        )
        for s in scan.plan_steps
    }
    return {"plan": plan, "progress": progress}


def extras_part(extras: dict[str, Any]) -> str:
    """Return a cache-key part that changes whenever the PDF's plan or progress changes."""
    return repr((sorted(extras["plan"].items()), extras["progress"]))
