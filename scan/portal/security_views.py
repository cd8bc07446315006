"""My account: password, authenticator app, passkeys and recovery codes, set up by the user."""

from __future__ import annotations

import segno
from flask import Blueprint, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from scan.platform.extensions import db
from scan.platform.sealing import Unsealable, seal, unseal
from scan.portal import account_changes, passkeys, staff_sessions, twofactor
from scan.portal.invitation_views import NewPasswordForm
from scan.portal.twofactor_views import CodeForm

bp = Blueprint("security", __name__, template_folder="templates")
NEW_SECRET = "new_app_secret"


class PasswordForm(NewPasswordForm):
    """The current password, then the new one typed twice."""

    current = PasswordField(
        "Huidig wachtwoord",
        validators=[DataRequired("Vul uw huidige wachtwoord in."), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class PasskeyNameForm(FlaskForm):
    """A name to recognise a passkey by."""

    name = StringField("Naam van de passkey", validators=[Length(max=100)])


@bp.get("/account/")
@login_required
def overview():
    """Show the account's password and second factors, with what can be changed."""
    return render_template(
        "security/overview.html",
        factors=twofactor.factors_of(current_user),
        passkeys=passkeys.passkeys_of(current_user),
        required=twofactor.is_required(current_user),
        setup_required=session.get(staff_sessions.SETUP_REQUIRED),
        name_form=PasskeyNameForm(),
    )


def _app_secret() -> str:
    """Return the secret being set up in this browser (made once, kept sealed in the session)."""
    try:
        return unseal(session[NEW_SECRET])
    except (KeyError, Unsealable):
        secret = twofactor.new_app_secret()
        session[NEW_SECRET] = seal(secret)
        return secret


@bp.route("/account/app", methods=["GET", "POST"])
@login_required
@staff_sessions.fresh_login_required
def app_setup():
    """Set up the authenticator app: scan the QR code, then type the code the app shows."""
    secret = _app_secret()
    form = CodeForm()
    if form.validate_on_submit():
        if twofactor.enable_app(current_user, secret, form.code.data):
            session.pop(NEW_SECRET, None)
            return redirect(
                account_changes.factor_added(current_user, "app_added", "Een app voor codes")
            )
        form.code.errors = [*form.code.errors, "Deze code klopt niet. Probeer de nieuwste code."]
    uri = twofactor.provisioning_uri(current_user, secret)
    return render_template(
        "security/app.html",
        form=form,
        qr=segno.make(uri, error="m").svg_inline(scale=5, title="QR-code voor uw app"),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    ), (422 if form.errors else 200)


@bp.post("/account/app/verwijderen")
@login_required
@staff_sessions.fresh_login_required
def app_remove():
    """Remove the authenticator app (not the last factor when two factors are required)."""
    return redirect(account_changes.remove_factor(current_user, "app"))


@bp.post("/account/passkey/opties")
@login_required
@staff_sessions.fresh_login_required
def passkey_options():
    """Return the WebAuthn options to add a passkey or security key."""
    return passkeys.registration_options(current_user), 200, {"Content-Type": "application/json"}


@bp.post("/account/passkey")
@login_required
@staff_sessions.fresh_login_required
def passkey_add():
    """Store the passkey the browser made (JSON in, JSON out)."""
    body = request.get_json(silent=True) or {}
    try:
        passkeys.register(current_user, body.get("credential") or {}, str(body.get("name", "")))
    except passkeys.PasskeyError:
        db.session.rollback()
        return jsonify(
            error="Het toevoegen van de passkey is niet gelukt. Probeer het opnieuw."
        ), 400
    return jsonify(
        redirect=account_changes.factor_added(current_user, "passkey_added", "Een passkey")
    )


@bp.post("/account/passkey/<int:passkey_id>/verwijderen")
@login_required
@staff_sessions.fresh_login_required
def passkey_remove(passkey_id: int):
    """Remove one passkey."""
    return redirect(account_changes.remove_factor(current_user, "passkey", passkey_id))


@bp.get("/account/herstelcodes")
@login_required
def codes_page():
    """Show the new recovery codes once (right after they were made), then never again."""
    codes = account_changes.take_codes()
    if not codes:
        return redirect(url_for("security.overview"))
    return render_template("security/codes.html", codes=codes)


@bp.post("/account/herstelcodes")
@login_required
@staff_sessions.fresh_login_required
def codes_new():
    """Make ten new recovery codes (the old ones stop working)."""
    if not twofactor.factors_of(current_user).any:
        flash("Stel eerst een passkey of een app in.", "error")
        return redirect(url_for("security.overview"))
    return redirect(account_changes.new_codes(current_user))


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@login_required
@staff_sessions.fresh_login_required
def password():
    """Change the password (the current one first); other sessions end."""
    form = PasswordForm()
    if not form.validate_on_submit():
        return render_template("security/password.html", form=form), (
            422 if form.is_submitted() else 200
        )
    problem = account_changes.change_password(current_user, form.current.data, form.password.data)
    if problem:
        field = form.current if "huidige" in problem else form.password
        field.errors = [problem]
        return render_template("security/password.html", form=form), 422
    flash("Uw wachtwoord is gewijzigd.", "success")
    return redirect(url_for("security.overview"))
