"""The mails staff receive: invitation, password reset, a scan shared, a security change.

Each is Dutch plain text with a simple HTML version, rendered from templates/mail/ and queued
in the outbox (scan/platform/mail.py). A notice about a shared scan holds only a link to the
portal: never the scan's content or anything about the entrepreneur.
"""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from scan.platform import mail
from scan.platform.extensions import db
from scan.platform.links import external_url
from scan.platform.models import Organisation, User
from scan.scans import sharing

SUBJECTS = {
    "invite": "Uw account voor de Weerbaarheidsscan",
    "reset": "Nieuw wachtwoord instellen voor de Weerbaarheidsscan",
    "scan_shared": "Er is een scan met uw organisatie gedeeld",
    "security_change": "Er is iets veranderd aan de beveiliging van uw account",
}


def _send(user_email: str, kind: str, **context) -> None:
    context = {"subject": SUBJECTS[kind], **context}
    mail.queue(
        user_email,
        SUBJECTS[kind],
        render_template(f"mail/{kind}.txt", **context),
        render_template(f"mail/{kind}.html", **context),
    )


def invitation(user: User, token: str) -> None:
    """Invite a new account to set its password (the link works once, for 72 hours)."""
    link = external_url("invitations.accept", token=token)
    _send(user.email, "invite", user=user, link=link)


def password_reset(user: User, token: str) -> None:
    """Send a link to set a new password (works once, for 72 hours)."""
    link = external_url("invitations.accept", token=token)
    _send(user.email, "reset", user=user, link=link)


def security_change(user: User, what: str) -> None:
    """Tell an account that its password or second factor changed ("what" says which)."""
    _send(user.email, "security_change", user=user, what=what, login=external_url("auth.login"))


def scan_shared(organisation: Organisation) -> None:
    """Tell every active adviser of a PVO that a scan was shared with them: a portal link only."""
    advisers = db.session.scalars(
        select(User).where(
            User.organisation_id == organisation.id,
            User.role == "adviser",
            User.active.is_(True),
        )
    )
    link = external_url("advisers.index")
    for adviser in advisers:
        _send(adviser.email, "scan_shared", link=link)


sharing.SHARE_LISTENERS.append(scan_shared)
