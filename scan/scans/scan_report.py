"""The entrepreneur's PDF: its cache key and renderer in one place, for the download and for
the first rendering right after submitting, off the request.

`first_render` starts a background thread with its own app context (and so its own database
session) that renders the PDF into the cache (scan/scans/pdf_cache.py) under the same key the
first download will ask for. When the download comes first, or two workers render at once,
the cache keeps one row and both get a PDF. The link token travels only as an argument in
memory (the follow-up needs it to read the chain); it is never logged or stored.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

from scan.platform.extensions import db
from scan.platform.models import Scan
from scan.questionnaire import Questionnaire
from scan.report import render_pdf
from scan.scans import followup_views as followup
from scan.scans import pdf_cache, repeats, store


def scan_pdf(scan: Scan, q: Questionnaire, token: str) -> bytes:
    """Return the scan's PDF from the cache, rendering and storing it when needed."""
    # The start of the token's hash: it names the scan and cannot be turned back into the link.
    reference = scan.token_hash[:8].upper()
    # The plan, the progress and the comparison change after submission: part of the key.
    extras = followup.report_extras(scan, repeats.progress_of(scan, token))
    key = pdf_cache.cache_key(
        store.snapshot_of(q)[1], scan.submitted_at, reference, followup.extras_part(extras)
    )
    return pdf_cache.cached_pdf(
        scan,
        pdf_cache.SCAN_VARIANT,
        key,
        lambda: render_pdf(
            store.result_of(scan, q),
            q,
            reference=reference,
            answers=scan.answers or {},
            date=scan.submitted_at.date(),
            **extras,
        ),
    )


def first_render(scan: Scan, token: str) -> threading.Thread | None:
    """Render a just-submitted scan's PDF in the background (REPORT_PRERENDER); return the
    thread, or None when switched off."""
    if not current_app.config.get("REPORT_PRERENDER", True):
        return None
    app = current_app._get_current_object()
    thread = threading.Thread(target=_render_in_background, args=(app, scan.id, token), daemon=True)
    thread.start()
    return thread


def _render_in_background(app: Flask, scan_id: int, token: str) -> None:
    with app.app_context():
        try:
            scan = db.session.get(Scan, scan_id)
            if scan is not None and scan.submitted_at is not None:
                scan_pdf(scan, store.questionnaire_of(scan), token)
        except Exception as error:  # the download renders it then; never lose a request
            from scan.platform.logs import describe

            db.session.rollback()
            app.logger.warning("first PDF not rendered ahead: %s", describe(error))
        finally:
            db.session.remove()
