"""Shares: an entrepreneur shares a submitted scan with a PVO; its advisers follow it up.

Every function takes the database session and plain values (no request, no current user) and
commits its own change together with the audit event that records it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scan.platform.models import Note, Organisation, Scan, Share, User, utcnow
from scan.portal import accounts, caseload
from scan.scans import pdf_cache as report_cache
from scan.scans import store

# Bump when the consent text in templates/sharing/consent.html changes in meaning: each share
# records which text the entrepreneur agreed to.
CONSENT_VERSION = "2026-12"  # the consent text names free text (issue 13)
ENTREPRENEUR = "ondernemer"  # the audit log's actor for the anonymous entrepreneur


@dataclass(frozen=True)
class Contact:
    """The contact details an entrepreneur may leave with a share (each optional)."""

    name: str | None = None
    company: str | None = None
    phone: str | None = None
    email: str | None = None


def pvo_organisations(session: Session) -> list[Organisation]:
    """Return the active PVO organisations a scan can be shared with, by name."""
    return list(
        session.scalars(
            select(Organisation)
            .where(Organisation.kind == "pvo", Organisation.active.is_(True))
            .order_by(Organisation.name)
        )
    )


def active_shares(scan: Scan) -> list[Share]:
    """Return the shares of a scan that are not withdrawn."""
    return [s for s in scan.shares if s.withdrawn_at is None]


def _active_share(session: Session, scan_id: int, organisation_id: int) -> Share | None:
    return session.scalar(
        select(Share).where(
            Share.scan_id == scan_id,
            Share.organisation_id == organisation_id,
            Share.withdrawn_at.is_(None),
        )
    )


def create_share(
    session: Session,
    scan: Scan,
    organisation: Organisation,
    contact: Contact = Contact(),
    consent_version: str = CONSENT_VERSION,
) -> tuple[Share, bool]:
    """Share a scan with an organisation; return the share and whether it is new; commit.

    Sharing again while a share is active returns that share: a unique index allows one active
    share per scan and organisation, so a double click that races past the first look-up loses
    at the database and gets the share the other click made.
    """
    scan_id, organisation_id = scan.id, organisation.id
    existing = _active_share(session, scan_id, organisation_id)
    if existing is not None:
        return existing, False
    share = Share(
        scan_id=scan_id,
        organisation_id=organisation_id,
        consent_version=consent_version,
        consented_at=utcnow(),
        contact_name=_clean(contact.name),
        contact_company=_clean(contact.company),
        contact_phone=_clean(contact.phone),
        contact_email=_clean(contact.email),
    )
    session.add(share)
    try:
        session.flush()
        caseload.refresh(share)
        accounts.record(
            ENTREPRENEUR,
            "share_created",
            share.public_id,
            f"met {organisation.name}; contactgegevens: {'ja' if share.has_contact else 'nee'}",
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = _active_share(session, scan_id, organisation_id)
        if existing is None:  # the conflict was about something else
            raise
        return existing, False
    return share, True


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def withdraw_share(session: Session, share: Share) -> None:
    """Stop sharing: advisers lose access; contact details and notes are erased; commit.

    The share's row is locked first, so an adviser's change waits and then finds it withdrawn.
    """
    share = store.lock_row(Share, share.id)
    if share.withdrawn_at is not None:  # withdrawn by another click meanwhile
        return
    share.withdrawn_at = utcnow()
    share.contact_name = share.contact_company = None
    share.contact_phone = share.contact_email = None
    share.notes.clear()
    caseload.forget(share)
    report_cache.forget_share(session, share)  # the adviser's PDFs held the notes
    accounts.record(
        ENTREPRENEUR, "share_withdrawn", share.public_id, f"bij {share.organisation.name}"
    )
    session.commit()


def shared_with(session: Session, public_id: str, organisation_id: int | None) -> Share | None:
    """Return the active share of a submitted scan with this organisation, else None."""
    share = session.scalar(
        select(Share).where(
            Share.public_id == public_id,
            Share.organisation_id == organisation_id,
            Share.withdrawn_at.is_(None),
        )
    )
    if share is None or share.scan.submitted_at is None:
        return None
    return share


def set_status(
    session: Session, share: Share, adviser: User, status: str, visit_date: dt.date | None
) -> bool:
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
    session.commit()
    return changed


def add_note(session: Session, share: Share, adviser: User, text: str) -> Note:
    """Add a note with its time and author to a share; commit."""
    share = caseload.lock_share(share)
    note = Note(author_id=adviser.id, author_email=adviser.email, text=text.strip())
    share.notes.append(note)
    caseload.note_activity(adviser, share, "add_note", f"{len(note.text)} tekens")
    session.commit()
    return note
