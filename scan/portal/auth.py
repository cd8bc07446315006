"""Logging in and out for advisers and administrators (entrepreneurs stay anonymous)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from scan.platform import audit
from scan.platform.extensions import db, limiter, login_manager
from scan.platform.models import User, utcnow
from scan.portal import accounts

bp = Blueprint("auth", __name__, template_folder="templates")

LOGIN_FAILED = "Het e-mailadres of het wachtwoord klopt niet. Of uw account is niet actief."


@bp.record_once
def _configure_login(state) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te zien."
    login_manager.login_message_category = "info"
    # Ends the session when the cookie shows up from another browser or network.
    login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    user = db.session.scalar(db.select(User).filter_by(session_id=session_id))
    return user if user is not None and user.is_active else None


IDLE_CHECK_INTERVAL = dt.timedelta(seconds=60)


@bp.before_app_request
def _end_idle_session() -> None:
    """Log out an account that did nothing for IDLE_LOGOUT_MINUTES (default 60).

    Advisers see personal data; a browser left open on a shared desk must not stay logged in.
    The clock is kept in the database, so neither the cookie nor a copy of it can reset it.
    """
    if "_user_id" not in session or request.endpoint == "static":
        return
    user = current_user._get_current_object()
    if not user.is_authenticated:  # the session was ended elsewhere: forget the cookie
        session.clear()
        return
    now = utcnow()
    idle = dt.timedelta(minutes=current_app.config.get("IDLE_LOGOUT_MINUTES", 60))
    if user.last_seen_at is None or now - user.last_seen_at > idle:
        accounts.end_sessions(user)
        db.session.commit()
        logout_user()
        session.clear()
        flash("U was een tijd niet actief. Log opnieuw in.", "info")
        return
    if now - user.last_seen_at > IDLE_CHECK_INTERVAL:  # write at most once a minute
        user.last_seen_at = now
        db.session.commit()


def roles_required(*roles: str):
    """Let only logged-in users with one of these roles through; others get 403."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def home_for(user: User) -> str:
    """Return the page a user starts on after logging in."""
    if user.role == "adviser":
        return url_for("advisers.index")
    if user.role == "admin":
        return url_for("advisers.audit")
    return url_for("advisers.trends_page")


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(
        "E-mailadres",
        validators=[DataRequired("Vul uw e-mailadres in."), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Wachtwoord",
        validators=[DataRequired("Vul uw wachtwoord in."), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


def _ip_and_email() -> str:
    return f"{get_remote_address()}|{accounts.normalise_email(request.form.get('email', ''))}"


# A path on this site as our own links spell it: no scheme, no host, no backslash, no space.
SAFE_NEXT = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~/?=&%+]*")


def safe_next(target: str | None) -> str | None:
    """Return target if it is a path on this site, else None (no open redirects).

    Browsers read //host, /\\host and their percent-encoded forms as another site, so the
    target must look like one of our paths both as sent and after decoding it again and again.
    """
    if not target or not SAFE_NEXT.fullmatch(target):
        return None
    decoded = target
    for _ in range(3):
        decoded = unquote(decoded)
    if not decoded.isascii() or not decoded.isprintable() or "\\" in decoded:
        return None
    if decoded.startswith("//") or " " in decoded or urlsplit(decoded).netloc:
        return None
    return target


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(
    "5 per minute;50 per hour", key_func=_ip_and_email, methods=["POST"], scope="login-account"
)
@limiter.limit("100 per hour", methods=["POST"], scope="login-ip")
def login():
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            return render_template("auth/login.html", form=form, failed=LOGIN_FAILED), 200
        next_url = safe_next(request.args.get("next"))
        session.clear()  # nothing from before the login carries over
        login_user(user)
        user.last_login_at = user.last_seen_at = utcnow()
        audit.record(user, "login")
        db.session.commit()
        return redirect(next_url or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.post("/uitloggen")
@login_required
def logout():
    """Log out everywhere (a POST with a CSRF token, so no other site can log someone out).

    The account's session id is replaced, so a copy of the cookie no longer works either.
    """
    audit.record(current_user, "logout")
    accounts.end_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))
