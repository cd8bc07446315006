"""The second step of a staff login, and confirming it is still you before a sensitive change."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from scan.platform.extensions import db, limiter
from scan.portal import accounts, notices, passkeys, staff_sessions, twofactor
from scan.portal.auth import safe_next

bp = Blueprint("twofactor", __name__, template_folder="templates")

SECOND_STEP_LIMIT = "5 per minute;30 per hour"
CODE_WRONG = "Deze code klopt niet, of is al gebruikt. Probeer het opnieuw."
PASSKEY_WRONG = "Inloggen met de passkey is niet gelukt. Probeer het opnieuw of gebruik een code."


class CodeForm(FlaskForm):
    """A six-digit code from the app, or a recovery code."""

    code = StringField(
        "Code",
        validators=[
            DataRequired("Vul de code in."),
            Length(max=40, message="Deze code is te lang."),
        ],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"},
    )


class ConfirmForm(FlaskForm):
    """The password, to confirm it is still the account's owner."""

    password = PasswordField(
        "Wachtwoord",
        validators=[DataRequired("Vul uw wachtwoord in."), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


def _pending_or_login():
    found = staff_sessions.pending()
    if found is None:
        abort(redirect(url_for("auth.login")))
    return found


def _second_step_page(user, form, failed=None, status=200):
    factors = twofactor.factors_of(user)
    return render_template(
        "auth/second_step.html", form=form, factors=factors, failed=failed
    ), status


@bp.route("/inloggen/tweede-stap", methods=["GET", "POST"])
@limiter.limit(
    SECOND_STEP_LIMIT, key_func=staff_sessions.pending_key, methods=["POST"], scope="2fa"
)
def second_step():
    """Ask for the second factor: a passkey, a code from the app, or a recovery code."""
    user, data = _pending_or_login()
    form = CodeForm()
    if not form.validate_on_submit():
        return _second_step_page(user, form, status=422 if form.is_submitted() else 200)
    code = form.code.data
    if twofactor.looks_like_app_code(code):
        factor, ok = "app-code", twofactor.check_app_code(user, code)
    else:
        factor, ok = "herstelcode", twofactor.use_recovery_code(user, code)
    if not ok:
        db.session.rollback()
        staff_sessions.record_failure(user, f"tweede stap: {factor}")
        return _second_step_page(user, form, failed=CODE_WRONG, status=422)
    if factor == "herstelcode":
        left = twofactor.factors_of(user).recovery_codes_left
        notices.security_change(
            user, f"U logde in met een herstelcode. Er zijn er nog {left} over."
        )
    return redirect(
        staff_sessions.complete(
            user, f"wachtwoord + {factor}", data.get("next"), data.get("purpose", "login")
        )
    )


@bp.post("/inloggen/passkey/opties")
@limiter.limit(SECOND_STEP_LIMIT, key_func=staff_sessions.pending_key, scope="2fa-passkey")
def passkey_options():
    """Return the WebAuthn options for logging in with one of the pending account's passkeys."""
    user, _ = _pending_or_login()
    return current_options(passkeys.authentication_options(user))


def current_options(options_json: str):
    """Return WebAuthn options as a JSON response that no cache keeps."""
    return options_json, 200, {"Content-Type": "application/json"}


@bp.post("/inloggen/passkey")
@limiter.limit(SECOND_STEP_LIMIT, key_func=staff_sessions.pending_key, scope="2fa-passkey")
def passkey_login():
    """Check the browser's passkey answer and complete the login."""
    found = staff_sessions.pending()
    if found is None:
        return jsonify(error="Uw inlogpoging is verlopen. Log opnieuw in."), 400
    user, data = found
    try:
        passkeys.authenticate(user, request.get_json(silent=True) or {})
    except passkeys.PasskeyError:
        db.session.rollback()
        staff_sessions.record_failure(user, "tweede stap: passkey")
        return jsonify(error=PASSKEY_WRONG), 400
    target = staff_sessions.complete(
        user, "wachtwoord + passkey", data.get("next"), data.get("purpose", "login")
    )
    return jsonify(redirect=target)


@bp.route("/inloggen/bevestigen", methods=["GET", "POST"])
@login_required
@limiter.limit("5 per minute;30 per hour", methods=["POST"], scope="confirm")
def confirm():
    """Ask for the password (and then the second factor) again before a sensitive change."""
    next_url = safe_next(request.args.get("next"))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("auth/confirm.html", form=form)
    user = accounts.authenticate(current_user.email, form.password.data)
    if user is None:
        db.session.rollback()
        staff_sessions.record_failure(current_user, "bevestigen: wachtwoord")
        failed = "Dit wachtwoord klopt niet."
        return render_template("auth/confirm.html", form=form, failed=failed), 422
    if twofactor.factors_of(user).any:
        staff_sessions.start_pending(user, next_url, purpose="confirm")
        db.session.commit()
        return redirect(url_for("twofactor.second_step"))
    return redirect(staff_sessions.complete(user, "wachtwoord", next_url, purpose="confirm"))
