"""A staff login from password to session: the second step, the absolute lifetime, freshness.

After the password the browser holds a *pending* login (five minutes) until the second factor
is given; only then is the account logged in. The session cookie (signed) records when the
login began (`login_at`: the absolute lifetime, SESSION_ABSOLUTE_HOURS) and when the user last
gave their password and second factor (`auth_at`: publishing, exporting and account changes
need it to be at most FRESH_LOGIN_MINUTES old). A copied cookie carries the same times, so
copying never extends a session. An account without a second factor where one is required is
logged in only to set one up (`setup_required`).
"""

from __future__ import annotations

import datetime as dt
import functools
import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from scan.platform import audit
from scan.platform.extensions import db
from scan.platform.models import User, utcnow
from scan.portal import accounts, browser_sessions, twofactor

PENDING = "pending_login"
PENDING_SECONDS = 300
SETUP_REQUIRED = "setup_required"
# Pages an account that must first set up a second factor may still open.
SETUP_ENDPOINTS = frozenset({"auth.logout", "static", "twofactor.confirm", "twofactor.second_step"})
SETUP_BLUEPRINTS = frozenset({"security"})
UNKNOWN_ACCOUNT = "onbekend account"  # never what was typed: it may be a password


def start_pending(user: User, next_url: str | None, purpose: str = "login") -> None:
    """Remember that this browser gave the account's password; the second factor comes next."""
    if purpose == "login":
        session.clear()  # nothing from before the login carries over
    session[PENDING] = {
        "user": user.public_id,
        "at": int(time.time()),
        "next": next_url,
        "purpose": purpose,
    }


def pending() -> tuple[User, dict] | None:
    """Return the account waiting for its second factor in this browser, and the details."""
    data = session.get(PENDING)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = accounts.find_user(str(data.get("user", "")))
    if user is None or not user.is_active:
        return None
    if data.get("purpose") == "confirm" and current_user.get_id() != user.get_id():
        return None
    return user, data


def pending_key() -> str:
    """Return the rate-limit key of the second step: the pending account."""
    data = session.get(PENDING)
    return f"second-factor|{data.get('user') if isinstance(data, dict) else 'none'}"


def complete(user: User, factor: str, next_url: str | None, purpose: str = "login") -> str:
    """Log the account in (or confirm it is still them) after all factors; return where to go."""
    now = int(time.time())
    if purpose == "confirm":
        session.pop(PENDING, None)
        session["auth_at"] = now
        audit.record(user, "login_confirmed", None, factor)
        db.session.commit()
        return next_url or home_for(user)
    session.clear()
    login_user(user)
    browser_sessions.start(user)
    session["login_at"] = session["auth_at"] = now
    user.last_login_at = user.last_seen_at = utcnow()
    audit.record(user, "login", None, factor)
    needs_setup = twofactor.is_required(user) and not twofactor.factors_of(user).any
    db.session.commit()
    if needs_setup:
        session[SETUP_REQUIRED] = True
        flash("Uw organisatie vraagt een tweede stap bij het inloggen. Stel die nu in.", "info")
        return url_for("security.overview")
    return next_url or home_for(user)


def relogin(user: User) -> None:
    """Keep this browser logged in after the account's session id changed (new password)."""
    login_at, auth_at = session.get("login_at"), session.get("auth_at")
    user = getattr(user, "_get_current_object", lambda: user)()  # never current_user itself
    login_user(user)
    browser_sessions.start(user)
    user.last_seen_at = utcnow()
    db.session.commit()
    session["login_at"], session["auth_at"] = login_at, auth_at


def record_failure(user: User | None, factor: str) -> None:
    """Audit a failed login step, naming the factor but never what was typed."""
    audit.record(user if user is not None else UNKNOWN_ACCOUNT, "login_failed", None, factor)
    db.session.commit()


def home_for(user: User) -> str:
    """Return the page a user starts on after logging in."""
    if user.role == "adviser":
        return url_for("advisers.index")
    if user.role == "admin":
        return url_for("advisers.audit")
    return url_for("advisers.trends_page")


def end_expired_session() -> bool:
    """Log this browser out when its login is older than SESSION_ABSOLUTE_HOURS; True if so."""
    hours = current_app.config.get("SESSION_ABSOLUTE_HOURS", 12)
    login_at = session.get("login_at")
    if isinstance(login_at, int) and time.time() - login_at <= hours * 3600:
        return False
    return _log_out("U was lang ingelogd. Log voor de veiligheid opnieuw in.")


IDLE_CHECK_INTERVAL = dt.timedelta(seconds=60)


def _log_out(message: str) -> bool:
    logout_user()
    session.clear()
    flash(message, "info")
    return True


def end_idle_session(user: User) -> bool:
    """Log this browser out when its session was ended or it idled; True if so.

    A browser idle for IDLE_LOGOUT_MINUTES loses its own session; an account idle everywhere
    loses them all. The clocks are in the database: a cookie cannot reset them.
    """
    this_browser = browser_sessions.current(user)
    if this_browser is None:  # this browser's session was ended on its own
        return _log_out("Uw sessie is beëindigd. Log opnieuw in.")
    now = utcnow()
    idle = dt.timedelta(minutes=current_app.config.get("IDLE_LOGOUT_MINUTES", 60))
    if now - this_browser.last_seen_at > idle:
        browser_sessions.end(user, this_browser.public_id)
        db.session.commit()
        return _log_out("U was een tijd niet actief. Log opnieuw in.")
    if user.last_seen_at is None or now - user.last_seen_at > idle:
        accounts.end_sessions(user)
        db.session.commit()
        return _log_out("U was een tijd niet actief. Log opnieuw in.")
    if now - min(this_browser.last_seen_at, user.last_seen_at) > IDLE_CHECK_INTERVAL:
        # written at most once a minute
        user.last_seen_at = this_browser.last_seen_at = now
        db.session.commit()
    return False


def setup_redirect():
    """Send an account that must set up a second factor to that page, else return None."""
    if not session.get(SETUP_REQUIRED):
        return None
    if request.endpoint in SETUP_ENDPOINTS or request.blueprint in SETUP_BLUEPRINTS:
        return None
    return redirect(url_for("security.overview"))


def setup_done() -> None:
    """The account now has a second factor: let it open every page its role allows."""
    session.pop(SETUP_REQUIRED, None)


def is_fresh() -> bool:
    """Return whether password and second factor were given at most FRESH_LOGIN_MINUTES ago."""
    minutes = current_app.config.get("FRESH_LOGIN_MINUTES", 15)
    auth_at = session.get("auth_at")
    return isinstance(auth_at, int) and time.time() - auth_at <= minutes * 60


def fresh_login_required(view):
    """Ask for the password and second factor again when the last time is too long ago."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated and not is_fresh():
            back = request.full_path if request.method == "GET" else _page_before()
            flash("Bevestig eerst dat u het bent. Daarna kunt u verder.", "info")
            return redirect(url_for("twofactor.confirm", next=back.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def _page_before() -> str:
    """Return the page a form was sent from (its hidden field "back"; this site only).

    No Referer header helps here: every page sends Referrer-Policy: no-referrer.
    """
    from scan.portal.auth import safe_next

    return safe_next(request.form.get("back")) or home_for(current_user)
