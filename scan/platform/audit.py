"""The audit log's writer: every room records what was done, by whom, in the caller's transaction.

Reading the log is the portal's (scan/portal/accounts.py `audit_events`).
"""

from __future__ import annotations

from scan.platform.extensions import db
from scan.platform.models import AuditEvent, User


def record(actor: User | str, action: str, share_public_id: str | None = None, detail: str = ""):
    """Add an audit event (committed with the caller's transaction)."""
    event = AuditEvent(
        user_id=actor.id if isinstance(actor, User) else None,
        actor=actor.email if isinstance(actor, User) else actor,
        action=action,
        share_public_id=share_public_id,
        detail=detail[:500],
    )
    db.session.add(event)
    return event
