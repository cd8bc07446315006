"""The audit log's writer: every room records what was done, by whom, in the caller's transaction.

Reading the log is the portal's (scan/portal/accounts.py `audit_events`).
"""

from __future__ import annotations

import re

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


_SHARE_ID = re.compile(r"[0-9a-f]{32}")


def record_refusal(user: User, action: str, what: str = "", share_public_id: str = "") -> None:
    """Audit a refused open (another organisation's share or document, an admin page); commit.

    `what` names the page (an endpoint), `share_public_id` the share asked for when it has the
    form of one. No token or query string is recorded.
    """
    share = share_public_id if _SHARE_ID.fullmatch(share_public_id or "") else None
    record(user, action, share_public_id=share, detail=what[:200])
    db.session.commit()
