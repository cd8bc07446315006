"""The caseload: a PVO's shared scans to find, order, filter, assign and follow up.

Every function works on the app's database session with plain values (no request, no current
user).
Functions that change a case record the change in the audit log and as the case's last
activity, and commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import load_only

from scan.platform import audit
from scan.platform.caseload_models import (
    NEXT_ACTIONS,
    TRIAGE_RED,
    TRIAGE_RED_NEW,
    ShareCase,
    ShareSearchTerm,
)
from scan.platform.extensions import db
from scan.platform.models import Scan, Share, User, utcnow
from scan.platform.pagination import paginate
from scan.scans import store
from scan.scans.cases import normalise, refresh

PER_PAGE = 25
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
SORTS = {
    "prioriteit": "Rode vlag en nieuw eerst",
    "gedeeld": "Datum gedeeld, nieuwste eerst",
    "activiteit": "Laatste activiteit, nieuwste eerst",
    "sector": "Sector",
    "score": "Score, laagste eerst",
}
UNASSIGNED, MINE = "niemand", "mij"


def today() -> dt.date:
    """Return today's date in the Netherlands (the clock tests move)."""
    return dt.datetime.now(DUTCH_TIME).date()


def case_of(share: Share) -> ShareCase:
    """Return the share's case, or an empty one to show (shares made outside create_share)."""
    return share.case or ShareCase()


def note_activity(adviser: User, share: Share, action: str, detail: str) -> None:
    """Record an adviser's change in the audit log and as the case's last activity."""
    case = refresh(share)
    case.last_activity_at, case.last_activity_by, case.last_activity = (
        utcnow(),
        adviser.email,
        action,
    )
    audit.record(adviser, action, share.public_id, detail)


# --- finding and ordering ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseQuery:
    """What an adviser asks of the caseload (None or empty: no limit)."""

    search: str = ""
    status: str | None = None
    sector: str | None = None
    risk_level: str | None = None
    red_flag: bool = False
    assigned: str | None = None  # "mij", "niemand" or a colleague's id
    overdue: bool = False
    since: dt.date | None = None  # shared on or after this day
    until: dt.date | None = None  # shared on or before this day
    sort: str = "prioriteit"


def _conditions(organisation_id: int | None, user_id: int, ask: CaseQuery, day: dt.date):
    """Return the conditions on the cases that the query asks for."""
    where = [ShareCase.organisation_id == organisation_id]
    term = normalise(ask.search)
    if term:
        found = select(ShareSearchTerm.share_id).where(
            ShareSearchTerm.organisation_id == organisation_id,
            ShareSearchTerm.term >= term,
            ShareSearchTerm.term < term + _LAST_CHARACTER,  # the terms starting with it
        )
        where.append(ShareCase.share_id.in_(found))
    if ask.red_flag:
        where.append(ShareCase.triage.in_((TRIAGE_RED_NEW, TRIAGE_RED)))
    if ask.assigned == MINE:
        where.append(ShareCase.assigned_to_id == user_id)
    elif ask.assigned == UNASSIGNED:
        where.append(ShareCase.assigned_to_id.is_(None))
    elif ask.assigned and ask.assigned.isdigit():
        where.append(ShareCase.assigned_to_id == int(ask.assigned))
    if ask.overdue:
        where.append(ShareCase.next_action_on < day)
    if ask.since:
        where.append(ShareCase.shared_at >= dt.datetime.combine(ask.since, dt.time()))
    if ask.until:
        where.append(ShareCase.shared_at < dt.datetime.combine(ask.until, dt.time()) + _DAY)
    if ask.status:
        where.append(ShareCase.status == ask.status)
    if ask.sector:
        where.append(ShareCase.sector == ask.sector)
    if ask.risk_level:
        where.append(ShareCase.risk_level == ask.risk_level)
    return where


_DAY = dt.timedelta(days=1)
_LAST_CHARACTER = "\U0010ffff"


def _order(sort: str) -> tuple:
    newest = (ShareCase.shared_at.desc(), ShareCase.share_id.desc())
    if sort == "gedeeld":
        return newest
    if sort == "activiteit":
        return (func.coalesce(ShareCase.last_activity_at, ShareCase.shared_at).desc(), *newest)
    if sort == "sector":
        return (ShareCase.sector, *newest)
    if sort == "score":
        return (ShareCase.overall.is_(None), ShareCase.overall, *newest)
    due_last = (ShareCase.next_action_on.is_(None), ShareCase.next_action_on)
    return (ShareCase.triage, *due_last, *newest)


def _ids(organisation_id: int | None, user_id: int, ask: CaseQuery, day: dt.date) -> Select:
    """Return the select of the share ids found, in order: from the cases table alone."""
    where = _conditions(organisation_id, user_id, ask, day)
    return select(ShareCase.share_id).where(*where).order_by(*_order(ask.sort))


def _rows(ids) -> Select:
    """Return the select of (Share, Scan, ShareCase) rows for the given share ids, in order."""
    return (
        select(Share, Scan, ShareCase)
        .join(Share, Share.id == ShareCase.share_id)
        .join(Scan, Scan.id == Share.scan_id)
        .where(ShareCase.share_id.in_(ids), Share.withdrawn_at.is_(None))
    )


_SCAN_COLUMNS = load_only(
    Scan.questionnaire_id,
    Scan.risk_level,
    Scan.overall,
    Scan.red_flag,
    Scan.submitted_at,
    Scan.token_hash,
)


def list_cases(
    organisation_id: int | None,
    user_id: int,
    ask: CaseQuery,
    day: dt.date,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Pagination:
    """Return one page of the organisation's active shares as (Share, Scan, ShareCase) rows."""
    # The page's ids first (a narrow query, cheap even deep into the list), then their rows.
    found = paginate(db.session(), _ids(organisation_id, user_id, ask, day), page, per_page)
    if found.items:
        rows = db.session.execute(_rows(found.items).options(_SCAN_COLUMNS)).all()
        position = {share_id: i for i, share_id in enumerate(found.items)}
        found.items = sorted(rows, key=lambda row: position[row[0].id])
    return found


def export_cases(adviser: User, ask: CaseQuery, day: dt.date) -> list:
    """Return every (Share, Scan, ShareCase) row the query finds; audit the export; commit.

    Only the adviser's own organisation's active shares: what the list shows, nothing more.
    """
    ids = _ids(adviser.organisation_id, adviser.id, ask, day).order_by(None)
    count = db.session.scalar(select(func.count()).select_from(ids.subquery()))
    audit.record(adviser, "export_caseload", None, f"{count} scans")
    db.session.commit()  # before reading: a commit would expire the rows read
    query = _rows(ids).options(_SCAN_COLUMNS).order_by(*_order(ask.sort))
    return list(db.session.execute(query).all())


def colleagues(organisation_id: int | None) -> list[User]:
    """Return the active advisers of an organisation, by e-mail address."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == organisation_id, User.role == "adviser")
            .where(User.active.is_(True))
            .order_by(User.email)
        )
    )


def team(organisation_id: int | None) -> dict[int, str]:
    """Return the e-mail address of each active adviser of an organisation, by id."""
    return {u.id: u.email for u in colleagues(organisation_id)}


def adviser_names(organisation_id: int | None) -> dict[int, str]:
    """Return the e-mail address of every adviser of an organisation (also inactive), by id."""
    found = db.session.execute(
        select(User.id, User.email).where(User.organisation_id == organisation_id)
    )
    return {user_id: email for user_id, email in found}


# --- changing a case ----------------------------------------------------------------------------


class CaseError(ValueError):
    """A change the rules do not allow; the message is Dutch, for the adviser."""


class ShareGone(CaseError):
    """The entrepreneur withdrew the share while the adviser was changing it."""


def lock_share(share: Share) -> Share:
    """Lock the share's row and read it afresh, so a withdrawal and a change never cross.

    Raises ShareGone when the entrepreneur withdrew it meanwhile, CaseError when another
    change holds the lock too long.
    """
    try:
        locked = store.lock_row(Share, share.id)
    except store.ScanBusy:
        raise CaseError("Een collega past deze scan net aan. Probeer het zo opnieuw.") from None
    if locked.withdrawn_at is not None:
        raise ShareGone("De ondernemer deelt deze scan niet meer.")
    return locked


def assign(share: Share, adviser: User, assignee_id: int | None) -> bool:
    """Give the case to a colleague of the same PVO (None: to nobody); return if it changed."""
    share = lock_share(share)
    case = refresh(share)
    if assignee_id is not None:
        team = {u.id: u for u in colleagues(share.organisation_id)}
        if assignee_id not in team:
            raise CaseError("Kies een adviseur van uw eigen organisatie.")
        to = team[assignee_id].email
    else:
        to = "niemand"
    if case.assigned_to_id == assignee_id:
        return False
    before = case.assigned_to.email if case.assigned_to else "niemand"
    case.assigned_to_id = assignee_id
    db.session.expire(case, ["assigned_to"])
    note_activity(adviser, share, "assign", f"toegewezen {before} -> {to}")
    db.session.commit()
    return True


def set_next_action(share: Share, adviser: User, action: str | None, on: dt.date | None) -> bool:
    """Plan the next action with its date (both None: nothing planned); return if it changed."""
    if (action is None) != (on is None) or (action is not None and action not in NEXT_ACTIONS):
        raise CaseError("Kies een volgende stap én een datum, of geen van beide.")
    share = lock_share(share)
    case = refresh(share)
    before = (case.next_action, case.next_action_on)
    if before == (action, on):
        return False
    case.next_action, case.next_action_on = action, on
    detail = f"volgende stap {before[0] or '-'} {before[1] or ''} -> {action or '-'} {on or ''}"
    note_activity(adviser, share, "next_action", detail)
    db.session.commit()
    return True


def overdue(case: ShareCase, day: dt.date) -> bool:
    """Return whether the case's next action was planned before the given day."""
    return bool(case.next_action_on and case.next_action_on < day)
