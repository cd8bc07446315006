"""Shares as advisers see them: look one up, list them, set the status, add a note.

The entrepreneur's side (share a scan, withdraw a share) is scan/scans/sharing.py.

Every function works on the app's database session with plain values (no request, no current
user) and commits its own change together with the audit event that records it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import load_only

from scan.platform import audit
from scan.platform.extensions import db
from scan.platform.models import Note, Scan, Share, User
from scan.platform.pagination import paginate

PER_PAGE = 25


@dataclass(frozen=True)
class ShareFilter:
    """What an adviser narrows the list of shared scans to (None: everything)."""

    sector: str | None = None
    risk_level: str | None = None
    status: str | None = None
    since: dt.date | None = None  # shared on or after this day
    until: dt.date | None = None  # shared on or before this day


def shared_with(public_id: str, organisation_id: int | None) -> Share | None:
    """Return the active share of a submitted scan with this organisation, else None."""
    share = db.session.scalar(
        select(Share).where(
            Share.public_id == public_id,
            Share.organisation_id == organisation_id,
            Share.withdrawn_at.is_(None),
        )
    )
    if share is None or share.scan.submitted_at is None:
        return None
    return share


def set_status(share: Share, adviser: User, status: str, visit_date: dt.date | None) -> bool:
    """Set a share's status and planned visit; return whether anything changed; commit."""
    before = (share.status, share.visit_date)
    share.status, share.visit_date = status, visit_date
    changed = before != (status, visit_date)
    if changed:
        audit.record(
            adviser,
            "update_status",
            share.public_id,
            f"status {before[0]} -> {status}; bezoek {before[1] or '-'} -> {visit_date or '-'}",
        )
    db.session.commit()
    return changed


def add_note(share: Share, adviser: User, text: str) -> Note:
    """Add a note with its time and author to a share; commit."""
    note = Note(author_id=adviser.id, author_email=adviser.email, text=text.strip())
    share.notes.append(note)
    audit.record(adviser, "add_note", share.public_id, f"{len(note.text)} tekens")
    db.session.commit()
    return note


def list_shares(
    organisation_id: int | None,
    flt: ShareFilter = ShareFilter(),
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Pagination:
    """Return one page of the organisation's active shares, newest first, as (Share, Scan) rows."""
    # Shares exist only for submitted scans, so without sector or level filters the count and
    # the page come from the shares index alone.
    conditions = [Share.organisation_id == organisation_id, Share.withdrawn_at.is_(None)]
    if flt.status:
        conditions.append(Share.status == flt.status)
    if flt.since:
        conditions.append(Share.created_at >= _midnight(flt.since))
    if flt.until:
        conditions.append(Share.created_at < _midnight(flt.until, days=1))
    ids = select(Share.id)
    if flt.sector or flt.risk_level:
        ids = ids.join(Scan, Scan.id == Share.scan_id)
        if flt.sector:
            conditions.append(Scan.questionnaire_id == flt.sector)
        if flt.risk_level:
            conditions.append(Scan.risk_level == flt.risk_level)
    newest_first = (Share.created_at.desc(), Share.id.desc())
    # Find the page's ids first (index only, cheap even deep into the list), then load them.
    found = paginate(db.session, ids.where(*conditions).order_by(*newest_first), page, per_page)
    if found.items:
        found.items = db.session.execute(
            select(Share, Scan)
            .join(Scan, Scan.id == Share.scan_id)
            .where(Share.id.in_(found.items))
            .options(
                load_only(
                    Scan.questionnaire_id,
                    Scan.risk_level,
                    Scan.overall,
                    Scan.red_flag,
                    Scan.submitted_at,
                )
            )
            .order_by(*newest_first)
        ).all()
    return found


def _midnight(day: dt.date, days: int = 0) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=days), dt.time())


def record_access(share: Share, adviser: User, action: str, detail: str = "") -> None:
    """Put an adviser's look at a share (a view, a download) in the audit log; commit."""
    audit.record(adviser, action, share.public_id, detail)
    db.session.commit()
