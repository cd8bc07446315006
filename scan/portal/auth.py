"""Logging in and out for advisers and administrators (entrepreneurs stay anonymous)."""

from __future__ import annotations

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
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from scan.platform import audit
from scan.platform.errors import render_error
from scan.platform.extensions import (
    db,
    keyed_hash,
    limiter,
    login_manager,
    shared_limits_reachable,
)
from scan.platform.models import User
from scan.portal import accounts, staff_sessions, twofactor

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


@bp.before_app_request
def _end_idle_session() -> None:
    """Log out an account that did nothing for IDLE_LOGOUT_MINUTES (default 60).

    Advisers see personal data; a browser left open on a shared desk must not stay logged in.
    The clock is kept in the database, so neither the cookie nor a copy of it can reset it.
    """
    if "_user_id" not in session or request.endpoint == "static":
        return None
    user = current_user._get_current_object()
    if not user.is_authenticated:  # the session was ended elsewhere: forget the cookie
        session.clear()
        return None
    if staff_sessions.end_expired_session() or staff_sessions.end_idle_session(user):
        return None
    return staff_sessions.setup_redirect()


def roles_required(*roles: str):
    """Let only logged-in users with one of these roles through; others get 403."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                audit.record_refusal(current_user, "access_refused", request.endpoint or "")
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


home_for = staff_sessions.home_for


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


LOGIN_UNAVAILABLE = (
    "Inloggen kan nu even niet, omdat een beveiliging van de website niet bereikbaar is. "
    "Probeer het over een paar minuten opnieuw."
)


def _login_limits_hold() -> bool:
    """Tell whether the login limits count for all workers (fail closed without the store)."""
    return not current_app.config.get("LOGIN_NEEDS_SHARED_LIMITS") or shared_limits_reachable()


def _address_and_account() -> str:
    """Return the login limit's key: a keyed hash of the address and the e-mail address."""
    email = accounts.normalise_email(request.form.get("email", ""))
    return keyed_hash("login", get_remote_address() or "", email)


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
    "5 per minute;50 per hour",
    key_func=_address_and_account,
    methods=["POST"],
    scope="login-account",
)
@limiter.limit("100 per hour", methods=["POST"], scope="login-ip")
def login():
    """Show the login form and log the user in."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if request.method == "POST" and not _login_limits_hold():
        return render_error(503, LOGIN_UNAVAILABLE)
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            staff_sessions.record_failure(_known_account(form.email.data), "wachtwoord")
            return render_template("auth/login.html", form=form, failed=LOGIN_FAILED), 200
        next_url = safe_next(request.args.get("next"))
        if twofactor.factors_of(user).any:
            staff_sessions.start_pending(user, next_url)
            db.session.commit()  # a rehashed password is kept
            return redirect(url_for("twofactor.second_step"))
        return redirect(staff_sessions.complete(user, "wachtwoord", next_url))
    return render_template("auth/login.html", form=form)


def _known_account(email: str) -> User | None:
    """Return the account a failed login was for, if it exists (for the audit log)."""
    try:
        return accounts.get_user(email)
    except accounts.AccountError:
        return None


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
