"""One-time links from e-mail: accept an invitation, or choose a new password; ask for a reset."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_limiter.util import get_remote_address
from flask_login import logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from scan.platform import audit
from scan.platform.extensions import db, limiter
from scan.platform.models import User
from scan.portal import accounts, invitations, notices, staff_sessions, twofactor

bp = Blueprint("invitations", __name__, template_folder="templates")

LINK_GONE = (
    "Deze link werkt niet meer. Hij is al gebruikt of ouder dan 72 uur. "
    "Vraag de beheerder van uw organisatie om een nieuwe."
)


class NewPasswordForm(FlaskForm):
    """The password the person chooses, typed twice."""

    password = PasswordField(
        "Nieuw wachtwoord",
        validators=[DataRequired("Kies een wachtwoord."), Length(max=1000)],
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        "Hetzelfde wachtwoord nog een keer",
        validators=[
            DataRequired("Typ het wachtwoord nog een keer."),
            EqualTo("password", "De twee wachtwoorden zijn niet gelijk."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ForgotForm(FlaskForm):
    """The e-mail address of the account."""

    email = EmailField(
        "E-mailadres",
        validators=[DataRequired("Vul uw e-mailadres in."), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )


@bp.route("/welkom/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"], scope="account-link")
def accept(token: str):
    """Let the holder of a link choose their password (an invitation also logs them in)."""
    link = invitations.find_link(token)
    if link is None:
        return render_template("auth/link_gone.html", message=LINK_GONE), 404
    user = db.session.get(User, link.user_id)
    if user is None or not user.is_active:
        return render_template("auth/link_gone.html", message=LINK_GONE), 404
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/set_password.html", form=form, link=link, user=user), (
            422 if form.is_submitted() else 200
        )
    try:
        accounts.set_password(user, form.password.data)
    except accounts.AccountError as error:
        db.session.rollback()
        form.password.errors = [str(error)]
        return render_template("auth/set_password.html", form=form, link=link, user=user), 422
    if not invitations.use_link(link):
        db.session.rollback()
        return render_template("auth/link_gone.html", message=LINK_GONE), 404
    return redirect(_after_link(user, link.purpose))


def _after_link(user, purpose: str) -> str:
    """Audit the used link; an invitation logs in (no factor yet), a reset asks to log in."""
    if purpose == "invite" and not twofactor.factors_of(user).any:
        audit.record(user, "invitation_used")
        db.session.commit()
        target = staff_sessions.complete(user, "uitnodiging + nieuw wachtwoord", None)
        flash("Uw wachtwoord is ingesteld. Stel nu een tweede stap in.", "success")
        return url_for("security.overview") if target else url_for("auth.login")
    audit.record(user, "password_reset_used")
    notices.security_change(user, "Uw wachtwoord is opnieuw ingesteld via een link.")
    db.session.commit()
    logout_user()
    flash("Uw nieuwe wachtwoord is ingesteld. Log in.", "success")
    return url_for("auth.login")


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit("5 per hour", key_func=get_remote_address, methods=["POST"], scope="forgot")
def forgot():
    """Send a reset link when the account exists; say the same either way."""
    form = ForgotForm()
    if form.validate_on_submit():
        try:
            user = accounts.get_user(form.email.data)
        except accounts.AccountError:
            user = None
        if user is not None and user.is_active:
            notices.password_reset(user, invitations.create_link(user, "reset"))
            audit.record(user, "password_reset_sent", None, "zelf gevraagd")
            db.session.commit()
        flash(
            "Als er een account is met dit e-mailadres, krijgt u binnen enkele minuten een "
            "e-mail met een link. Kijk ook in uw map met ongewenste e-mail.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)
