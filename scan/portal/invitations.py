"""One-time links by e-mail: an invitation to set a first password, or a password reset.

The link carries 192 random bits (32 characters, the length the logs mask like a scan token);
only its SHA-256 is stored. It works once, for
LINK_VALID_HOURS, and a new link of the same kind replaces the older ones.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select, update

from scan.platform.account_models import AccountLink
from scan.platform.extensions import db
from scan.platform.models import User
from scan.platform.stamps import hash_token, utcnow

LINK_VALID_HOURS = 72
PURPOSES = ("invite", "reset")


def create_link(user: User, purpose: str) -> str:
    """Make a new link for the account (older unused ones of this kind stop); return its token."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    now = utcnow()
    db.session.execute(
        update(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.purpose == purpose,
            AccountLink.used_at.is_(None),
        )
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(24)
    db.session.add(
        AccountLink(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_token(token),
            expires_at=now + dt.timedelta(hours=LINK_VALID_HOURS),
        )
    )
    return token


def find_link(token: str) -> AccountLink | None:
    """Return the unused, unexpired link with this token, else None."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(select(AccountLink).filter_by(token_hash=hash_token(token)))
    if link is None or link.used_at is not None or link.expires_at < utcnow():
        return None
    return link


def use_link(link: AccountLink) -> bool:
    """Mark a link used; False when another request used it first (single use, also at once)."""
    result = db.session.execute(
        update(AccountLink)
        .where(AccountLink.id == link.id, AccountLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def pending_invitation(user: User) -> AccountLink | None:
    """Return the account's open invitation, if any (shown to administrators)."""
    return db.session.scalar(
        select(AccountLink).where(
            AccountLink.user_id == user.id,
            AccountLink.purpose == "invite",
            AccountLink.used_at.is_(None),
            AccountLink.expires_at >= utcnow(),
        )
    )
