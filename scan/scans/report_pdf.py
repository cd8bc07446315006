"""A submitted scan's PDF report, for the entrepreneur and for an adviser alike.

Both PDF routes get their file here: the same report, the same follow-up extras and the same
cache; an adviser's copy adds the organisation and adviser on the cover and, when asked, the
notes. Every part that changes the file is part of the cache key.

The first PDF is quick too: right after submitting, `first_render` starts a background thread
that has the entrepreneur's PDF rendered into the cache under the key the first download will
ask for: by gunicorn's dirty worker at a lower priority when one runs (report_worker), else in
the thread itself with its own app context (and so its own database session). A download that
comes while that rendering may still run (up to REPORT_PRERENDER_WAIT seconds after submitting)
waits for it rather than render the same file twice: woken at once in the process that renders,
else looking in the cache every POLL_SECONDS. When the rendering failed or takes longer, the
download renders; two renderings at once keep one row and both get a PDF. The link token
travels only as an argument in memory (the follow-up reads the chain with it); it is never
logged or stored.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from gunicorn.dirty import DirtyError

from scan.platform import dirty_workers
from scan.platform.extensions import db
from scan.platform.models import PLAN_STATES, Scan
from scan.platform.stamps import utcnow
from scan.questionnaire import Questionnaire
from scan.report import render_pdf
from scan.report.progress import Progress
from scan.report.visit import VisitReport
from scan.scans import comparison, pdf_cache, repeats, store, visits


def scan_pdf(
    scan: Scan,
    q: Questionnaire,
    *,
    reference: str,
    variant: str,
    progress: Progress | None,
    adviser: tuple[str, str] | None = None,
    adviser_notes: list[tuple[str, str, str]] | None = None,
    language: str = "nl",
    before_render: Callable[[], None] | None = None,
) -> bytes:
    """Return the scan's PDF, from the cache when nothing in it changed.

    language: of the fixed texts (q is passed in the same language); advisers read Dutch.
    before_render: runs when the cache has no copy, before rendering one (see cached_pdf)."""
    extras = report_extras(scan, progress)
    for_adviser = (pdf_cache.notes_part(adviser_notes), *adviser) if adviser else ()
    key = pdf_cache.cache_key(
        store.snapshot_of(q)[1],
        scan.submitted_at,
        reference,
        language,
        *for_adviser,
        extras_part(extras),
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
            language=language,
            **extras,
        ),
        before_render,
    )


POLL_SECONDS = 0.1
# gunicorn's dirty app that renders first PDFs (gunicorn.conf.py), and how long a request
# worker's thread waits for its answer (seconds); later, the download renders the PDF.
RENDERER = "scan.scans.report_worker:ReportRenderer"
RENDERER_TIMEOUT = 60.0
FAILED_KEPT = 1000
# Scans whose first PDF this process is rendering, each with the event its download waits on.
_rendering: dict[int, threading.Event] = {}
_rendering_lock = threading.Lock()


def entrepreneur_pdf(scan: Scan, q: Questionnaire, token: str, *, ahead: bool = False) -> bytes:
    """Return the entrepreneur's own PDF of a submitted scan (the link token reads the chain);
    a download (not `ahead`) that finds no copy first waits for a rendering ahead that may
    still run."""
    return scan_pdf(
        scan,
        q,
        reference=store.report_reference(scan),  # the reference advisers search by
        variant=pdf_cache.SCAN_VARIANT,
        progress=repeats.progress_of(scan, token),
        language=scan.language,
        before_render=None if ahead else lambda: _await_first_render(scan),
    )


def first_render(scan: Scan, token: str) -> threading.Thread | None:
    """Render a just-submitted scan's PDF in the background (REPORT_PRERENDER); return the
    thread, or None when switched off."""
    if not current_app.config.get("REPORT_PRERENDER", True):
        return None
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the real app
    with _rendering_lock:
        _rendering.setdefault(scan.id, threading.Event())
    thread = threading.Thread(target=_render_in_background, args=(app, scan.id, token), daemon=True)
    thread.start()
    return thread


def _await_first_render(scan: Scan) -> None:
    """Wait while the first rendering of a just-submitted scan's PDF may still run, until the
    cache holds a copy; give up REPORT_PRERENDER_WAIT seconds after submitting, or at once
    when this process's rendering ended without storing one (it failed and was logged)."""
    config = current_app.config
    if not config.get("REPORT_PRERENDER", True) or scan.submitted_at is None:
        return
    deadline = scan.submitted_at + dt.timedelta(seconds=config["REPORT_PRERENDER_WAIT"])
    scan_id = scan.id
    if utcnow() >= deadline or pdf_cache.is_stored(scan_id, pdf_cache.SCAN_VARIANT):
        return
    rendering = _rendering.get(scan_id)  # this process renders it: wait for that one only
    while utcnow() < deadline and not (rendering is not None and rendering.is_set()):
        db.session.rollback()  # end the read, so that the next look sees the stored copy
        if rendering is not None:
            rendering.wait(POLL_SECONDS)
        else:
            time.sleep(POLL_SECONDS)
        if pdf_cache.is_stored(scan_id, pdf_cache.SCAN_VARIANT):
            return


def _render_in_background(app: Flask, scan_id: int, token: str) -> None:
    """Have the dirty worker render the PDF (report_worker), or render it here without one."""
    stored = False
    try:
        stored = bool(
            dirty_workers.execute(RENDERER, "render", scan_id, token, timeout=RENDERER_TIMEOUT)
        )
    except dirty_workers.NotReached:
        stored = render_first_pdf(app, scan_id, token)
    except DirtyError as error:  # reached but failed or slow: the download renders it then
        app.logger.warning("first PDF not rendered ahead: %s", type(error).__name__)
    finally:
        _rendered(scan_id, stored)


def render_first_pdf(app: Flask, scan_id: int, token: str) -> bool:
    """Render a submitted scan's first PDF into the cache in an app context of its own; return
    whether one was stored. A failure is logged, never raised: the download renders it then."""
    with app.app_context():
        try:
            scan = db.session.get(Scan, scan_id)
            if scan is None or scan.submitted_at is None:
                return False
            entrepreneur_pdf(scan, store.reader_questionnaire(scan), token, ahead=True)
            return True
        except Exception as error:  # the download renders it then; never lose a request
            from scan.platform.logs import describe

            db.session.rollback()
            app.logger.warning("first PDF not rendered ahead: %s", describe(error))
            return False
        finally:
            db.session.remove()


def _rendered(scan_id: int, stored: bool) -> None:
    """Wake the downloads waiting for this rendering. A failed one stays known (set) in this
    process, so that a download coming later renders at once instead of waiting for it."""
    with _rendering_lock:
        rendering = _rendering.pop(scan_id, None)
        if not stored and rendering is not None:
            if len(_rendering) >= FAILED_KEPT:
                _rendering.clear()  # only the set events of old failures: nothing waits on them
            _rendering[scan_id] = rendering
    if rendering is not None:
        rendering.set()


def report_extras(scan: Scan, progress: Progress | None) -> dict[str, Any]:
    """Return the PDF's follow-up arguments: the plan in words, the progress if any, and the
    comparison with the sector."""
    plan = {
        s.advice_id: (
            PLAN_STATES.get(s.state, ""),
            s.who or "",
            f"{s.due:%d-%m-%Y}" if s.due else "",
        )
        for s in scan.plan_steps
    }
    places = [(p.title, p.words) for p in comparison.comparison_for(scan)]
    return {"plan": plan, "progress": progress, "comparison": places, "visit": visit_report(scan)}


def visit_report(scan: Scan) -> VisitReport | None:
    """Return what the scan's visit adds to the PDF (observations, agreed actions), if any."""
    notes = visits.notes_of(scan)
    if notes is None:
        return None
    return VisitReport(
        organisation=notes.organisation,
        observations=notes.observations,
        actions=[
            (a.theme_id, a.text, a.who, f"{a.due:%d-%m-%Y}" if a.due else "") for a in notes.actions
        ],
    )


def extras_part(extras: dict[str, Any]) -> str:
    """Return a cache-key part that changes whenever the PDF's plan, progress, comparison
    with the sector or visit notes change."""
    return repr(
        (
            sorted(extras["plan"].items()),
            extras["progress"],
            extras["comparison"],
            extras["visit"],
        )
    )
