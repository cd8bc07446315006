"""Shares as advisers see them: look one up, set the status, add a note.

Finding, ordering, assigning and planning them is scan/portal/caseload.py.

The entrepreneur's side (share a scan, withdraw a share) is scan/scans/sharing.py.

Every function works on the app's database session with plain values (no request, no current
user) and commits its own change together with the audit event that records it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from scan.platform import audit
from scan.platform.extensions import db
from scan.platform.models import Note, Share, User
from scan.portal import caseload


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
    share = caseload.lock_share(share)
    before = (share.status, share.visit_date)
    share.status, share.visit_date = status, visit_date
    changed = before != (status, visit_date)
    if changed:
        caseload.note_activity(
            adviser,
            share,
            "update_status",
            f"status {before[0]} -> {status}; bezoek {before[1] or '-'} -> {visit_date or '-'}",
        )
    db.session.commit()
    return changed


def add_note(share: Share, adviser: User, text: str) -> Note:
    """Add a note with its time and author to a share; commit."""
    share = caseload.lock_share(share)
    note = Note(author_id=adviser.id, author_email=adviser.email, text=text.strip())
    share.notes.append(note)
    caseload.note_activity(adviser, share, "add_note", f"{len(note.text)} tekens")
    db.session.commit()
    return note


def record_access(share: Share, adviser: User, action: str, detail: str = "") -> None:
    """Put an adviser's look at a share (a view, a download) in the audit log; commit."""
    audit.record(adviser, action, share.public_id, detail)
    db.session.commit()
