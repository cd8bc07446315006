"""How long a scan is kept: until its link expires, or longer while it is shared.

A scan with an active share (not withdrawn) is kept past its normal expiry until
SHARED_RETENTION_DAYS after the last activity on it: the entrepreneur changing it (its plan),
the share being made or updated, or an adviser's note. Withdrawing every share returns the
scan to its normal expiry; deleting it always works at once and ends every share.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, has_app_context
from sqlalchemy import and_, exists, or_, select

from scan.platform.models import Note, Scan, Share

DEFAULT_DAYS = 365


def shared_days() -> int:
    """Return SHARED_RETENTION_DAYS of the current app (the default outside one)."""
    if has_app_context():
        return int(current_app.config.get("SHARED_RETENTION_DAYS", DEFAULT_DAYS))
    return DEFAULT_DAYS


def kept_while_shared(now: dt.datetime, days: int | None = None):
    """Return the SQL condition: the scan has an active share with activity since the cutoff."""
    cutoff = now - dt.timedelta(days=shared_days() if days is None else days)
    active = and_(Share.scan_id == Scan.id, Share.withdrawn_at.is_(None))
    recent_note = exists(select(Note.id).where(Note.share_id == Share.id, Note.created_at > cutoff))
    return exists(
        select(Share.id).where(
            active,
            or_(
                Scan.updated_at > cutoff,
                Share.updated_at > cutoff,
                Share.consented_at > cutoff,
                recent_note,
            ),
        )
    )


def expired(now: dt.datetime, days: int | None = None):
    """Return the SQL condition of a scan that is to be deleted now."""
    return and_(Scan.expires_at <= now, ~kept_while_shared(now, days))


def keep_until(scan: Scan, days: int | None = None) -> dt.datetime:
    """Return until when a scan is kept if nothing more happens to it."""
    days = shared_days() if days is None else days
    active = [s for s in scan.shares if s.withdrawn_at is None]
    if not active:
        return scan.expires_at
    moments = [scan.updated_at]
    for share in active:
        moments += [share.updated_at, share.consented_at]
        moments += [n.created_at for n in share.notes]
    return max(scan.expires_at, max(moments) + dt.timedelta(days=days))
