"""flask commands for accounts, organisations and mail: the command-line twin of the web.

What the accounts pages can do too, the commands do through the same functions
(`account_admin`, as `CLI_ACTOR`): the same checks, sessions ended, notices, audit and commit.

users create/invite/list/reset-password/deactivate/reactivate/reset-second-factor,
organisations create/list/deactivate/require-two-factor, mail send.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from scan.platform import audit, mail
from scan.platform.extensions import db
from scan.platform.models import ORGANISATION_KINDS, ROLES, Organisation, User
from scan.portal import account_admin, accounts, invitations, notices
from scan.portal.account_admin import CLI_ACTOR

users = AppGroup("users", help="Manage adviser and administrator accounts.")
organisations = AppGroup("organisations", help="Manage PVO and branch organisations.")
mail_group = AppGroup("mail", help="Send the queued e-mail.")


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(users)
    app.cli.add_command(organisations)
    app.cli.add_command(mail_group)


def _read_password(from_stdin: bool) -> str:
    """Read a new password from stdin (one line) or ask for it twice."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _fail(exc: accounts.AccountError) -> NoReturn:
    db.session.rollback()
    raise click.ClickException(str(exc)) from None


def _user(email: str) -> User:
    """Return the account with this e-mail, or stop the command saying there is none."""
    try:
        return accounts.get_user(email)
    except accounts.AccountError as exc:
        _fail(exc)


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--organisation", "organisation_name", help="Organisation name (not for admin).")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def create_user_command(
    email: str, role: str, organisation_name: str | None, password_stdin: bool
) -> None:
    """Create an account (asks for the password unless --password-stdin)."""
    organisation = None
    if organisation_name:
        organisation = accounts.get_organisation(organisation_name)
        if organisation is None:
            raise click.ClickException(
                f"no organisation '{organisation_name}' (create it: organisations create NAME)"
            )
    password = _read_password(password_stdin)
    try:
        user = accounts.create_user(email, password, role, organisation)
    except accounts.AccountError as exc:
        _fail(exc)
    db.session.flush()
    audit.record(CLI_ACTOR, "user_created", None, f"{user.email} ({role})")
    db.session.commit()
    click.echo(f"Created {role} {user.email}" + (f" ({organisation.name})" if organisation else ""))


@users.command("invite")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--organisation", "organisation_name", help="Organisation name (not for admin).")
@click.option("--coordinator", is_flag=True, help="May manage its organisation's accounts.")
def invite_user_command(
    email: str, role: str, organisation_name: str | None, coordinator: bool
) -> None:
    """Create an account and e-mail it a one-time link (72 h) to choose its own password."""
    organisation = _organisation(organisation_name)
    try:
        user = accounts.create_user(email, None, role, organisation)
    except accounts.AccountError as exc:
        _fail(exc)
    user.coordinator = coordinator and role != "admin"
    db.session.flush()
    notices.invitation(user, invitations.create_link(user, "invite"))
    audit.record(CLI_ACTOR, "user_created", None, f"{user.email} ({role})")
    db.session.commit()
    sent = mail.send_due()
    click.echo(f"Invited {role} {user.email}; mails sent now: {sent} (else: flask mail send).")


def _organisation(name: str | None):
    if not name:
        return None
    organisation = accounts.get_organisation(name)
    if organisation is None:
        raise click.ClickException(
            f"no organisation '{name}' (create it: organisations create NAME)"
        )
    return organisation


def _act(email: str, action: str) -> User:
    """Carry out one account action as the browser does it (account_admin.act); return whom."""
    user = _user(email)
    try:
        account_admin.act(CLI_ACTOR, user, action)
    except accounts.AccountError as exc:
        _fail(exc)
    return user


@users.command("reactivate")
@click.argument("email")
def reactivate_command(email: str) -> None:
    """Let a deactivated account log in again."""
    click.echo(f"Reactivated {_act(email, 'aanzetten').email}.")


@users.command("reset-second-factor")
@click.argument("email")
def reset_second_factor_command(email: str) -> None:
    """Remove an account's authenticator app, passkeys and recovery codes; end its sessions."""
    user = _act(email, "tweede-stap")
    click.echo(f"Second factor of {user.email} removed; their sessions have ended.")


@users.command("list")
def list_users_command() -> None:
    """List every account with role, organisation and state."""
    rows = db.session.scalars(select(User).order_by(User.email)).all()
    for user in rows:
        org = user.organisation.name if user.organisation else "-"
        state = "active" if user.active else "deactivated"
        last = f"{user.last_login_at:%Y-%m-%d %H:%M}" if user.last_login_at else "never"
        click.echo(f"{user.email:<40} {user.role:<13} {state:<12} last login {last:<17} {org}")
    if not rows:
        click.echo("No accounts yet.")


@users.command("reset-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def reset_password_command(email: str, password_stdin: bool) -> None:
    """Set a new password (and end the account's sessions); reactivates nothing."""
    try:
        user = accounts.get_user(email)
        accounts.set_password(user, _read_password(password_stdin))
    except accounts.AccountError as exc:
        _fail(exc)
    audit.record(CLI_ACTOR, "password_reset", None, user.email)
    db.session.commit()
    click.echo(f"New password set for {user.email}; their sessions have ended.")


@users.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Block an account from logging in and end its sessions."""
    click.echo(f"Deactivated {_act(email, 'uitzetten').email}.")


@organisations.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice(ORGANISATION_KINDS), default="pvo", show_default=True)
def create_organisation_command(name: str, kind: str) -> None:
    """Create an organisation (a PVO that entrepreneurs can share with, or a branch)."""
    try:
        organisation = accounts.create_organisation(name, kind)
    except accounts.AccountError as exc:
        _fail(exc)
    audit.record(CLI_ACTOR, "organisation_created", None, organisation.name)
    db.session.commit()
    click.echo(f"Created {kind} organisation '{organisation.name}'.")


@organisations.command("deactivate")
@click.argument("name")
def deactivate_organisation_command(name: str) -> None:
    """Stop an organisation: its accounts cannot log in and it is no longer offered for sharing."""
    organisation = accounts.get_organisation(name)
    if organisation is None:
        raise click.ClickException(f"no organisation '{name}'")
    account_admin.set_organisation_active(CLI_ACTOR, organisation, False)
    click.echo(f"Deactivated organisation '{organisation.name}'.")


@organisations.command("require-two-factor")
@click.argument("name")
@click.option("--off", is_flag=True, help="No longer require it.")
def require_two_factor_command(name: str, off: bool) -> None:
    """Require a second factor for an organisation's staff ("all": for all staff)."""
    organisation = None if name == "all" else _organisation(name)
    account_admin.require_two_factor(CLI_ACTOR, organisation, not off)
    click.echo(f"Two factors {'no longer ' if off else ''}required for {name}.")


@mail_group.command("send")
def send_mail_command() -> None:
    """Send the mails that are due (run it from cron or a worker; safe to run on several)."""
    sent = mail.send_due(limit=1000)
    click.echo(f"Sent {sent} mail(s).")


@organisations.command("list")
def list_organisations_command() -> None:
    """List organisations with their kind and number of accounts."""
    rows = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    for org in rows:
        count = db.session.scalar(
            select(db.func.count()).select_from(User).where(User.organisation_id == org.id)
        )
        state = "" if org.active else "  (deactivated)"
        click.echo(f"{org.name:<40} {org.kind:<8} {count} account(s){state}")
    if not rows:
        click.echo("No organisations yet.")
