"""The PDF of a shared scan as an adviser downloads it: the PVO on the cover, notes if asked."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scan.platform.models import Share, User
from scan.portal import accounts
from scan.scans import followup_views as followup
from scan.scans import pdf_cache as report_cache
from scan.scans import repeats, store


def adviser_pdf(session: Session, share: Share, adviser: User, with_notes: bool) -> bytes:
    """Return the share's report (rendered once per content, then cached); audit it; commit."""
    from scan.report import render_pdf  # the report package renders; it knows nothing of Flask

    scan = share.scan
    q = store.questionnaire_of(scan)
    notes = (
        [(f"{n.created_at:%d-%m-%Y}", n.author_email, n.text) for n in share.notes]
        if with_notes
        else None
    )
    cover = (share.organisation.name, adviser.email)  # on the cover: part of the key
    extras = followup.report_extras(scan, repeats.shared_progress(share)[0])
    key = report_cache.cache_key(
        store.snapshot_of(q)[1],
        scan.submitted_at,
        share.reference,
        report_cache.notes_part(notes),
        *cover,
        followup.extras_part(extras),
    )
    data = report_cache.cached_pdf(
        scan,
        report_cache.share_variant(share.id, with_notes),
        key,
        lambda: render_pdf(
            store.result_of(scan, q),
            q,
            reference=share.reference,
            answers=dict(scan.answers or {}),
            adviser_notes=notes,
            adviser=cover,
            date=scan.submitted_at.date(),
            **extras,
        ),
    )
    detail = "met notities" if with_notes else "zonder notities"
    accounts.record(adviser, "download_pdf", share.public_id, detail)
    session.commit()
    return data
