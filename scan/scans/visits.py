"""Visits as the scan side keeps them: start, observations and agreed actions, the hand-over.

A PVO adviser starts a scan during a visit (or types in a paper scan afterwards). The scan is
the entrepreneur's like any other: the adviser's browser holds it only while the visit is open
(scan/scans/tokens.py asks `is_open_for`), and at the hand-over the entrepreneur chooses whether
the organisation may keep seeing it. Yes makes the ordinary share (scan/scans/sharing.py); no
ends the visit and with it the adviser's access. Each function commits its own change with
the audit event that records it; no IP address or location is recorded anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from scan.platform import audit
from scan.platform.extensions import db
from scan.platform.locking import lock_row
from scan.platform.models import Organisation, Scan, Share, User, utcnow
from scan.platform.visit_models import VISIT_KINDS, Visit, VisitNote
from scan.questionnaire import Questionnaire
from scan.scans import actionplan, sharing, store

OBSERVATION_MAX = 2000
ACTION_MAX = 300
WHO_MAX = 100


class VisitError(ValueError):
    """A posted observation or action that cannot be stored; the message is Dutch, for the page."""


def start_visit(
    q: Questionnaire, adviser: User, kind: str, ttl_days: int
) -> tuple[Visit, Scan, str]:
    """Start a scan as a visit of the adviser's organisation; return visit, scan, token; commit."""
    if kind not in VISIT_KINDS:
        raise VisitError("Kies: bezoek of papieren scan invoeren.")
    if adviser.organisation_id is None:
        raise VisitError("Uw account hoort niet bij een organisatie.")
    scan, token = store.new_scan(q, ttl_days)
    visit = Visit(
        scan=scan,
        organisation_id=adviser.organisation_id,
        started_by_id=adviser.id,
        started_by=adviser.email,
        kind=kind,
    )
    db.session.add(visit)
    db.session.flush()
    audit.record(adviser, "visit_started", detail=f"bezoek {visit.reference}; {q.id}; {kind}")
    db.session.commit()
    return visit, scan, token


def open_visits_of(adviser: User) -> list[Visit]:
    """Return the visits this adviser started for their organisation that still go on."""
    return list(
        db.session.scalars(
            select(Visit)
            .where(
                Visit.started_by_id == adviser.id,
                Visit.organisation_id == adviser.organisation_id,
                Visit.ended_at.is_(None),
            )
            .order_by(Visit.started_at.desc())
        )
    )


def resume_visit(public_id: str, adviser: User) -> tuple[Visit, Scan, str]:
    """Take up an open visit this adviser started, after their login ended; commit.

    The scan's link was only in the session that ended (it is never stored), so the scan gets
    a new one for this browser: the answers and notes stay; a handout printed before stops
    working. Raises VisitError when this adviser has no such open visit.
    """
    found = next((v for v in open_visits_of(adviser) if v.public_id == public_id), None)
    if found is None:
        raise VisitError("Dit bezoek is al afgerond, of u bent niet degene die het startte.")
    visit = lock_row(Visit, found.id)
    if not visit.is_open:  # handed over a moment ago
        db.session.rollback()
        raise VisitError("Dit bezoek is al afgerond. De scan is nu van de ondernemer.")
    audit.record(adviser, "visit_resumed", detail=f"bezoek {visit.reference}")
    token = store.new_link_for(visit.scan)  # commits, with the audit entry
    return visit, visit.scan, token


def visit_of(scan: Scan | None) -> Visit | None:
    """Return the visit a scan was started in, or None."""
    if scan is None:
        return None
    return db.session.scalar(select(Visit).where(Visit.scan_id == scan.id))


def is_open_for(scan: Scan, public_id: str) -> bool:
    """Tell whether this scan's visit with this id still goes on (the adviser's browser)."""
    visit = visit_of(scan)
    return visit is not None and visit.public_id == public_id and visit.is_open


def organisation_visit(public_id: str, organisation_id: int | None) -> Visit | None:
    """Return a visit of this organisation by its public id, or None (other organisations too)."""
    if organisation_id is None:
        return None
    return db.session.scalar(
        select(Visit).where(Visit.public_id == public_id, Visit.organisation_id == organisation_id)
    )


def _clean(text: str | None, limit: int, what: str) -> str:
    text = " ".join((text or "").split()) if what != "observation" else (text or "").strip()
    if len(text) > limit:
        raise VisitError(f"Schrijf hier hoogstens {limit} tekens.")
    return text


def _due(text: str | None, today: dt.date) -> dt.date | None:
    """Return the agreed date: from yesterday (a visit late at night) to ten years ahead."""
    last = dt.date(today.year + actionplan.YEARS_AHEAD, 12, 31)
    try:
        return actionplan.read_due(text or "", today - dt.timedelta(days=1), last)
    except actionplan.PlanError as error:
        raise VisitError(str(error)) from None


@dataclass(frozen=True)
class ThemePost:
    """What the visit part of a theme page posts: the observation and perhaps a new action."""

    theme_id: str
    observation: str
    action: str = ""
    who: str = ""
    due: str = ""


def save_theme_notes(visit: Visit, post: ThemePost) -> None:
    """Store the theme's observation (empty removes it) and add the action if any; commit.

    Raises VisitError, storing nothing, for text that is too long, an action without words
    but with who or when, or a date that is no date or far off; and when the visit has ended.
    Under the visit's lock: a double click finds the observation the first click stored.
    """
    visit = lock_row(Visit, visit.id)
    try:
        _save_locked(visit, post)
    finally:
        db.session.rollback()  # releases the lock when nothing was committed


def _save_locked(visit: Visit, post: ThemePost) -> None:
    if not visit.is_open:
        raise VisitError("Het bezoek is afgelopen. De scan is nu van de ondernemer.")
    observation = _clean(post.observation, OBSERVATION_MAX, "observation")
    action = _clean(post.action, ACTION_MAX, "action")
    who = _clean(post.who, WHO_MAX, "who")
    due = _due(post.due, utcnow().date())
    if not action and (who or due):
        raise VisitError("Schrijf ook op wat er is afgesproken.")
    current = next(
        (n for n in visit.notes if n.kind == "observation" and n.theme_id == post.theme_id), None
    )
    if current is not None and not observation:
        visit.notes.remove(current)
    elif current is not None:
        current.text = observation
    elif observation:
        visit.notes.append(VisitNote(theme_id=post.theme_id, kind="observation", text=observation))
    if action:
        visit.notes.append(
            VisitNote(theme_id=post.theme_id, kind="action", text=action, who=who or None, due=due)
        )
    db.session.commit()


def remove_action(visit: Visit, note_id: int) -> bool:
    """Remove an agreed action of an open visit; return whether there was one; commit."""
    note = next((n for n in visit.notes if n.id == note_id and n.kind == "action"), None)
    if note is None or not visit.is_open:
        return False
    visit.notes.remove(note)
    db.session.commit()
    return True


def share_and_end(visit: Visit, token: str, contact: sharing.Contact) -> Share:
    """The entrepreneur agreed: share the scan with the visit's organisation, end the visit.

    The share is the ordinary one (same consent version, same withdrawal); return it. The visit
    is locked and ended in the share's own transaction, so a "nee" clicked at the same moment
    either comes first (then this raises VisitError and shares nothing) or finds it ended.
    """
    visit = lock_row(Visit, visit.id)
    if visit.ended_at is not None:
        db.session.rollback()
        raise VisitError("Het bezoek is al afgerond. Er is niets veranderd.")
    visit.ended_at, visit.consent = utcnow(), True
    event = audit.record(
        sharing.ENTREPRENEUR, "visit_ended", detail=f"bezoek {visit.reference}; toestemming: ja"
    )
    share, _ = sharing.share_scan(visit.scan, token, visit.organisation, contact)  # commits
    # A share made a moment before by another route rolled this transaction back: the visit
    # reads afresh as still open, so end it on its own.
    if visit.ended_at is None:
        _end(visit, True, f"bezoek {visit.reference}; toestemming: ja", share.public_id)
    else:
        event.share_public_id = share.public_id
        db.session.commit()
    return share


def end_without_sharing(visit: Visit) -> None:
    """The entrepreneur did not agree (or, for a paper scan, was not there to be asked): end
    the visit; the adviser's browser no longer opens the scan."""
    if visit.kind == "papier":  # typed in afterwards: the entrepreneur was not asked here
        _end(visit, False, f"bezoek {visit.reference}; papier; toestemming: niet gevraagd")
    else:
        _end(visit, False, f"bezoek {visit.reference}; toestemming: nee")


def _end(visit: Visit, consent: bool, detail: str, share_public_id: str | None = None) -> None:
    """Record the entrepreneur's choice once (a second click finds the visit ended); commit."""
    visit = lock_row(Visit, visit.id)
    if visit.ended_at is None:
        visit.ended_at = utcnow()
        visit.consent = consent
        audit.record(sharing.ENTREPRENEUR, "visit_ended", share_public_id, detail)
    db.session.commit()


# --- what the result page and the PDF show -----------------------------------------------


@dataclass(frozen=True)
class AgreedAction:
    """An action agreed on during the visit, in words."""

    theme_id: str
    text: str
    who: str
    due: dt.date | None


@dataclass(frozen=True)
class VisitNotes:
    """A visit's observations by theme and its agreed actions, with the organisation's name."""

    organisation: str
    kind: str
    observations: dict[str, str]
    actions: Sequence[AgreedAction]


def notes_of(scan: Scan | None) -> VisitNotes | None:
    """Return what was noted in the scan's visit, or None when it was no visit."""
    visit = visit_of(scan)
    if visit is None:
        return None
    return VisitNotes(
        organisation=visit.organisation.name,
        kind=visit.kind,
        observations={n.theme_id: n.text for n in visit.notes if n.kind == "observation"},
        actions=[
            AgreedAction(n.theme_id, n.text, n.who or "", n.due)
            for n in visit.notes
            if n.kind == "action"
        ],
    )


def organisation_of(scan: Scan | None) -> Organisation | None:
    """Return the organisation that helped fill in this scan, for its privacy texts."""
    visit = visit_of(scan)
    return visit.organisation if visit is not None else None


def share_of(visit: Visit) -> Share | None:
    """Return the active share of the visit's scan with the visit's organisation, or None."""
    return db.session.scalar(
        select(Share).where(
            Share.scan_id == visit.scan_id,
            Share.organisation_id == visit.organisation_id,
            Share.withdrawn_at.is_(None),
        )
    )
