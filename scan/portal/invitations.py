"""One-time links by e-mail: an invitation to set a first password, or a password reset.

The link carries 192 random bits (32 characters, the length the logs mask like a scan token);
only its SHA-256 is stored. It works once, for
LINK_VALID_HOURS, and a new link of the same kind replaces the older ones. Using a link and
asking for a reset are audited and committed here.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select, update

from scan.platform import audit
from scan.platform.account_models import AccountLink
from scan.platform.extensions import db
from scan.platform.models import User
from scan.platform.stamps import hash_token, utcnow
from scan.portal import accounts, notices, twofactor

LINK_VALID_HOURS = 72
PURPOSES = ("invite", "reset")


class LinkGone(accounts.AccountError):
    """The link was used by another request in the meantime."""


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


def holder_of(link: AccountLink) -> User | None:
    """Return the active account a link was made for, else None."""
    user = db.session.get(User, link.user_id)
    return user if user is not None and user.is_active else None


@accounts.rolls_back()
def use_for_password(link: AccountLink, user: User, password: str) -> bool:
    """Set the password the link's holder chose, use the link up, audit it and commit.

    Return True when this logs the account in: an invitation to an account that has no second
    factor yet (an invitation never logs in past a second factor); a reset is mailed about and
    then asks to log in. Raise AccountError (Dutch) for a password that may not be used and
    LinkGone when another request used the link first; nothing is kept then.
    """
    accounts.set_password(user, password)
    if not use_link(link):
        raise LinkGone("link used meanwhile")
    if link.purpose == "invite" and not twofactor.factors_of(user).any:
        audit.record(user, "invitation_used")
        db.session.commit()
        return True
    audit.record(user, "password_reset_used")
    notices.security_change(user, "Uw wachtwoord is opnieuw ingesteld via een link.")
    db.session.commit()
    return False


def send_reset(email: str) -> None:
    """Mail a reset link when an active account has this e-mail (asked by its owner); commit.

    Nothing tells the caller whether the account exists.
    """
    try:
        user = accounts.get_user(email)
    except accounts.AccountError:
        return
    if user.is_active:
        notices.password_reset(user, create_link(user, "reset"))
        audit.record(user, "password_reset_sent", None, "zelf gevraagd")
        db.session.commit()
