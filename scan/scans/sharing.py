"""Sharing as the entrepreneur does it: share a submitted scan with a PVO, or withdraw it.

Every function takes the database session and plain values (no request, no token) and commits
its own change together with the audit event that records it. What advisers do with a share is
scan/portal/shares.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scan.platform import audit
from scan.platform.extensions import db
from scan.platform.models import Organisation, Scan, Share, ShareChainTag, utcnow
from scan.scans import chain
from scan.scans import pdf_cache as report_cache

# Bump when the consent text in templates/sharing/consent.html changes in meaning: each share
# records which text the entrepreneur agreed to.
CONSENT_VERSION = "2026-12"  # the consent text names free text
ENTREPRENEUR = "ondernemer"  # the audit log's actor for the anonymous entrepreneur


@dataclass(frozen=True)
class Contact:
    """The contact details an entrepreneur may leave with a share (each optional)."""

    name: str | None = None
    company: str | None = None
    phone: str | None = None
    email: str | None = None


def pvo_organisations() -> list[Organisation]:
    """Return the active PVO organisations a scan can be shared with, by name."""
    return list(
        db.session.scalars(
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


# Called with the organisation when a new share is made, in its transaction: rooms above this
# one (the portal's mail notice) add themselves here, as scans may not import them.
SHARE_LISTENERS: list[Callable[[Organisation], None]] = []


def create_share(
    session: Session,
    scan: Scan,
    organisation: Organisation,
    contact: Contact = Contact(),
    consent_version: str = CONSENT_VERSION,
    chain_tag: str | None = None,
) -> tuple[Share, bool]:
    """Share a scan with an organisation; return the share and whether it is new; commit.

    A new share gets its chain tag (scan/scans/chain.py), when given, in the same transaction.

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
        if chain_tag is not None:
            session.add(ShareChainTag(share_id=share.id, tag=chain_tag))
        audit.record(
            ENTREPRENEUR,
            "share_created",
            share.public_id,
            f"met {organisation.name}; contactgegevens: {'ja' if share.has_contact else 'nee'}",
        )
        for listener in SHARE_LISTENERS:  # e.g. the portal's notice to the PVO's advisers
            listener(organisation)
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


def withdraw_share(share: Share) -> None:
    """Stop sharing: advisers lose access; contact details and notes are erased; commit."""
    share.withdrawn_at = utcnow()
    share.contact_name = share.contact_company = None
    share.contact_phone = share.contact_email = None
    share.notes.clear()
    report_cache.forget_share(db.session, share)  # the adviser's PDFs held the notes
    audit.record(ENTREPRENEUR, "share_withdrawn", share.public_id, f"bij {share.organisation.name}")
    db.session.commit()


def share_scan(
    scan: Scan, token: str, organisation: Organisation, contact: Contact
) -> tuple[Share, bool]:
    """Share a scan the entrepreneur holds the link of, tagged for its chain; see create_share."""
    tag = chain.share_tag(chain.chain_secret(scan, token), organisation.id)
    return create_share(db.session, scan, organisation, contact, chain_tag=tag)
