"""Each browser's login of a staff account: listed for the account's managers, ended one by one.

The session cookie holds the account's `session_id` (every browser of the account at once) and
this browser's own id; a browser whose row is gone is logged out at its next request.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, request, session
from sqlalchemy import delete, select

from scan.platform.account_models import BrowserSession
from scan.platform.extensions import db
from scan.platform.models import User, utcnow

COOKIE_KEY = "browser_session"
BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def describe(user_agent: str) -> str:
    """Return a rough, recognisable name for a browser: "Firefox op Windows"."""
    browser = next((name for token, name in BROWSERS if token in user_agent), "Onbekende browser")
    system = next((name for token, name in SYSTEMS if token in user_agent), "")
    return f"{browser} op {system}" if system else browser


def start(user: User) -> None:
    """Record this browser's new login (committed with the caller's transaction)."""
    row = BrowserSession(user_id=user.id, browser=describe(request.user_agent.string or ""))
    db.session.add(row)
    db.session.flush()
    session[COOKIE_KEY] = row.public_id


def current(user: User) -> BrowserSession | None:
    """Return this browser's session row, if it has not been ended."""
    public_id = session.get(COOKIE_KEY)
    if not isinstance(public_id, str):
        return None
    return db.session.scalar(select(BrowserSession).filter_by(public_id=public_id, user_id=user.id))


def open_sessions(user: User) -> list[BrowserSession]:
    """Return the account's browser sessions within the idle timeout and absolute lifetime."""
    config = current_app.config
    now = utcnow()
    idle = dt.timedelta(minutes=config.get("IDLE_LOGOUT_MINUTES", 60))
    lifetime = dt.timedelta(hours=config.get("SESSION_ABSOLUTE_HOURS", 12))
    query = (
        select(BrowserSession)
        .where(
            BrowserSession.user_id == user.id,
            BrowserSession.last_seen_at >= now - idle,
            BrowserSession.created_at >= now - lifetime,
        )
        .order_by(BrowserSession.last_seen_at.desc())
    )
    return list(db.session.scalars(query))


def end(user: User, public_id: str) -> bool:
    """End one browser session of the account; False when it has none with this id."""
    result = db.session.execute(
        delete(BrowserSession).where(
            BrowserSession.user_id == user.id, BrowserSession.public_id == public_id
        )
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def end_all(user: User) -> None:
    """Forget every browser session of the account (its session id changes as well)."""
    db.session.execute(delete(BrowserSession).where(BrowserSession.user_id == user.id))
