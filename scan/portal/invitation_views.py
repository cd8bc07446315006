"""One-time links from e-mail: accept an invitation, or choose a new password; ask for a reset."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_limiter.util import get_remote_address
from flask_login import logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from scan.platform.extensions import limiter
from scan.portal import accounts, invitations, staff_sessions

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
    user = invitations.holder_of(link) if link is not None else None
    if link is None or user is None:
        return render_template("auth/link_gone.html", message=LINK_GONE), 404
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/set_password.html", form=form, link=link, user=user), (
            422 if form.is_submitted() else 200
        )
    try:
        logs_in = invitations.use_for_password(link, user, form.password.data)
    except invitations.LinkGone:
        return render_template("auth/link_gone.html", message=LINK_GONE), 404
    except accounts.AccountError as error:
        form.password.errors = [str(error)]
        return render_template("auth/set_password.html", form=form, link=link, user=user), 422
    return redirect(_after_link(user, logs_in))


def _after_link(user, logs_in: bool) -> str:
    """An invitation logs in (no factor yet) and goes on to set one up; a reset asks to log in."""
    if logs_in:
        target = staff_sessions.complete(user, "uitnodiging + nieuw wachtwoord", None)
        flash("Uw wachtwoord is ingesteld. Stel nu een tweede stap in.", "success")
        return url_for("security.overview") if target else url_for("auth.login")
    logout_user()
    flash("Uw nieuwe wachtwoord is ingesteld. Log in.", "success")
    return url_for("auth.login")


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit("5 per hour", key_func=get_remote_address, methods=["POST"], scope="forgot")
def forgot():
    """Send a reset link when the account exists; say the same either way."""
    form = ForgotForm()
    if form.validate_on_submit():
        invitations.send_reset(form.email.data)
        flash(
            "Als er een account is met dit e-mailadres, krijgt u binnen enkele minuten een "
            "e-mail met een link. Kijk ook in uw map met ongewenste e-mail.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)
