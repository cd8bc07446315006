"""Accounts in the browser: organisations, accounts, invitations, resets, sessions, two factors."""

from __future__ import annotations

import functools
from typing import NoReturn

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from scan.platform import audit
from scan.portal import (
    account_admin,
    accounts,
    browser_sessions,
    invitations,
    passkeys,
    twofactor,
)
from scan.portal.staff_sessions import fresh_login_required

bp = Blueprint("accounts", __name__, template_folder="templates")


class AccountForm(FlaskForm):
    """A new account: e-mail, organisation (or administrator), coordinator or not."""

    email = EmailField(
        "E-mailadres",
        validators=[
            DataRequired("Vul het e-mailadres in."),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message="Vul een e-mailadres in, zoals naam@voorbeeld.nl.",
            ),
            Length(max=254),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    organisation = SelectField("Organisatie", coerce=str)
    coordinator = BooleanField("Coördinator: beheert de accounts van de eigen organisatie")


class OrganisationForm(FlaskForm):
    """A new organisation."""

    name = StringField(
        "Naam", validators=[DataRequired("Vul de naam in."), Length(max=200, message="Te lang.")]
    )
    kind = SelectField(
        "Soort", choices=[SelectChoice("pvo", "PVO"), SelectChoice("branche", "Branche")]
    )


def refuse() -> NoReturn:
    """Record that the logged-in user was refused this page (as roles_required does); 403."""
    audit.record_refusal(current_user, "access_refused", request.endpoint or "")
    abort(403)


def admins_only(view):
    """Let administrators through; others get 403 (recorded). Put under managers_only."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not account_admin.administers(current_user):
            refuse()
        return view(*args, **kwargs)

    return wrapped


def managers_only(view):
    """Let administrators and coordinators through; others get 403 (recorded)."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not account_admin.may_manage_accounts(current_user):
            refuse()
        return view(*args, **kwargs)

    return wrapped


def _account_form() -> AccountForm:
    form = AccountForm()
    choices = [
        SelectChoice(str(o.id), o.name) for o in account_admin.organisations_for(current_user)
    ]
    if current_user.role == "admin":
        choices.append(SelectChoice("admin", "Geen: beheerder van de hele installatie"))
    form.organisation.choices = choices
    return form


def _list(account_form=None, organisation_form=None, status=200):
    return render_template(
        "accounts/index.html",
        organisations=account_admin.organisations_for(current_user),
        users=account_admin.accounts_for(current_user),
        shares=account_admin.active_shares(),
        all_required=twofactor.required_for_all(),
        account_form=account_form or _account_form(),
        organisation_form=organisation_form or OrganisationForm(formdata=None),
    ), status


@bp.get("/beheer/accounts")
@managers_only
def index():
    """List the organisations and accounts the user manages, with forms to add them."""
    return _list()


@bp.post("/beheer/accounts")
@managers_only
@fresh_login_required
def create():
    """Create an account and send its invitation."""
    form = _account_form()
    if not form.validate_on_submit():
        return _list(account_form=form, status=422)
    choice = form.organisation.data
    organisation = (
        None
        if choice == "admin"
        else account_admin.organisation_by_id(
            current_user, int(choice) if choice.isdigit() else None
        )
    )
    try:
        user = account_admin.create_account(
            current_user, form.email.data, organisation, choice == "admin", form.coordinator.data
        )
    except accounts.AccountError as error:
        form.email.errors = [str(error)]
        return _list(account_form=form, status=422)
    flash(f"Het account {user.email} is gemaakt. De uitnodiging is verstuurd.", "success")
    return redirect(url_for("accounts.detail", public_id=user.public_id))


@bp.post("/beheer/organisaties")
@managers_only
@admins_only
@fresh_login_required
def create_organisation():
    """Create an organisation (administrators only)."""
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            account_admin.create_organisation(current_user, form.name.data, form.kind.data)
        except accounts.AccountError as error:
            form.name.errors = [str(error)]
        else:
            flash(f"De organisatie {form.name.data.strip()} is toegevoegd.", "success")
            return redirect(url_for("accounts.index"))
    return _list(organisation_form=form, status=422)


@bp.post("/beheer/tweestaps")
@managers_only
@admins_only
@fresh_login_required
def require_two_factor():
    """Require two factors for one organisation or for all staff (administrators only)."""
    target = request.form.get("organisation", "")
    organisation = account_admin.organisation_by_id(
        current_user, int(target) if target.isdigit() else None
    )
    if target != "alle" and organisation is None:
        abort(404)
    required = request.form.get("required") == "1"
    account_admin.require_two_factor(current_user, organisation, required)
    flash("De instelling voor de tweede stap is opgeslagen.", "success")
    return redirect(url_for("accounts.index"))


def _target(public_id: str):
    user = accounts.find_user(public_id)
    if user is None or not account_admin.in_scope(current_user, user):
        abort(404)
    return user


@bp.get("/beheer/accounts/<public_id>")
@managers_only
def detail(public_id: str):
    """Show one account: state, last login, session, second factors, and what can be done."""
    user = _target(public_id)
    return render_template(
        "accounts/detail.html",
        user=user,
        factors=twofactor.factors_of(user),
        passkeys=passkeys.passkeys_of(user),
        required=twofactor.is_required(user),
        invitation=invitations.pending_invitation(user),
        sessions=browser_sessions.open_sessions(user),
    )


@bp.post("/beheer/accounts/<public_id>/<action>")
@managers_only
@fresh_login_required
def act(public_id: str, action: str):
    """Deactivate, reactivate, send a reset or invitation, clear the second factor, log out."""
    user = _target(public_id)
    if action not in account_admin.ACTIONS:
        abort(404)
    return _done_on_detail(user, lambda: account_admin.act(current_user, user, action))


@bp.post("/beheer/accounts/<public_id>/sessies/<session_id>")
@managers_only
@fresh_login_required
def end_session(public_id: str, session_id: str):
    """End one browser session of an account (that browser is logged out at once)."""
    user = _target(public_id)
    return _done_on_detail(
        user, lambda: account_admin.end_browser_session(current_user, user, session_id)
    )


def _done_on_detail(user, change):
    """Make a change, flash its Dutch sentence (or why it was refused), back to the account."""
    try:
        flash(change(), "success")
    except accounts.AccountError as error:
        flash(str(error), "error")
    return redirect(url_for("accounts.detail", public_id=user.public_id))


@bp.post("/beheer/organisaties/<int:organisation_id>/actief")
@managers_only
@admins_only
@fresh_login_required
def organisation_active(organisation_id: int):
    """Switch an organisation off or on again (administrators only)."""
    organisation = account_admin.organisation_by_id(current_user, organisation_id)
    if organisation is None:
        abort(404)
    wanted = request.form.get("active") == "1"
    flash(account_admin.set_organisation_active(current_user, organisation, wanted), "success")
    return redirect(url_for("accounts.index"))
