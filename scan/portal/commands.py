"""flask commands for accounts and organisations: users create/list/reset-password/deactivate."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from scan.platform import audit
from scan.platform.extensions import db
from scan.platform.models import ORGANISATION_KINDS, ROLES, Organisation, User
from scan.portal import accounts

users = AppGroup("users", help="Manage adviser and administrator accounts.")
organisations = AppGroup("organisations", help="Manage PVO and branch organisations.")
CLI_ACTOR = "cli"


def register(app: Flask) -> None:
    """Add the commands to the app's CLI."""
    app.cli.add_command(users)
    app.cli.add_command(organisations)


def _read_password(from_stdin: bool) -> str:
    """Read a new password from stdin (one line) or ask for it twice."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _fail(exc: accounts.AccountError):
    db.session.rollback()
    raise click.ClickException(str(exc)) from None


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
    try:
        user = accounts.get_user(email)
    except accounts.AccountError as exc:
        _fail(exc)
    accounts.deactivate(user)
    audit.record(CLI_ACTOR, "user_deactivated", None, user.email)
    db.session.commit()
    click.echo(f"Deactivated {user.email}.")


@organisations.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice(ORGANISATION_KINDS), default="pvo", show_default=True)
def create_organisation_command(name: str, kind: str) -> None:
    """Create an organisation (a PVO that entrepreneurs can share with, or a branch)."""
    try:
        organisation = accounts.create_organisation(name, kind)
    except accounts.AccountError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"Created {kind} organisation '{organisation.name}'.")


@organisations.command("deactivate")
@click.argument("name")
def deactivate_organisation_command(name: str) -> None:
    """Stop an organisation: its accounts cannot log in and it is no longer offered for sharing."""
    organisation = accounts.get_organisation(name)
    if organisation is None:
        raise click.ClickException(f"no organisation '{name}'")
    organisation.active = False
    audit.record(CLI_ACTOR, "organisation_deactivated", None, organisation.name)
    db.session.commit()
    click.echo(f"Deactivated organisation '{organisation.name}'.")


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
