"""Accounts and organisations: password hashing, look-ups, and the audit trail."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import delete, func, select

from scan.platform.account_models import BrowserSession
from scan.platform.extensions import db
from scan.platform.models import (
    ORGANISATION_KINDS,
    ROLES,
    AuditEvent,
    Organisation,
    Share,
    User,
    new_public_id,
)
from scan.platform.pagination import paginate
from scan.portal import passwords
from scan.questionnaire.errors import ScanError

MIN_PASSWORD_LENGTH = passwords.MIN_PASSWORD_LENGTH
AUDIT_PER_PAGE = 50
_hasher = PasswordHasher()


class AccountError(ScanError):
    """A request about accounts that cannot be done (the message says why)."""


P = ParamSpec("P")
R = TypeVar("R")


def rolls_back(
    *errors: type[Exception],
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Make a service undo its unsaved changes when it fails with one of these errors
    (AccountError when none are named), before the error reaches the caller."""
    caught = errors or (AccountError,)

    def decorator(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return service(*args, **kwargs)
            except caught:
                db.session.rollback()
                raise

        return wrapped

    return decorator


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return _hasher.hash(password)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("not-a-real-password-just-for-timing")


def normalise_email(email: str) -> str:
    """Return an e-mail address trimmed and in lower case, as stored."""
    return (email or "").strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this e-mail and password, else None.

    Takes about as long for unknown accounts as for known ones (a dummy hash is checked), so
    the answer time does not tell which accounts exist. Rehashes when argon2 parameters change.
    """
    user = db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))
    stored = user.password_hash if user else _dummy_hash()
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def check_password_strength(password: str, email: str = "") -> None:
    """Raise AccountError (with a Dutch message) when a password may not be used."""
    try:
        passwords.check_password(password, email)
    except passwords.WeakPassword as error:
        raise AccountError(str(error)) from None


def slug(name: str) -> str:
    """Return the address form of an organisation's name: 'Recron & Co' -> 'recron-co'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "organisatie"


def branch_by_slug(value: str) -> Organisation | None:
    """Return the active branch organisation whose name has this address form."""
    query = db.select(Organisation).filter_by(kind="branche", active=True).order_by(Organisation.id)
    return next((o for o in db.session.scalars(query) if slug(o.name) == value), None)


def branch_organisations() -> list[Organisation]:
    """Return the active branch organisations by name."""
    query = db.select(Organisation).filter_by(kind="branche", active=True)
    return list(db.session.scalars(query.order_by(Organisation.name)))


def get_organisation(name: str) -> Organisation | None:
    """Return the organisation with exactly this name, if any."""
    return db.session.scalar(db.select(Organisation).filter_by(name=name.strip()))


def create_organisation(name: str, kind: str = "pvo") -> Organisation:
    """Create an organisation; raise AccountError if the name is taken or empty."""
    name = name.strip()
    if not name:
        raise AccountError("name is empty")
    if kind not in ORGANISATION_KINDS:
        raise AccountError(f"kind must be one of {', '.join(ORGANISATION_KINDS)}")
    if get_organisation(name):
        raise AccountError(f"organisation '{name}' exists already")
    organisation = Organisation(name=name, kind=kind)
    db.session.add(organisation)
    return organisation


def create_user(
    email: str, password: str | None, role: str, organisation: Organisation | None
) -> User:
    """Create an account; raise AccountError for a bad role, e-mail, password or organisation.

    Without a password the account gets an unusable one: its owner sets their own through an
    invitation link (scan/portal/invitations.py).
    """
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"'{email}' is not an e-mail address")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if role in ("adviser", "branch_admin") and organisation is None:
        raise AccountError(f"a {role} needs an organisation (--organisation NAME)")
    if role == "admin" and organisation is not None:
        raise AccountError("an admin belongs to no organisation")
    wanted = {"adviser": "pvo", "branch_admin": "branche"}.get(role)
    if organisation is not None and organisation.kind != wanted:
        raise AccountError(
            f"a {role} belongs to a {wanted} organisation, "
            f"'{organisation.name}' is a {organisation.kind} organisation"
        )
    if db.session.scalar(db.select(User).filter_by(email=email)):
        raise AccountError(f"an account for {email} exists already")
    if password is not None:
        check_password_strength(password, email)
    unusable = password is None
    user = User(
        email=email,
        password_hash=hash_password(new_public_id() if unusable else password),
        role=role,
        organisation=organisation,
    )
    db.session.add(user)
    return user


def get_user(email: str) -> User:
    """Return the account with this e-mail; raise AccountError when there is none."""
    user = db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))
    if user is None:
        raise AccountError(f"no account for {normalise_email(email)}")
    return user


def set_password(user: User, password: str) -> None:
    """Give a user a new password and end all their sessions."""
    check_password_strength(password, user.email)
    user.password_hash = hash_password(password)
    end_sessions(user)


def deactivate(user: User) -> None:
    """Block an account from logging in and end all its sessions."""
    user.active = False
    end_sessions(user)


def reactivate(user: User) -> None:
    """Let a deactivated account log in again (its organisation must be active too)."""
    user.active = True


def find_user(public_id: str) -> User | None:
    """Return the account with this public id, if any."""
    return db.session.scalar(db.select(User).filter_by(public_id=public_id))


def end_sessions(user: User) -> None:
    """End every session of a user, and every copy of its cookie, on the server."""
    user.session_id = new_public_id()
    user.last_seen_at = None
    if user.id is not None:
        db.session.execute(delete(BrowserSession).where(BrowserSession.user_id == user.id))


def audit_events(
    action: str | None = None, reference: str = "", page: int = 1, per_page: int = AUDIT_PER_PAGE
) -> Pagination:
    """Return one page of the audit log, newest first, for one action and reference prefix."""
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if reference:
        query = query.where(AuditEvent.share_public_id.startswith(reference[:32]))
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return paginate(db.session, query, page, per_page)


@dataclass(frozen=True)
class AccountsOverview:
    """What the administrators' accounts page lists."""

    organisations: list[Organisation]
    users: list[User]
    active_shares: dict[int, int]  # per organisation id: how many shares are active


def accounts_overview() -> AccountsOverview:
    """Return every organisation and account by name, with each organisation's active shares."""
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    users = db.session.scalars(select(User).order_by(User.email)).all()
    counts = db.session.execute(
        select(Share.organisation_id, func.count())
        .where(Share.withdrawn_at.is_(None))
        .group_by(Share.organisation_id)
    ).all()
    return AccountsOverview(list(organisations), list(users), {k: n for k, n in counts})
