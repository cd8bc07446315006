"""Submitted scans' PDFs, rendered once and served from the database afterwards.

A submitted scan never changes, so its PDF depends only on what the key holds: the report
version (bumped with the layout), the pinned questionnaire, the reference on the page and, for
an adviser's copy, the notes. Rows go with their scan; the table keeps at most
REPORT_CACHE_LIMIT rows, the oldest go first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scan.platform.extensions import db
from scan.platform.models import ReportPdf, Scan, Share, utcnow
from scan.report import REPORT_VERSION


def cache_key(*parts: object) -> str:
    """Return the SHA-256 of the report version and the given parts."""
    text = "\x1f".join(str(part) for part in (REPORT_VERSION, *parts))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def notes_part(notes: Iterable[tuple[str, str, str]] | None) -> str:
    """Return a key part that changes whenever the notes change."""
    return cache_key(*(value for note in notes or () for value in note))


SCAN_VARIANT = "scan"


def share_variant(share_id: int, with_notes: bool) -> str:
    """Return the variant name of an adviser's copy of a shared scan."""
    return f"share-{share_id}" + ("-notes" if with_notes else "")


def forget_share(session: Session, share: Share) -> None:
    """Delete the stored adviser copies of a share (sharing ended: its notes are gone)."""
    variants = [share_variant(share.id, False), share_variant(share.id, True)]
    session.execute(
        delete(ReportPdf).where(ReportPdf.scan_id == share.scan_id, ReportPdf.variant.in_(variants))
    )


def is_stored(scan_id: int, variant: str) -> bool:
    """Tell whether a PDF of this scan and variant is stored (whatever its key)."""
    query = select(ReportPdf.id).where(ReportPdf.scan_id == scan_id, ReportPdf.variant == variant)
    return db.session.execute(query).first() is not None


def stored_pdf(scan_id: int, variant: str, key: str) -> bytes | None:
    """Return the stored PDF of this scan and variant when its key matches, else None."""
    return db.session.scalar(
        select(ReportPdf.pdf).where(
            ReportPdf.scan_id == scan_id, ReportPdf.variant == variant, ReportPdf.key == key
        )
    )


def cached_pdf(
    scan: Scan,
    variant: str,
    key: str,
    render: Callable[[], bytes],
    before_render: Callable[[], None] | None = None,
) -> bytes:
    """Return the stored PDF of this scan and variant when its key matches, else render it.

    A stored PDF costs one query. `before_render` runs when none is stored (a download waits
    there for the rendering ahead), and then the cache is looked at once more."""
    pdf = stored_pdf(scan.id, variant, key)
    if pdf is not None:
        return pdf
    if before_render is not None:
        before_render()
        pdf = stored_pdf(scan.id, variant, key)
        if pdf is not None:
            return pdf
    found = db.session.execute(
        select(ReportPdf.id, ReportPdf.key).where(
            ReportPdf.scan_id == scan.id, ReportPdf.variant == variant
        )
    ).first()
    if found is not None and found.key == key:
        return db.session.scalar(select(ReportPdf.pdf).where(ReportPdf.id == found.id))
    pdf = render()
    if found is not None:
        row = db.session.get(ReportPdf, found.id)
        row.key, row.pdf, row.created_at = key, pdf, utcnow()
    else:
        try:
            with db.session.begin_nested():
                db.session.add(ReportPdf(scan_id=scan.id, variant=variant, key=key, pdf=pdf))
        except IntegrityError:  # another request stored it at the same moment: that one stays
            pass
        _trim(current_app.config["REPORT_CACHE_LIMIT"])
    db.session.commit()
    return pdf


def _trim(limit: int) -> None:
    """Delete the oldest rows beyond the limit."""
    excess = db.session.scalar(select(func.count()).select_from(ReportPdf)) - limit
    if excess > 0:
        oldest = select(ReportPdf.id).order_by(ReportPdf.created_at, ReportPdf.id).limit(excess)
        db.session.execute(
            delete(ReportPdf).where(ReportPdf.id.in_(list(db.session.scalars(oldest))))
        )
